import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireStaff, toActor } from "~/auth/session.server";
import { FieldErrorText } from "~/components/forms";
import { Markdown } from "~/components/markdown";
import { SuspendFields } from "~/components/suspend-fields";
import { RelativeTime, useLocale } from "~/components/time";
import { UserLink } from "~/components/user-link";
import { getDb } from "~/db.server";
import { formatDate } from "~/i18n/format";
import { echoValues, parseFormData } from "~/web/forms.server";
import { notFound, readForm } from "~/web/http.server";
import { denyReason } from "~/policy/policy";
import { MAX_MOD_REASON } from "~/domain/limits";
import { REPORT_OUTCOMES, SUSPEND_REASON_MAX, suspensionActive } from "~/domain/reports";
import { readReason, readSuspendUntil } from "~/forms/reports-form.server";
import { idSchema, parseIdText, type FieldErrors } from "~/web/schemas";
import { z } from "zod";
import { DomainError, GuardRefusedError } from "~/models/errors";
import { listQueue, resolveReports, type Decision } from "~/models/reports.server";
import { postPath } from "~/models/threads.server";

export const meta: MetaFunction = () => [{ title: "Reports · 举报 · Quorum" }];

function pageOf(request: Request): number {
  const raw = new URL(request.url).searchParams.get("page");
  return raw && /^\d{1,4}$/.test(raw) ? Math.max(1, Number(raw)) : 1;
}

/** Staff only: open reports grouped by post, the oldest first, 20 posts a page. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireStaff(request);
  const actor = toActor(user);
  const page = pageOf(request);
  const url = new URL(request.url);
  const doneRaw = url.searchParams.get("done");
  const db = await getDb();
  const { items, hasMore } = await listQueue(db, page, actor);
  return {
    page,
    hasMore,
    now: Date.now(),
    done: (REPORT_OUTCOMES as readonly string[]).includes(doneRaw ?? "") ? doneRaw : null,
    items: items.map(({ post, reporterIds, ...item }) => {
      const p = post;
      return {
        ...item,
        post: {
          ...p,
          path: postPath(p.threadId, p.slug, p.postNumber),
        },
        denied: denyReason(actor, { action: "report.resolve", reports: { post_author_id: p.authorId, reporter_ids: reporterIds } }),
        canSuspend: denyReason(actor, { action: "user.suspend", user: { id: p.authorId, role: p.authorRole } }) === null,
      };
    }),
  };
}

const INTENTS = ["dismiss", "hide", "delete", "lock", "suspend"] as const;
type Intent = (typeof INTENTS)[number];

/** The queue's form: which post, which decision, the reports seen; reason and length are read below. */
const queueForm = z.object({ postId: idSchema, intent: z.string().default(""), reportIds: z.string().default("") });

function refused(postId: number | null, status: number, errors: FieldErrors, values: Record<string, string> = {}) {
  return data({ postId, errors, values }, { status });
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  const user = await requireStaff(request);
  const parsed = parseFormData(form, queueForm);
  if (!parsed.ok) notFound(); // no post id: nothing to decide on
  const { postId, reportIds } = parsed.data;
  const intent = parsed.data.intent as Intent;
  if (!(INTENTS as readonly string[]).includes(intent)) return refused(postId, 400, { _form: { key: "reports:errors.badDecision" } });
  // Sent back on any refusal: masked if it holds a secret (the model refuses to store it).
  const values = { reason: "", duration: "", customDays: "", ...parsed.values, intent };
  const seenReportIds = reportIds
    .split(",")
    .map((s) => parseIdText(s))
    .filter((id): id is number => id !== null);
  const errors: FieldErrors = {};
  let decision: Decision;
  if (intent === "hide" || intent === "delete") decision = { kind: intent, reason: readReason(form, "reason", MAX_MOD_REASON, errors) };
  else if (intent === "suspend") {
    const until = readSuspendUntil(form, errors);
    decision = { kind: "suspend", until, reason: readReason(form, "reason", SUSPEND_REASON_MAX, errors) };
  } else decision = { kind: intent };
  if (Object.keys(errors).length > 0) return refused(postId, 400, errors, values);
  try {
    const { outcome } = await resolveReports(await getDb(), { actor: toActor(user)!, postId, seenReportIds, decision });
    const page = pageOf(request);
    return redirect(`/staff/reports?done=${outcome}${page > 1 ? `&page=${page}` : ""}`);
  } catch (error) {
    if (error instanceof GuardRefusedError) return refused(postId, 422, error.refusal.errors, echoValues({ ...values, ...error.refusal.values }));
    if (!(error instanceof DomainError)) throw error;
    // Stale (another moderator was first): 409 and the page shows the queue as it is now.
    return refused(error.code === "stale" ? null : postId, error.status, { [error.field ?? "_form"]: { key: `reports:errors.${error.code}` } }, values);
  }
}

type ActionData = { postId: number | null; errors: FieldErrors; values: Record<string, string> };

