import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { afterLoginPath, clientIp, getUser, pendingLoginCookie, startSession } from "~/auth/session.server";
import { Field, FormProblems, formResult } from "~/components/forms";
import { getDb } from "~/db.server";
import { formError } from "~/web/forms.server";
import { readForm, safeRedirectPath } from "~/web/http.server";
import { formValues, loginSchema, parseForm, type FieldErrors } from "~/web/schemas";
import { attemptLogin } from "~/models/login.server";
import { RateLimitNotice } from "~/components/ratelimit";
import { retryAfterHeaders, limitedResponse } from "~/models/ratelimit.server";
import { issueToken, voidTokens } from "~/models/tokens.server";

export const meta: MetaFunction = () => [{ title: "Log in · 登录 · Quorum" }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUser(request)) {
    throw redirect(safeRedirectPath(new URL(request.url).searchParams.get("redirectTo")));
  }
  // Checked here rather than read from the address bar: a redirectTo holding a phrase is not echoed.
  return { redirectTo: safeRedirectPath(new URL(request.url).searchParams.get("redirectTo")) };
}

export const headers = retryAfterHeaders;

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const values = formValues(form, "login");
  const redirectTo = safeRedirectPath(form.get("redirectTo"));
  const parsed = parseForm(loginSchema, form);
  if (!parsed.ok) return formError(parsed.errors, values);
  const db = await getDb();
  const attempt = await attemptLogin(db, { ...parsed.data, ip: context?.clientIp ?? clientIp(request) });
  if (!attempt.ok) {
    if (attempt.limited) return limitedResponse(attempt.limited, values);
    // One message whatever was wrong, so the form does not reveal which accounts exist.
    return formError({ _form: { key: "auth.wrongCredentials" } }, values);
  }
  const user = attempt.user;
  if (user.totpEnabled) {
    // Second step: no session yet, only a short-lived pending-login token (hashed in the database).
    await voidTokens(db, user.id, ["login_2fa"]);
    const token = await issueToken(db, { userId: user.id, purpose: "login_2fa" });
    return redirect(`/login/2fa?redirectTo=${encodeURIComponent(redirectTo)}`, { headers: { "Set-Cookie": pendingLoginCookie(token) } });
  }
  // A staff member without two-factor sign-in enrols first: until then they have no staff powers.
  return startSession(user.id, request, afterLoginPath({ role: user.role, suspendedUntil: user.suspendedUntil, twoFactor: false }, redirectTo));
}

export default function Login() {
  const actionData = useActionData<typeof action>();
  const { errors, values } = formResult(actionData);
  const { redirectTo } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const { t } = useTranslation();
  return (
    <section className="card auth-card">
      <h1>{t("auth.loginTitle")}</h1>
      <RateLimitNotice actionData={actionData} />
      {errors._form ? (
        <div className="notice notice-error" role="alert">
          {t(errors._form.key)}
        </div>
      ) : (
        <FormProblems show={Object.keys(errors).length > 0} />
      )}
      <Form method="post" className="form" noValidate>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <Field name="login" label={t("auth.login")} error={errors.login}>
          {(aria) => <input {...aria} type="text" name="login" autoComplete="username" defaultValue={values.login} required />}
        </Field>
        <Field name="password" label={t("auth.password")} error={errors.password}>
          {(aria) => <input {...aria} type="password" name="password" autoComplete="current-password" required />}
        </Field>
        <div className="form-actions">
          <button type="submit" className="button" disabled={navigation.state === "submitting"}>
            {t("auth.submitLogin")}
          </button>
        </div>
      </Form>
      <p className="muted">
        <Link to="/forgot-password">{t("account:forgot.link")}</Link>
      </p>
      <p className="muted">
        {t("auth.noAccount")} <Link to={`/signup?redirectTo=${encodeURIComponent(redirectTo)}`}>{t("nav.signup")}</Link>
      </p>
    </section>
  );
}
