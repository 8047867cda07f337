import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { storedSessionId } from "~/auth/adapter.server";
import { UAParser } from "ua-parser-js";
import { getAuth, requireUser } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { readForm } from "~/web/http.server";
import { RateLimitNotice } from "~/components/ratelimit";
import { retryAfterHeaders, enforceLimit } from "~/models/ratelimit.server";
import { totpQrDataUrl } from "~/auth/totp.server";
import {
  beginTotpEnrolment,
  cancelTotpEnrolment,
  confirmTotpEnrolment,
  disableTotp,
  endOtherSessions,
  endSessionByHandle,
  listSessions,
  sessionHandle,
  totpState,
} from "~/models/account.server";
import { openSecret } from "~/models/tokens.server";
import { DomainError } from "~/models/errors";
import { RelativeTime } from "~/components/time";

export const meta: MetaFunction = () => [{ title: "Security · 安全 · Quorum" }];

function browserName(ua: string | null): string | null {
  if (!ua) return null;
  const r = UAParser(ua);
  const browser = [r.browser.name, r.browser.major].filter(Boolean).join(" ");
  const os = [r.os.name, r.os.version].filter(Boolean).join(" ");
  return browser ? (os ? `${browser} · ${os}` : browser) : null;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { session } = await getAuth(request);
  const db = await getDb();
  const [state, sessions] = await Promise.all([totpState(db, user.id), listSessions(db, user.id)]);
  // The secret is shown only while enrolment is pending (before the first code confirms it).
  const secret = state.pending && state.sealed ? openSecret(state.sealed) : null;
  return {
    staffRequired: new URL(request.url).searchParams.get("required") === "staff",
    totp: {
      enabled: state.enabled,
      recoveryLeft: state.recoveryLeft,
      secret,
      qr: secret ? await totpQrDataUrl(secret, state.username) : null,
    },
    sessions: sessions.map((s) => ({
      handle: sessionHandle(s.id),
      current: !!session && s.id === storedSessionId(session.id),
      browser: browserName(s.user_agent),
      ip: s.ip,
      lastSeen: s.last_seen_at.toISOString(),
    })),
  };
}

export const headers = retryAfterHeaders;

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  const user = await requireUser(request);
  const { session } = await getAuth(request);
  const db = await getDb();
  const intent = form.get("intent");
  const code = typeof form.get("code") === "string" ? (form.get("code") as string) : "";
  try {
    switch (intent) {
      case "totp-start":
        await beginTotpEnrolment(db, user.id);
        return { ok: null };
      case "totp-cancel":
        await cancelTotpEnrolment(db, user.id);
        return { ok: null };
      case "totp-confirm": {
        // Its own allowance: codes typed while enrolling do not use up the sign-in step's attempts.
        const limited = await enforceLimit(db, "totpEnrolment", String(user.id), {});
        if (limited) return limited;
        const codes = await confirmTotpEnrolment(db, user.id, code, new Date(), session!.id);
        return { ok: "security.enabled", codes };
      }
      case "totp-disable": {
        const limited = await enforceLimit(db, "secondFactor", String(user.id), {});
        if (limited) return limited;
        await disableTotp(db, user.id, code);
        return { ok: "security.disabled" };
      }
      case "session-end": {
        const handle = typeof form.get("session") === "string" ? (form.get("session") as string) : "";
        await endSessionByHandle(db, user.id, handle);
        return { ok: "security.ended" };
      }
      case "sessions-end-others":
        await endOtherSessions(db, user.id, session!.id);
        return { ok: "security.othersEnded" };
    }
  } catch (error) {
    if (error instanceof DomainError) return data({ error: `validation.${error.code}` }, { status: error.status });
    throw error;
  }
  return data({ error: "validation.required" }, { status: 400 });
}

