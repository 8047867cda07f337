import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { clientIp } from "~/auth/session.server";
import { Field, formResult } from "~/components/forms";
import { getDb } from "~/db.server";
import { formError } from "~/web/forms.server";
import { readForm } from "~/web/http.server";
import { emailSchema, formValues, parseForm, type FieldErrors } from "~/web/schemas";
import { requestPasswordReset } from "~/models/account.server";
import { z } from "zod";

export const meta: MetaFunction = () => [{ title: "Forgot password · 忘记密码 · Quorum" }];

const schema = z.object({ email: emailSchema });

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const values = formValues(form, "email");
  const parsed = parseForm(schema, form);
  if (!parsed.ok) return formError(parsed.errors, values);
  const db = await getDb();
  // The same answer whether an account exists, the mail went out or the limit was hit.
  await requestPasswordReset(db, request, parsed.data.email, context?.clientIp ?? clientIp(request));
  return { sent: true as const };
}

export default function ForgotPassword() {
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("account");
  const { errors, values } = formResult(actionData);
  if (actionData && "sent" in actionData) {
    return (
      <section className="card auth-card">
        <h1>{t("forgot.title")}</h1>
        <p className="notice notice-ok" role="status">
          {t("forgot.sent")}
        </p>
      </section>
    );
  }
  return (
    <section className="card auth-card">
      <h1>{t("forgot.title")}</h1>
      <p>{t("forgot.intro")}</p>
      <Form method="post" className="form" noValidate>
        <Field name="email" label={t("forgot.email")} error={errors.email}>
          {(aria) => <input {...aria} type="email" name="email" autoComplete="email" defaultValue={values.email} required />}
        </Field>
        <div className="form-actions">
          <button type="submit" className="button">
            {t("forgot.submit")}
          </button>
        </div>
      </Form>
    </section>
  );
}
