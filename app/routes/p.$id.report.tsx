import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser, toActor } from "~/auth/session.server";
import { formResult, FormProblems } from "~/components/forms";
import { ReportForm, reportPath } from "~/components/report-form";
import { SafetyPanel, safetyOf } from "~/components/safety";
import { getDb } from "~/db.server";
import { confirmed, domainFormError, formError } from "~/web/forms.server";
import { notFound, readForm } from "~/web/http.server";
import { denyReason, hasStaffPowers } from "~/policy/policy";
import { isReportReason, REPORT_NOTE_MAX } from "~/domain/reports";
import { formValues, type FieldErrors, parseIdText } from "~/web/schemas";
import { createReport, reportablePost } from "~/models/reports.server";
import { postPath } from "~/models/threads.server";
import { limitedResponse, retryAfterHeaders, underLimit } from "~/models/ratelimit.server";
import { RateLimitNotice } from "~/components/ratelimit";

export const meta: MetaFunction = () => [{ title: "Report · 举报 · Quorum" }];
// A limited report's 429 page carries Retry-After.
export const headers = retryAfterHeaders;

/** The post being reported, as the reporter may see it (404 for a post they cannot see). */
async function loadPost(request: Request, rawId: string | undefined) {
  if (!rawId || parseIdText(rawId) === null) notFound();
  const id = Number(rawId);
  // A visitor is sent to log in and comes back to this form.
  const user = await requireUser(request, reportPath(id));
  const db = await getDb();
  const actor = toActor(user);
  const post = await reportablePost(db, id, actor);
  if (!post) notFound();
  return {
    user,
    actor,
    db,
    post: {
      id: post.id,
      author_id: post.author_id,
      title: post.title,
      postNumber: post.post_number,
      back: postPath(post.thread_id, post.slug, post.post_number),
    },
  };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor, post } = await loadPost(request, params.id);
  const { author_id: _a, ...shown } = post;
  return { post: shown, denied: denyReason(actor, { action: "report.create", post }) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readForm(request);
  const { user, actor, db, post } = await loadPost(request, params.id);
  const values = formValues(form, "reportReason", "note");
  const denied = denyReason(actor, { action: "report.create", post });
  if (denied) return formError({ _form: { key: `reports:errors.${denied}` } }, values, 403);
  const errors: FieldErrors = {};
  const reason = values.reportReason;
  if (!isReportReason(reason)) errors.reportReason = { key: "reports:errors.reasonRequired" };
  const note = (values.note ?? "").normalize("NFC").trim();
  if (note.length > REPORT_NOTE_MAX) errors.note = { key: "reports:errors.noteTooLong", params: { max: REPORT_NOTE_MAX } };
  if (!isReportReason(reason) || Object.keys(errors).length > 0) return formError(errors, values);
  try {
    // Reports per user (QUORUM_RATE_LIMIT_REPORT_PER_USER, app/models/ratelimit.server.ts): a point is spent before
    // the write and given back if it fails (already reported…); staff are not limited.
    const outcome = await underLimit(db, hasStaffPowers(actor) ? null : "reportPerUser", String(user.id), () =>
      createReport(db, { reporterId: user.id, postId: post.id, reason, note: note || null, confirmedNotSecret: confirmed(form) }),
    );
    if (outcome.limited) return limitedResponse(outcome.limited, values);
    const result = outcome.result;
    return redirect(`/reports?new=${result.reportId}${result.autoHidden ? "&hidden=1" : ""}`);
  } catch (error) {
    return domainFormError(error, values, "reports:errors");
  }
}

export default function ReportPage() {
  const { post, denied } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { errors, values } = formResult(actionData);
  const safety = safetyOf(actionData);
  const { t } = useTranslation("reports");
  return (
    <section className="card report-page">
      <h1>{t("form.title")}</h1>
      <p>
        <Link to={post.back}>{post.title ?? t("mine.hiddenTitle")}</Link> · #{post.postNumber}
      </p>
      {denied ? (
        <p className="notice notice-error" role="alert">
          {t(`errors.${denied}`, { defaultValue: t("errors.forbidden") })}
        </p>
      ) : (
        <>
          <p>{t("form.intro")}</p>
          <RateLimitNotice actionData={actionData} />
          <FormProblems show={Object.keys(errors).length > 0 && !errors._form} />
          <ReportForm key={safety?.nonce ?? "report"} postId={post.id} errors={errors} values={values}>
            <SafetyPanel safety={safety} />
          </ReportForm>
        </>
      )}
      <p>
        <Link to={post.back}>{t("form.back")}</Link>
      </p>
    </section>
  );
}
