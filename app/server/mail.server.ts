import i18next, { type TFunction } from "i18next";
import nodemailer, { type Transporter } from "nodemailer";
import type { Database } from "~db/index";
import type { Locale } from "~db/types";
import { i18nConfig, isLng } from "~/i18n/config";
import { config } from "~/web/config.server";
import { log } from "~/web/log.server";

/**
 * Outgoing e-mail. With SMTP_URL set (smtp://user:pass@host:587, smtps://…), messages go through
 * nodemailer; without it (the embedded default) they are kept in the `mail_outbox` table, which
 * admins read at /staff/outbox, and the server logs a one-line notice.
 */
export type OutgoingMail = { to: string; subject: string; text: string; html: string };

let transport: { url: string; transporter: Transporter } | null = null;
function smtp(url: string): Transporter {
  if (transport?.url !== url) transport = { url, transporter: nodemailer.createTransport(url) };
  return transport.transporter;
}

export function mailFrom(): string {
  return config().MAIL_FROM;
}

export async function deliver(db: Database, mail: OutgoingMail): Promise<void> {
  const url = config().SMTP_URL;
  if (url) {
    await smtp(url).sendMail({ from: mailFrom(), to: mail.to, subject: mail.subject, text: mail.text, html: mail.html });
    return;
  }
  await db
    .insertInto("mail_outbox")
    .values({ to_address: mail.to, subject: mail.subject, text_body: mail.text, html_body: mail.html })
    .execute();
  log.info(`quorum: mail to ${mail.to} queued in the dev outbox`);
}

// ---- Work off the request path ----

let mailWork: Promise<void> = Promise.resolve();

/**
 * Runs account-mail work after the request has been answered, so that the answer takes the same time
 * whether or not the work (an account look-up, a token, an SMTP round trip) happens at all — a reset
 * request for an unknown address must not be faster. One queue, in order: each request's tokens are
 * issued and voided in the order the requests came. Lost if the process dies (the user asks again).
 */
export function queueMailWork(task: () => Promise<unknown>): void {
  mailWork = mailWork.then(task).then(
    () => undefined,
    (error) => log.error("quorum: background mail work failed:", error),
  );
}

/** Resolves when the queued mail work is done (tests, and a graceful shutdown). */
export function mailWorkIdle(): Promise<void> {
  return mailWork;
}

// ---- The account messages, in the recipient's language ----

const i18n = i18next.createInstance();
void i18n.init({ ...i18nConfig, initImmediate: false });

export type AccountMailKind = "verify" | "reset" | "resetDone" | "passwordChanged" | "changeEmailNew" | "changeEmailOld" | "emailChanged";

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

export function renderAccountMail(input: {
  to: string;
  locale: Locale | null | undefined;
  kind: AccountMailKind;
  username: string;
  link?: string;
  params?: Record<string, string>;
}): OutgoingMail {
  const t: TFunction = i18n.getFixedT(isLng(input.locale) ? input.locale : "zh-CN", "account");
  const p = { username: input.username, ...(input.params ?? {}) };
  const subject = t(`mail.${input.kind}.subject`, p);
  const greeting = t("mail.greeting", p);
  const body = t(`mail.${input.kind}.body`, p);
  const footer = t("mail.footer");
  const action = input.link ? t(`mail.${input.kind}.action`, p) : null;
  const text = [greeting, body, input.link ? `${action}:\n${input.link}` : null, footer].filter(Boolean).join("\n\n") + "\n";
  const html = [
    `<!doctype html><html><body style="font-family:sans-serif;line-height:1.5;max-width:36em">`,
    `<p>${escapeHtml(greeting)}</p>`,
    `<p>${escapeHtml(body)}</p>`,
    input.link
      ? `<p><a href="${escapeHtml(input.link)}">${escapeHtml(action!)}</a></p><p style="font-size:small;color:#555">${escapeHtml(input.link)}</p>`
      : "",
    `<p style="font-size:small;color:#555">${escapeHtml(footer)}</p>`,
    `</body></html>`,
  ].join("\n");
  return { to: input.to, subject, text, html };
}

/**
 * Renders and sends an account message. Never throws: a failure is logged (without the link) and
 * reported as false, so that, e.g., the reset form still answers the same way.
 */
export async function sendAccountMail(db: Database, input: Parameters<typeof renderAccountMail>[0]): Promise<boolean> {
  try {
    await deliver(db, renderAccountMail(input));
    return true;
  } catch (error) {
    log.error(`quorum: mail to ${input.to} (${input.kind}) failed:`, error);
    return false;
  }
}

/** The public base URL for links in mail: QUORUM_PUBLIC_URL, else the request's origin. */
export function publicBaseUrl(request: Request): string {
  const configured = config().QUORUM_PUBLIC_URL;
  if (configured) return configured.replace(/\/+$/, "");
  return new URL(request.url).origin;
}
