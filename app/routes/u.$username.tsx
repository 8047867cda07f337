import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { StatusBadge } from "~/components/thread-row";
import { StaffBadge } from "~/components/user-link";
import { ThreadMarks } from "~/components/moderation";
import { RelativeTime, useLocale } from "~/components/time";
import { getDb } from "~/db.server";
import type { Database } from "~db/index";
import { formatDate, formatDay, formatNumber } from "~/i18n/format";
import { notFound, readForm } from "~/web/http.server";
import { denyReason, hasStaffPowers } from "~/policy/policy";
import { getUser, requireStaff, toActor } from "~/auth/session.server";
import { FieldErrorText } from "~/components/forms";
import { SuspendFields } from "~/components/suspend-fields";
import { domainFormError, echoValues, formError, parseFormData } from "~/web/forms.server";
import { z } from "zod";

/** The staff panel's form: every field optional text, checked by readReason/readSuspendUntil below. */
const suspendForm = z.object({
  intent: z.string().default(""),
  reason: z.string().default(""),
  duration: z.string().default(""),
  customDays: z.string().default(""),
});
import { SUSPEND_REASON_MAX, suspensionActive } from "~/domain/reports";
import { readReason, readSuspendUntil } from "~/forms/reports-form.server";
import type { FieldErrors } from "~/web/schemas";
import { DomainError, GuardRefusedError } from "~/models/errors";
import { getSuspension, liftSuspension, suspendUser } from "~/models/reports.server";
import { findUserByUsername, getProfile } from "~/models/users.server";
import { viewerOf } from "~/policy/visibility.server";
import { threadPath, userPath } from "~/web/paths";
import { isVeteran } from "~/domain/reputation";
import { veteranThreshold } from "~/domain/reputation.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: `${data.user.username} · Quorum` }] : []);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = await getDb();
  const viewer = await getUser(request);
  const profile = await getProfile(db, params.username ?? "", viewerOf(toActor(viewer)));
  if (!profile) notFound();
  const threshold = veteranThreshold();
  return { ...profile, veteran: isVeteran(profile.user.reputation, threshold) ? { threshold } : null, moderation: await moderationOf(db, viewer, profile.user) };
}