export default function Security() {
  const { staffRequired, totp, sessions } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("account");
  const error = actionData && "error" in actionData ? actionData.error : null;
  const ok = actionData && "ok" in actionData ? actionData.ok : null;
  const codes = actionData && "codes" in actionData ? actionData.codes : null;
  return (
    <div className="settings">
      <h1>{t("security.title")}</h1>
      <p>
        <Link to="/settings">{t("settings.title")}</Link>
      </p>
      {staffRequired && !totp.enabled ? (
        <p className="notice notice-safety" role="alert">
          {t("security.staffRequired")}
        </p>
      ) : null}
      <RateLimitNotice actionData={actionData} kept={false} />
      {error ? (
        <p className="notice notice-error" role="alert">
          {t(`common:${error}`)}
        </p>
      ) : null}
      {ok ? (
        <p className="notice notice-ok" role="status">
          {t(ok)}
        </p>
      ) : null}
      <section className="card" id="two-factor">
        <h2>{t("security.totpTitle")}</h2>
        {codes ? (
          <div className="recovery-codes">
            <h3>{t("security.codesTitle")}</h3>
            <p>{t("security.codesIntro")}</p>
            <ul className="recovery-code-list">
              {codes.map((c) => (
                <li key={c}>
                  <code>{c}</code>
                </li>
              ))}
            </ul>
            <Link to="/settings/security" className="button">
              {t("security.codesDone")}
            </Link>
          </div>
        ) : totp.enabled ? (
          <>
            <p>{t("security.totpOn")}</p>
            <p className="muted">{t("security.recoveryLeft", { count: totp.recoveryLeft })}</p>
            <h3>{t("security.disableTitle")}</h3>
            <Form method="post" className="form form-inline">
              <div className="field">
                <label htmlFor="f-disable-code">{t("security.disableCode")}</label>
                <input id="f-disable-code" type="text" name="code" autoComplete="one-time-code" required maxLength={40} />
              </div>
              <button type="submit" className="button button-secondary" name="intent" value="totp-disable">
                {t("security.disable")}
              </button>
            </Form>
          </>
        ) : totp.secret ? (
          <>
            <p>{t("security.scan")}</p>
            {totp.qr ? <img className="totp-qr" src={totp.qr} alt={t("security.qrAlt")} width={200} height={200} /> : null}
            <p>
              {t("security.secretLabel")}: <code className="totp-secret" data-secret={totp.secret}>{totp.secret}</code>
            </p>
            <Form method="post" className="form form-inline">
              <div className="field">
                <label htmlFor="f-code">{t("security.code")}</label>
                <input id="f-code" type="text" name="code" inputMode="numeric" autoComplete="one-time-code" required maxLength={7} />
              </div>
              <button type="submit" className="button" name="intent" value="totp-confirm">
                {t("security.confirm")}
              </button>
              <button type="submit" className="link-button" name="intent" value="totp-cancel" formNoValidate>
                {t("security.cancel")}
              </button>
            </Form>
          </>
        ) : (
          <>
            <p>{t("security.totpOff")}</p>
            <Form method="post">
              <button type="submit" className="button" name="intent" value="totp-start">
                {t("security.start")}
              </button>
            </Form>
          </>
        )}
      </section>
      <section className="card" id="sessions">
        <h2>{t("security.sessionsTitle")}</h2>
        <p className="muted">{t("security.sessionsIntro")}</p>
        <table className="sessions-table">
          <thead>
            <tr>
              <th scope="col">{t("security.browser")}</th>
              <th scope="col">{t("security.ip")}</th>
              <th scope="col">{t("security.lastSeen")}</th>
              <th scope="col">
                <span className="visually-hidden">{t("security.end")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr key={s.handle} className={s.current ? "session-current" : undefined} data-session={s.handle}>
                <td>
                  {s.browser ?? t("security.unknownBrowser")}
                  {s.current ? <span className="badge">{t("security.thisOne")}</span> : null}
                </td>
                <td>{s.ip ?? "—"}</td>
                <td>
                  <RelativeTime date={s.lastSeen} />
                </td>
                <td>
                  {s.current ? null : (
                    <Form method="post">
                      <input type="hidden" name="session" value={s.handle} />
                      <button type="submit" className="link-button" name="intent" value="session-end">
                        {t("security.end")}
                      </button>
                    </Form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {sessions.length > 1 ? (
          <Form method="post">
            <button type="submit" className="button button-secondary" name="intent" value="sessions-end-others">
              {t("security.endOthers")}
            </button>
          </Form>
        ) : null}
      </section>
    </div>
  );
}
