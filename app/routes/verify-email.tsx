import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { readForm, safeRedirectPath } from "~/web/http.server";
import { retryAfterHeaders, enforceLimit } from "~/models/ratelimit.server";
import { confirmEmailChange, sendVerification, verifyEmail } from "~/models/account.server";
import { DomainError } from "~/models/errors";

export const meta: MetaFunction = () => [{ title: "E-mail · 邮箱 · Quorum" }];

/**
 * The links in verification and e-mail-change mail land here: ?token= confirms the address,
 * ?change= makes a requested new address the account's. Each link works once.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const db = await getDb();
  const token = url.searchParams.get("token");
  const change = url.searchParams.get("change");
  if (token) {
    const user = await verifyEmail(db, token);
    return data({ result: user ? "done" : "invalid", email: null as string | null }, { status: user ? 200 : 400 });
  }
  if (change) {
    try {
      const user = await confirmEmailChange(db, change);
      return data({ result: user ? "changed" : "invalid", email: user?.email ?? null }, { status: user ? 200 : 400 });
    } catch (error) {
      if (error instanceof DomainError) return data({ result: "invalid", email: null }, { status: 409 });
      throw error;
    }
  }
  const sent = url.searchParams.get("sent");
  return { result: sent === "1" ? "sent" : sent === "0" ? "limited" : "invalid", email: null };
}

/** "Send the link again" (the banner on every page): rate-limited per account. */
export const headers = retryAfterHeaders;

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  const user = await requireUser(request);
  const back = safeRedirectPath(form.get("redirectTo"));
  const db = await getDb();
  if (user.emailVerified) throw redirect(back);
  const limited = await enforceLimit(db, "verifyResend", String(user.id), {}, { result: "limited" as const });
  if (limited) return limited;
  await sendVerification(db, request, user.id);
  throw redirect("/verify-email?sent=1");
}

export default function VerifyEmail() {
  const { result, email } = useLoaderData<typeof loader>();
  const { t } = useTranslation("account");
  const text =
    result === "done"
      ? t("verify.done")
      : result === "changed"
        ? t("verify.changed", { email })
        : result === "sent"
          ? t("banner.sent")
          : result === "limited"
            ? t("verify.limited")
            : t("verify.invalid");
  const ok = result === "done" || result === "changed" || result === "sent";
  return (
    <section className="card auth-card">
      <h1>{t("verify.title")}</h1>
      <p className={ok ? "notice notice-ok" : "notice notice-error"} role="status">
        {text}
      </p>
      <p>
        <Link to="/">{t("common:errors.backHome")}</Link>
      </p>
    </section>
  );
}