/** Staff see an account's suspension, and may suspend or lift it where the policy allows (issue 8). */
async function moderationOf(db: Database, viewer: Awaited<ReturnType<typeof getUser>>, target: { id: number; role: "user" | "moderator" | "admin" }) {
  const actor = toActor(viewer);
  if (!hasStaffPowers(actor)) return null;
  const s = await getSuspension(db, target.id);
  const active = suspensionActive(s?.suspended_until);
  return {
    suspendedUntil: active ? s!.suspended_until : null,
    suspendedReason: active ? s!.suspended_reason : null,
    canSuspend: denyReason(actor, { action: "user.suspend", user: target }) === null,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readForm(request);
  const user = await requireStaff(request);
  const db = await getDb();
  // Only the account is needed here, not the profile's lists.
  const target = await findUserByUsername(db, params.username ?? "");
  if (!target) notFound();
  const parsed = parseFormData(form, suspendForm);
  const fields = parsed.ok ? parsed.data : suspendForm.parse({}); // every field has a default: always ok
  const intent = fields.intent;
  const values = { reason: fields.reason, duration: fields.duration, customDays: fields.customDays };
  const back = userPath(target.username);
  try {
    if (intent === "lift") {
      await liftSuspension(db, { actor: toActor(user)!, userId: target.id });
      return redirect(`${back}?lifted=1`);
    }
    if (intent !== "suspend") return formError({ _form: { key: "reports:errors.badDecision" } }, values);
    const errors: FieldErrors = {};
    const until = readSuspendUntil(form, errors);
    const reason = readReason(form, "reason", SUSPEND_REASON_MAX, errors);
    if (Object.keys(errors).length > 0) return formError(errors, values);
    await suspendUser(db, { actor: toActor(user)!, userId: target.id, until, reason });
    return redirect(`${back}?suspended=1`);
  } catch (error) {
    if (error instanceof GuardRefusedError) return domainFormError(error, values);
    if (!(error instanceof DomainError)) throw error;
    return data({ errors: { _form: { key: `reports:errors.${error.code}` } } as FieldErrors, values: echoValues(values) }, { status: error.status });
  }
}

/** The staff's panel on a profile: the suspension in force (with "lift") or the form to suspend. */
function ModerationPanel({ moderation }: { moderation: NonNullable<Awaited<ReturnType<typeof moderationOf>>> }) {
  const { t } = useTranslation("reports");
  const locale = useLocale();
  const actionData = useActionData<typeof action>() as { errors?: FieldErrors; values?: Record<string, string> } | undefined;
  const errors = actionData?.errors ?? {};
  return (
    <section className="card moderation-panel">
      <h2>{t("suspension.heading")}</h2>
      {moderation.suspendedUntil ? (
        <p className="notice notice-error">
          {t("suspension.profileSuspended", { until: formatDate(moderation.suspendedUntil, locale) })}
          {moderation.suspendedReason ? <> · {t("suspension.reason", { reason: moderation.suspendedReason })}</> : null}
        </p>
      ) : null}
      <FieldErrorText id="suspend-form-error" error={errors._form} />
      {moderation.canSuspend ? (
        moderation.suspendedUntil ? (
          <Form method="post">
            <input type="hidden" name="intent" value="lift" />
            <button type="submit" className="button button-small button-secondary">
              {t("suspension.lift")}
            </button>
          </Form>
        ) : (
          <Form method="post" className="form">
            <input type="hidden" name="intent" value="suspend" />
            <SuspendFields idPrefix="suspend" errors={errors} values={actionData?.values} />
            <button type="submit" className="button button-small button-danger">
              {t("suspension.suspend")}
            </button>
          </Form>
        )
      ) : null}
    </section>
  );
}

export default function Profile() {
  const { user, threads, replies, counts, veteran, moderation } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <>
      <section className="card profile-head">
        <div className="avatar" aria-hidden="true">
          {user.username.slice(0, 1).toUpperCase()}
        </div>
        <div>
          <h1>
            {user.username}{" "}
            {user.badge_role !== "user" ? <StaffBadge role={user.badge_role} label={t(`role.${user.badge_role}`)} /> : null}
            {veteran ? (
              <span className="badge badge-veteran" title={t("qa:badge.veteranTitle", { threshold: veteran.threshold })}>
                {t("qa:badge.veteran")}
              </span>
            ) : null}
          </h1>
          <p className="muted">{t("profile.joined", { time: formatDay(user.created_at, locale) })}</p>
        </div>
        <div className="stat-row">
          <div className="stat">
            <strong>{formatNumber(user.reputation, locale)}</strong>
            {t("profile.reputation")}
          </div>
          <div className="stat">
            <strong>{formatNumber(counts.threads, locale)}</strong>
            {t("profile.threads")}
          </div>
          <div className="stat">
            <strong>{formatNumber(counts.replies, locale)}</strong>
            {t("profile.replies")}
          </div>
        </div>
      </section>
      {moderation ? <ModerationPanel moderation={moderation} /> : null}
      <div className="two-col">
        <section>
          <h2>{t("profile.threads")}</h2>
          <div className="card">
            {threads.length === 0 ? (
              <p className="empty">{t("profile.noThreads")}</p>
            ) : (
              <ul className="simple-list">
                {threads.map((th) => (
                  <li key={th.id}>
                    <Link to={threadPath(th.id, th.slug)}>{th.title ?? t("safety:hidden.threadTitle")}</Link>
                    <div className="small muted">
                      <StatusBadge status={th.status} /> <ThreadMarks thread={th} /> · <RelativeTime date={th.created_at} />
                    </div>
                  </li>
                ))}
              </ul>
            )}
          </div>
        </section>
        <section>
          <h2>{t("profile.replies")}</h2>
          <div className="card">
            {replies.length === 0 ? (
              <p className="empty">{t("profile.noReplies")}</p>
            ) : (
              <ul className="simple-list">
                {replies.map((r) => (
                  <li key={r.id}>
                    <Link to={threadPath(r.thread_id, r.slug, { post: r.post_number })}>{r.title ?? t("safety:hidden.threadTitle")}</Link>
                    <div className="small muted">
                      <ThreadMarks thread={r} /> <RelativeTime date={r.created_at} />
                    </div>
                  </li>
                ))}
              </ul>
            )}
          </div>
        </section>
      </div>
    </>
  );
}
