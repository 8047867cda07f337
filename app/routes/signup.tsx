import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { clientIp, getUser, startSession } from "~/auth/session.server";
import { RateLimitNotice } from "~/components/ratelimit";
import { retryAfterHeaders, ipKey, limitedResponse, underLimit } from "~/models/ratelimit.server";
import { Field, FormProblems, formResult } from "~/components/forms";
import { getDb } from "~/db.server";
import { domainFormError, formError } from "~/web/forms.server";
import { readForm, safeRedirectPath } from "~/web/http.server";
import { formValues, parseForm, signupSchema, type FieldErrors } from "~/web/schemas";
import { getLocale } from "~/i18n/i18next.server";
import { createUser, usernameProblem } from "~/models/users.server";
import { sendVerification } from "~/models/account.server";
import { queueMailWork } from "~/server/mail.server";

export const meta: MetaFunction = () => [{ title: "Sign up · 注册 · Quorum" }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUser(request)) throw redirect("/");
  // Checked here rather than read from the address bar: a redirectTo holding a phrase is not echoed.
  return { redirectTo: safeRedirectPath(new URL(request.url).searchParams.get("redirectTo")) };
}

export const headers = retryAfterHeaders;

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const values = formValues(form, "username", "email");
  const redirectTo = safeRedirectPath(form.get("redirectTo"));
  // Honeypot: people never see this field; bots that fill every input do. Answer as if it failed
  // validation, without saying why.
  if (typeof form.get("website") === "string" && (form.get("website") as string).length > 0) {
    return formError({ _form: { key: "validation.required" } }, values);
  }
  const parsed = parseForm(signupSchema, form);
  if (!parsed.ok) return formError(parsed.errors, values);
  const db = await getDb();
  // Nobody may pass for staff: no reserved words, nothing confusable with a staff account's name.
  const nameProblem = await usernameProblem(db, parsed.data.username);
  if (nameProblem) {
    const error =
      nameProblem.code === "reserved"
        ? { key: "safety:name.reserved", params: { word: nameProblem.word } }
        : { key: "safety:name.confusable", params: { name: nameProblem.with } };
    return formError({ username: error }, values, 422);
  }
  // Sign-ups per client address: spent just before the write, given back if it fails.
  const ip = ipKey(context?.clientIp ?? clientIp(request));
  const locale = await getLocale(request);
  let outcome;
  try {
    outcome = await underLimit(db, "signupPerIp", ip, () => createUser(db, { ...parsed.data, locale }));
  } catch (error) {
    return domainFormError(error, values);
  }
  if (outcome.limited) return limitedResponse(outcome.limited, values);
  // After the answer (like a reset request): a sign-up costs the same whether or not mail goes out.
  const userId = outcome.result.id;
  queueMailWork(() => sendVerification(db, request, userId));
  return startSession(userId, request, redirectTo);
}

export default function Signup() {
  const actionData = useActionData<typeof action>();
  const { errors, values } = formResult(actionData);
  const { redirectTo } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const { t } = useTranslation();
  return (
    <section className="card auth-card">
      <h1>{t("auth.signupTitle")}</h1>
      <RateLimitNotice actionData={actionData} />
      <FormProblems show={Object.keys(errors).length > 0} />
      <Form method="post" className="form" noValidate>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <div className="honeypot" aria-hidden="true">
          <label htmlFor="f-website">{t("auth.honeypot")}</label>
          <input id="f-website" type="text" name="website" tabIndex={-1} autoComplete="off" />
        </div>
        <Field name="username" label={t("auth.username")} hint={t("auth.usernameHint")} error={errors.username}>
          {(aria) => <input {...aria} type="text" name="username" autoComplete="username" defaultValue={values.username} required />}
        </Field>
        <Field name="email" label={t("auth.email")} hint={t("auth.emailHint")} error={errors.email}>
          {(aria) => <input {...aria} type="email" name="email" autoComplete="email" defaultValue={values.email} required />}
        </Field>
        <Field name="password" label={t("auth.password")} hint={t("auth.passwordHint")} error={errors.password}>
          {(aria) => <input {...aria} type="password" name="password" autoComplete="new-password" required />}
        </Field>
        {errors._form ? <p className="field-error">{t(errors._form.key)}</p> : null}
        <div className="form-actions">
          <button type="submit" className="button" disabled={navigation.state === "submitting"}>
            {t("auth.submitSignup")}
          </button>
        </div>
      </Form>
      <p className="muted">
        {t("auth.haveAccount")} <Link to={`/login?redirectTo=${encodeURIComponent(redirectTo)}`}>{t("nav.login")}</Link>
      </p>
    </section>
  );
}
