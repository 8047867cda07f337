/**
 * THE entry point for user-written text. Every text a user writes passes `guardUserText` BEFORE it is
 * stored or sent anywhere (database row, revision, search index, notification, e-mail, log line):
 * thread titles and bodies, answers, edits, usernames — and anything added later (FAQ edits, report
 * comments, profile fields). A route action does:
 *
 *   const guard = guardUserText({ title, body }, { override: form.get(CONFIRM_FIELD) === "1", markdown: ["body"] });
 *   if (!guard.ok) return guardFormError(guard, values);   // 422, secret masked, nothing written
 *   … write, using guard.hasAddress for posts.has_address …
 *
 * What it checks (all pure, see the modules' header comments):
 *  - secrets (app/safety/secrets.ts): a recovery phrase, a near miss of one, or a private key → "block"
 *    (cannot be overridden); a "warn" (allowed once the author ticks CONFIRM_FIELD) is still supported
 *    here, though the detector no longer returns it;
 *  - blocked link domains (QUORUM_BLOCKED_DOMAINS + DEFAULT_BLOCKED_DOMAINS) in the Markdown fields,
 *    subdomains included → refused;
 *  - phishing links (app/safety/links.server.ts): look-alikes of the official domains, wallet-connect /
 *    approve links → refused;
 *  - wallet addresses (app/safety/addresses.ts) → not refused; `hasAddress` says whether to warn readers.
 *
 * It logs NOTHING (no console, no error with the input in its message): what it caught must not leak
 * through the logs. The refusal it returns carries only the MASKED text, so neither the page nor the
 * action data ever echo the secret back.
 */
import { data } from "@remix-run/node";
import { findWalletAddresses } from "~/safety/addresses";
import { linkHosts, linkUrls } from "~/content/markdown.server";
import { officialDomains, phishingLink, trustedLinkHosts, type PhishingLink } from "~/safety/links.server";
import type { FieldErrors } from "~/web/schemas";
import { guardFields, type SecretKind } from "~/safety/secrets";
import { config } from "~/web/config.server";
import { GuardRefusedError } from "~/models/errors";

export { GuardRefusedError };
import { scanForSecrets } from "~/safety/secrets";

/** The checkbox a warned author ticks to post anyway ("I confirm this is not a recovery phrase"). */
export const CONFIRM_FIELD = "confirmNotSecret";

/**
 * Domains refused in links, on top of QUORUM_BLOCKED_DOMAINS (comma-separated). Kept short on purpose:
 * the operator's list is the real one. These examples are reserved-for-documentation names that can
 * never be legitimate in a post, so the mechanism is exercised out of the box.
 */
export const DEFAULT_BLOCKED_DOMAINS: readonly string[] = ["phishing.example", "wallet-verify.invalid"];

function normaliseDomain(d: string): string {
  return d.trim().toLowerCase().replace(/^\*\./, "").replace(/^\.+|\.+$/g, "");
}

/** The blocked domains now in force (read on every call, so tests and operators can change the env). */
export function blockedDomains(): string[] {
  const extra = config().QUORUM_BLOCKED_DOMAINS.map(normaliseDomain).filter(Boolean);
  return [...new Set([...DEFAULT_BLOCKED_DOMAINS.map(normaliseDomain), ...extra])];
}

/** The blocked domain a host falls under (the domain itself or any subdomain of it), or null. */
export function blockedDomainOf(host: string, blocked: readonly string[] = blockedDomains()): string | null {
  const h = normaliseDomain(host);
  for (const d of blocked) if (h === d || h.endsWith(`.${d}`)) return d;
  return null;
}

export type SafetyIssue =
  | { kind: "secret"; verdict: "block" | "warn"; secretKinds: SecretKind[] }
  | { kind: "blockedDomain"; domain: string }
  | { kind: "phishingLink"; domain: string; reason: PhishingLink["reason"] };

export type GuardOutcome<T extends Record<string, string>> =
  | { ok: true; hasAddress: boolean }
  | {
      ok: false;
      issue: SafetyIssue;
      /** The fields with every finding masked (block) — or as written (warn / blocked domain). */
      values: T;
      errors: FieldErrors;
    };

/**
 * Checks the user-written fields of one submission. `markdown` names the fields that are rendered as
 * Markdown (links and wallet addresses are looked for there); `override` is the author's explicit
 * confirmation for a "warn" verdict (never for "block").
 */