export default function ReportQueue() {
  const { items, page, hasMore, done, now } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const { t } = useTranslation("reports");
  const locale = useLocale();
  const globalError = actionData && actionData.postId === null ? actionData.errors._form : undefined;
  return (
    <>
      <div className="page-head">
        <h1>{t("queue.title")}</h1>
      </div>
      <p className="muted">{t("queue.intro")}</p>
      {done ? (
        <p className="notice notice-ok" role="status">
          {t("queue.done", { outcome: t(`outcome.${done}`) })}
        </p>
      ) : null}
      {globalError ? (
        <p className="notice notice-error" role="alert">
          {t(globalError.key.replace(/^reports:/, ""))}
        </p>
      ) : null}
      {items.length === 0 ? <p className="empty">{t("queue.empty")}</p> : null}
      {items.map((item) => {
        const mine = actionData && actionData.postId === item.postId ? actionData : null;
        const errors = mine?.errors ?? {};
        const hidden = (intent: string) => (
          <>
            <input type="hidden" name="intent" value={intent} />
            <input type="hidden" name="postId" value={item.postId} />
            <input type="hidden" name="reportIds" value={item.reportIds.join(",")} />
          </>
        );
        /** Hide or delete: a decision that needs a moderator's reason. */
        const withReason = (intent: "hide" | "delete", label: string, buttonClass: string) => {
          const id = `q-${item.postId}-${intent}`;
          const again = mine?.values.intent === intent;
          return (
            <Form method="post" className="queue-form">
              {hidden(intent)}
              <label htmlFor={id}>{t("queue.hideReason")}</label>{" "}
              <input id={id} name="reason" maxLength={MAX_MOD_REASON} required defaultValue={again ? mine.values.reason : ""} />{" "}
              <button type="submit" className={buttonClass}>
                {label}
              </button>
              {again ? <FieldErrorText id={`${id}-error`} error={errors.reason} /> : null}
            </Form>
          );
        };
        const p = item.post;
        return (
          <article key={item.postId} className="card queue-item" data-post={item.postId}>
            <header className="queue-head">
              <h2>
                <Link to={p.path}>{p.title ?? t("mine.hiddenTitle")}</Link>
              </h2>
              <div className="small">
                {t("queue.postBy", { number: p.postNumber })} <UserLink username={p.author} role={p.authorBadge} /> · <RelativeTime date={p.createdAt} />
                {p.hiddenAt ? <span className="badge badge-hidden">{p.hiddenPending ? t("queue.hiddenPending") : t("queue.hiddenOther")}</span> : null}
                {p.deleted ? <span className="badge badge-hidden">{t("queue.deleted")}</span> : null}
                {p.locked ? <span className="badge badge-locked">{t("queue.locked")}</span> : null}
                {suspensionActive(p.authorSuspendedUntil, now) ? (
                  <span className="badge badge-suspended">{t("queue.authorSuspended", { until: formatDate(p.authorSuspendedUntil!, locale) })}</span>
                ) : null}
              </div>
              <p className="queue-count">
                <strong>{t("queue.count", { count: item.count })}</strong> · {t("queue.firstReported")} <RelativeTime date={item.firstAt} /> ·{" "}
                {Object.entries(item.reasons)
                  .map(([r, n]) => `${t(`reasons.${r}`)} ×${n}`)
                  .join(" · ")}
              </p>
            </header>
            {p.bodyHtml ? <Markdown html={p.bodyHtml} className="queue-post" /> : null}
            <ul className="queue-reports">
              {item.reports.map((r) => (
                <li key={r.id}>
                  <strong>{t(`reasons.${r.reason}`)}</strong> · {t("queue.by")} <Link to={`/u/${encodeURIComponent(r.reporter)}`}>{r.reporter}</Link> · <RelativeTime date={r.createdAt} />
                  {r.note ? <blockquote className="report-note">{r.note}</blockquote> : null}
                </li>
              ))}
            </ul>
            {item.denied ? (
              <p className="notice" role="note">
                {t(item.denied === "ownReport" ? "queue.ownReport" : item.denied === "ownPost" ? "queue.ownPost" : `errors.${item.denied}`)}
              </p>
            ) : (
              <div className="queue-actions">
                <FieldErrorText id={`q-${item.postId}-error`} error={errors._form} />
                <Form method="post" className="inline-form">
                  {hidden("dismiss")}
                  <button type="submit" className="button button-small button-secondary" title={t("queue.dismissHint")}>
                    {t("queue.dismiss")}
                  </button>
                </Form>
                <Form method="post" className="inline-form">
                  {hidden("lock")}
                  <button type="submit" className="button button-small button-secondary">
                    {t("queue.lock")}
                  </button>
                </Form>
                {withReason("hide", t("queue.hide"), "button button-small")}
                {withReason("delete", t("queue.delete"), "button button-small button-danger")}
                {item.canSuspend ? (
                  <details className="queue-suspend" open={mine?.values.intent === "suspend"}>
                    <summary>{t("queue.suspend")}</summary>
                    <Form method="post" className="form">
                      {hidden("suspend")}
                      <SuspendFields idPrefix={`q-${item.postId}-s`} errors={mine?.values.intent === "suspend" ? errors : {}} values={mine?.values.intent === "suspend" ? mine.values : {}} />
                      <button type="submit" className="button button-small button-danger">
                        {t("queue.suspend")}
                      </button>
                    </Form>
                  </details>
                ) : null}
              </div>
            )}
          </article>
        );
      })}
      <nav className="pager">
        {page > 1 ? <Link to={`/staff/reports?page=${page - 1}`}>{t("queue.previous")}</Link> : null}{" "}
        {hasMore ? <Link to={`/staff/reports?page=${page + 1}`}>{t("queue.next")}</Link> : null}
      </nav>
    </>
  );
}
