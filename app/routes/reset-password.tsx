import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { useTranslation } from "react-i18next";
import { getAuth } from "~/auth/session.server";
import { lucia } from "~/auth/lucia.server";
import { Field, formResult } from "~/components/forms";
import { getDb } from "~/db.server";
import { formError } from "~/web/forms.server";
import { readForm } from "~/web/http.server";
import { parseForm, passwordSchema, type FieldErrors } from "~/web/schemas";
import { peekToken } from "~/models/tokens.server";
import { resetPassword } from "~/models/account.server";

export const meta: MetaFunction = () => [{ title: "New password · 新密码 · Quorum" }];

const schema = z.object({ token: z.string().min(1).max(100), password: passwordSchema });

export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const db = await getDb();
  // Looking does not use the link; only setting the password does.
  const valid = !!(await peekToken(db, token, "reset_password"));
  return data({ token: valid ? token : null }, { status: valid ? 200 : 400 });
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  const parsed = parseForm(schema, form);
  if (!parsed.ok) return formError(parsed.errors, {});
  const db = await getDb();
  const user = await resetPassword(db, parsed.data.token, parsed.data.password);
  if (!user) return data({ invalid: true as const }, { status: 400 });
  // Every session of the account is gone, this browser's too: clear its cookie.
  const { session } = await getAuth(request);
  return data({ done: true as const }, session || request.headers.get("Cookie")?.includes(lucia.sessionCookieName) ? { headers: { "Set-Cookie": lucia.createBlankSessionCookie().serialize() } } : undefined);
}

export default function ResetPassword() {
  const { token } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("account");
  const { errors } = formResult(actionData);
  if (actionData && "done" in actionData) {
    return (
      <section className="card auth-card">
        <h1>{t("reset.title")}</h1>
        <p className="notice notice-ok" role="status">
          {t("reset.done")}
        </p>
        <p>
          <Link to="/login">{t("common:nav.login")}</Link>
        </p>
      </section>
    );
  }
  if (!token || (actionData && "invalid" in actionData)) {
    return (
      <section className="card auth-card">
        <h1>{t("reset.title")}</h1>
        <p className="notice notice-error" role="alert">
          {t("reset.invalid")}
        </p>
        <p>
          <Link to="/forgot-password">{t("reset.askAgain")}</Link>
        </p>
      </section>
    );
  }
  return (
    <section className="card auth-card">
      <h1>{t("reset.title")}</h1>
      <Form method="post" className="form" noValidate>
        <input type="hidden" name="token" value={token} />
        <Field name="password" label={t("reset.password")} hint={t("common:auth.passwordHint")} error={errors.password}>
          {(aria) => <input {...aria} type="password" name="password" autoComplete="new-password" required />}
        </Field>
        <div className="form-actions">
          <button type="submit" className="button">
            {t("reset.submit")}
          </button>
        </div>
      </Form>
    </section>
  );
}