export function guardUserText<T extends Record<string, string>>(
  fields: T,
  opts: { override?: boolean; markdown?: readonly (keyof T)[] } = {},
): GuardOutcome<T> {
  const g = guardFields(fields);
  if (g.verdict === "block" || (g.verdict === "warn" && !opts.override)) {
    const errors: FieldErrors = {};
    const kinds = new Set<SecretKind>();
    for (const key of Object.keys(fields) as (keyof T & string)[]) {
      const found = g.findings[key];
      if (found.length === 0) continue;
      for (const f of found) kinds.add(f.kind);
      errors[key] = { key: g.verdict === "block" ? "safety:field.blocked" : "safety:field.warned" };
    }
    // A blocked submission comes back masked; a warned one as written (the author must be able to
    // confirm — or fix — the very text that was questioned).
    const values = g.verdict === "block" ? g.masked : { ...fields };
    return { ok: false, issue: { kind: "secret", verdict: g.verdict, secretKinds: [...kinds] }, values, errors };
  }
  const blocked = blockedDomains();
  let hasAddress = false;
  let trusted: string[] | undefined;
  let official: string[] | undefined;
  for (const key of opts.markdown ?? []) {
    const text = fields[key];
    if (!text) continue;
    if (blocked.length > 0)
      for (const host of linkHosts(text)) {
        const domain = blockedDomainOf(host, blocked);
        if (domain)
          return {
            ok: false,
            issue: { kind: "blockedDomain", domain },
            values: { ...fields },
            errors: { [key]: { key: "safety:field.blockedDomain", params: { domain } } },
          };
      }
    for (const url of linkUrls(text)) {
      const phishing = phishingLink(url, (trusted ??= trustedLinkHosts()), (official ??= officialDomains()));
      if (phishing)
        return {
          ok: false,
          issue: { kind: "phishingLink", ...phishing },
          values: { ...fields },
          errors: { [key]: { key: "safety:field.phishingLink", params: { domain: phishing.domain } } },
        };
    }
    if (!hasAddress && findWalletAddresses(text).length > 0) hasAddress = true;
  }
  return { ok: true, hasAddress };
}

/** What the form needs to explain a refusal (no text of the submission in it). */
export type SafetyPayload = { issue: SafetyIssue; nonce: string };

/**
 * The refusal as a form response: 422 with the field errors, the (masked) values merged over the other
 * submitted values, and `safety` for the explanation panel. `nonce` lets the page remount its inputs
 * so that, with JavaScript on, the textarea shows the masked text and not what was typed.
 */
export function guardFormError<T extends Record<string, string>>(
  outcome: Extract<GuardOutcome<T>, { ok: false }>,
  values: Record<string, string>,
  moreErrors: FieldErrors = {},
) {
  const safety: SafetyPayload = { issue: outcome.issue, nonce: crypto.randomUUID() };
  return data(
    { errors: { ...moreErrors, ...outcome.errors }, values: maskedValues({ ...values, ...outcome.values }), safety },
    { status: 422 },
  );
}

/** The author's confirmation for a warned text, from a submitted form. */
export function confirmed(form: FormData): boolean {
  return form.get(CONFIRM_FIELD) === "1";
}

export type GuardRefusal = Extract<GuardOutcome<Record<string, string>>, { ok: false }>;

/**
 * What model functions call on every user-written text they store, before anything is written:
 * throws GuardRefusedError, or says whether a Markdown field holds a wallet address.
 * `override` is the author's "this is not a recovery phrase" (CONFIRM_FIELD), never for a block.
 */
export function assertSafeText<T extends Record<string, string>>(
  fields: T,
  opts: { override?: boolean; markdown?: readonly (keyof T)[] } = {},
): { hasAddress: boolean } {
  const outcome = guardUserText(fields, opts);
  if (!outcome.ok) throw new GuardRefusedError(outcome as unknown as GuardRefusal);
  return { hasAddress: outcome.hasAddress };
}

/**
 * Submitted values as they may be sent back to the browser: any field holding a secret the guard
 * blocks comes back masked, whatever error made the form come back (a too-short title beside a
 * phrase in the body). Every form echo goes through this (formError, guardFormError, limitedResponse).
 */
export function maskedValues<T extends Record<string, string>>(values: T): T {
  let out: T | null = null;
  for (const [key, value] of Object.entries(values)) {
    if (typeof value !== "string") continue;
    const r = scanForSecrets(value);
    if (r.verdict === "block") (out ??= { ...values })[key as keyof T] = r.masked as T[keyof T];
  }
  return out ?? values;
}
