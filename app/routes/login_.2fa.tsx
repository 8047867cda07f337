import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { clearPendingLoginCookie, readPendingLoginToken, startSession } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { badRequest, readForm, safeRedirectPath } from "~/web/http.server";
import { RateLimitNotice } from "~/components/ratelimit";
import { retryAfterHeaders, enforceLimit, resetLimit } from "~/models/ratelimit.server";
import { consumeToken, peekToken } from "~/models/tokens.server";
import { checkSecondFactor } from "~/models/account.server";

export const meta: MetaFunction = () => [{ title: "Two-factor sign-in · 两步验证 · Quorum" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const token = readPendingLoginToken(request);
  const db = await getDb();
  if (!token || !(await peekToken(db, token, "login_2fa"))) {
    throw redirect("/login", { headers: { "Set-Cookie": clearPendingLoginCookie() } });
  }
  // Checked here rather than read from the address bar: a redirectTo holding a phrase is not echoed.
  return { redirectTo: safeRedirectPath(new URL(request.url).searchParams.get("redirectTo")) };
}

export const headers = retryAfterHeaders;

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  const redirectTo = safeRedirectPath(form.get("redirectTo"));
  const code = typeof form.get("code") === "string" ? (form.get("code") as string) : "";
  const token = readPendingLoginToken(request);
  const db = await getDb();
  const pending = token ? await peekToken(db, token, "login_2fa") : undefined;
  if (!token || !pending) return badRequest({ error: "twoFactor.expired" }, { headers: { "Set-Cookie": clearPendingLoginCookie() } });
  const limited = await enforceLimit(db, "secondFactor", String(pending.user_id), {});
  if (limited) return limited;
  const passed = await checkSecondFactor(db, pending.user_id, code);
  if (!passed) return badRequest({ error: "twoFactor.wrong" });
  // The pending token is used once; only now does a session exist.
  if (!(await consumeToken(db, token, "login_2fa"))) {
    return badRequest({ error: "twoFactor.expired" }, { headers: { "Set-Cookie": clearPendingLoginCookie() } });
  }
  await resetLimit(db, "secondFactor", String(pending.user_id));
  return startSession(pending.user_id, request, redirectTo, [clearPendingLoginCookie()]);
}

export default function TwoFactorLogin() {
  const actionData = useActionData<typeof action>();
  const { redirectTo } = useLoaderData<typeof loader>();
  const { t } = useTranslation("account");
  const error = actionData && "error" in actionData ? actionData.error : null;
  return (
    <section className="card auth-card">
      <h1>{t("twoFactor.title")}</h1>
      <p>{t("twoFactor.intro")}</p>
      <RateLimitNotice actionData={actionData} kept={false} />
      {error ? (
        <div className="notice notice-error" role="alert">
          {t(error)}
        </div>
      ) : null}
      <Form method="post" className="form">
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <div className="field">
          <label htmlFor="f-code">{t("twoFactor.code")}</label>
          <input id="f-code" type="text" name="code" inputMode="text" autoComplete="one-time-code" autoFocus required maxLength={40} />
        </div>
        <div className="form-actions">
          <button type="submit" className="button">
            {t("twoFactor.submit")}
          </button>
        </div>
      </Form>
    </section>
  );
}
