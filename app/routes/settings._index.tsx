import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { useTranslation } from "react-i18next";
import { getAuth, requireUser } from "~/auth/session.server";
import { Field, formResult } from "~/components/forms";
import { getDb } from "~/db.server";
import { domainFormError, formError } from "~/web/forms.server";
import { readForm } from "~/web/http.server";
import { emailSchema, formValues, parseForm, passwordSchema, type FieldErrors } from "~/web/schemas";
import { changePassword, requestEmailChange } from "~/models/account.server";
import { RateLimitNotice } from "~/components/ratelimit";
import { retryAfterHeaders } from "~/models/ratelimit.server";

export const meta: MetaFunction = () => [{ title: "Settings · 设置 · Quorum" }];

const currentSchema = z.string({ required_error: "required" }).min(1, "required").max(256, "tooLong");
const passwordForm = z.object({ current: currentSchema, password: passwordSchema });
const emailForm = z.object({ current: currentSchema, email: emailSchema });

export const headers = retryAfterHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = await getDb();
  const row = await db.selectFrom("users").select(["email", "email_verified_at"]).where("id", "=", user.id).executeTakeFirstOrThrow();
  return { email: row.email, verified: !!row.email_verified_at };
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  const user = await requireUser(request);
  const { session } = await getAuth(request);
  const db = await getDb();
  const intent = form.get("intent");
  if (intent === "password") {
    const parsed = parseForm(passwordForm, form);
    if (!parsed.ok) return formError(parsed.errors, { intent: "password" });
    try {
      await changePassword(db, { userId: user.id, current: parsed.data.current, password: parsed.data.password, keepSessionId: session!.id });
    } catch (error) {
      return domainFormError(error, { intent: "password" });
    }
    return { done: "password" as const };
  }
  if (intent === "email") {
    const values = { ...formValues(form, "email"), intent: "email" };
    const parsed = parseForm(emailForm, form);
    if (!parsed.ok) return formError(parsed.errors, values);
    try {
      await requestEmailChange(db, request, { userId: user.id, current: parsed.data.current, newEmail: parsed.data.email });
    } catch (error) {
      return domainFormError(error, values);
    }
    return { done: "email" as const };
  }
  return formError({ _form: { key: "validation.required" } }, {});
}

export default function Settings() {
  const { email, verified } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("account");
  const values = (actionData && "values" in actionData ? actionData.values : {}) as Record<string, string>;
  const { errors } = formResult(actionData);
  const done = actionData && "done" in actionData ? actionData.done : null;
  const pwErrors = values.intent === "password" ? errors : {};
  const emErrors = values.intent === "email" ? errors : {};
  return (
    <div className="settings">
      <h1>{t("settings.title")}</h1>
      <p>
        <Link to="/settings/security">{t("settings.securityLink")}</Link>
      </p>
      <section className="card">
        <h2>{t("settings.passwordTitle")}</h2>
        {done === "password" ? (
          <p className="notice notice-ok" role="status">
            {t("settings.passwordChanged")}
          </p>
        ) : null}
        <Form method="post" className="form" noValidate>
          <Field name="pw-current" label={t("settings.current")} error={pwErrors.current}>
            {(aria) => <input {...aria} type="password" name="current" autoComplete="current-password" required />}
          </Field>
          <Field name="pw-new" label={t("settings.newPassword")} hint={t("common:auth.passwordHint")} error={pwErrors.password}>
            {(aria) => <input {...aria} type="password" name="password" autoComplete="new-password" required />}
          </Field>
          <div className="form-actions">
            <button type="submit" className="button" name="intent" value="password">
              {t("settings.savePassword")}
            </button>
          </div>
        </Form>
      </section>
      <section className="card">
        <h2>{t("settings.emailTitle")}</h2>
        <p>
          {t("settings.emailNow", { email })} ({verified ? t("settings.emailVerified") : t("settings.emailUnverified")})
        </p>
        {done === "email" ? (
          <p className="notice notice-ok" role="status">
            {t("settings.emailPending")}
          </p>
        ) : null}
        {values.intent === "email" ? <RateLimitNotice actionData={actionData} /> : null}
        <Form method="post" className="form" noValidate>
          <Field name="em-new" label={t("settings.newEmail")} error={emErrors.email}>
            {(aria) => <input {...aria} type="email" name="email" autoComplete="email" defaultValue={values.email} required />}
          </Field>
          <Field name="em-current" label={t("settings.current")} error={emErrors.current}>
            {(aria) => <input {...aria} type="password" name="current" autoComplete="current-password" required />}
          </Field>
          <div className="form-actions">
            <button type="submit" className="button" name="intent" value="email">
              {t("settings.saveEmail")}
            </button>
          </div>
        </Form>
      </section>
    </div>
  );
}
