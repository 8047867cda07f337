/**
 * The thread page: the loader asks the read model for what this viewer may see and do
 * (app/models/thread-page.server.ts); every form posts here and goes through one intent table
 * (./actions.server.ts); the pieces of the page are in ./components.tsx.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { getUser, toActor } from "~/auth/session.server";
import { Field, FormProblems, SafetyReminder, formResult } from "~/components/forms";
import { SafetyPanel, safetyOf } from "~/components/safety";
import { StatusBadge } from "~/components/thread-row";
import { useLocale } from "~/components/time";
import { RelativeTime } from "~/components/time";
import { getDb } from "~/db.server";
import { notFound, readForm } from "~/web/http.server";
import { boardName } from "~/domain/boards";
import { RateLimitNotice } from "~/components/ratelimit";
import { retryAfterHeaders } from "~/models/ratelimit.server";
import { ThreadStatusNotices, ThreadTools } from "~/components/moderation";
import { loadThreadPage } from "~/models/thread-page.server";
import type { AnswerSort } from "~/models/threads.server";
import { faqPath, threadPath } from "~/web/paths";
import { JsonLd } from "~/components/json-ld";
import { threadAction, type ModError } from "./actions.server";
import { PostCard, Timeline, type PostView, type QaError } from "./components";

function parseId(raw: string | undefined): number {
  if (!raw || !/^\d{1,15}$/.test(raw)) notFound();
  return Number(raw);
}

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data ? [{ title: `${data.thread.title ?? "—"} · Quorum` }, { name: "description", content: data.description }] : [];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = parseId(params.id);
  const url = new URL(request.url);
  const pageRaw = url.searchParams.get("page");
  const page = pageRaw && /^\d{1,6}$/.test(pageRaw) ? Math.max(1, Number(pageRaw)) : 1;
  const sort: AnswerSort = url.searchParams.get("sort") === "date" ? "date" : "votes";
  const [db, user] = await Promise.all([getDb(), getUser(request)]);
  const view = await loadThreadPage(db, { id, page, sort, viewer: toActor(user), slug: params.slug ?? "" });
  if (!view) notFound();
  if ("canonicalSlug" in view) throw redirect(threadPath(id, view.canonicalSlug) + url.search, { status: 301 });
  return { ...view, clientToken: crypto.randomUUID() };
}

export const headers = retryAfterHeaders;

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readForm(request);
  return threadAction(request, form, parseId(params.id));
}

export default function ThreadPage() {
  const data = useLoaderData<typeof loader>();
  const { thread, question, answers, page, pages, sort } = data;
  const actionData = useActionData<typeof action>() as { qaError?: QaError; modError?: ModError } | undefined;
  const { errors, values } = formResult(actionData);
  const safety = safetyOf(actionData);
  const qaError = actionData?.qaError ?? null;
  const modError = actionData?.modError ?? null;
  const navigation = useNavigation();
  const { t } = useTranslation();
  const { t: tq } = useTranslation("qa");
  const locale = useLocale();
  const formRef = useRef<HTMLFormElement>(null);
  const busy = navigation.state === "submitting" && navigation.formMethod === "POST" && navigation.formData?.get("intent") === null;
  useEffect(() => {
    if (navigation.state === "idle" && !actionData) formRef.current?.reset();
  }, [navigation.state, actionData]);
  const base = threadPath(thread.id, thread.slug);
  const pageLink = (p: number) => {
    const q = new URLSearchParams();
    if (sort === "date") q.set("sort", "date");
    if (p > 1) q.set("page", String(p));
    const qs = q.toString();
    return qs ? `${base}?${qs}` : base;
  };
  const awaiting = thread.board_needs_verification && thread.verified_post_id === null;
  return (
    <>
      <nav className="breadcrumb">
        <Link to="/">{t("nav.boards")}</Link> / <Link to={`/b/${thread.board_slug}`}>{boardName({ name_zh: thread.board_name_zh, name_en: thread.board_name_en }, locale)}</Link> /
      </nav>
      <header className="thread-head">
        <h1>{thread.title ?? t("safety:hidden.threadTitle")}</h1>
        {thread.secret ? (
          <p className="notice hidden-notice" role="note">
            {t("safety:hidden.thread")} {t("safety:hidden.onlyYou")}
          </p>
        ) : null}
        <div className="thread-meta">
          <StatusBadge status={thread.status} />
          {awaiting && thread.reply_count > 0 ? <span className="badge badge-awaiting">{tq("verify.awaiting")}</span> : null}
          {thread.locked ? <span className="badge badge-locked">{t("board.locked")}</span> : null}
          {thread.pinned ? <span className="badge badge-pinned">{t("board.pinned")}</span> : null}
          <span>{t("thread.asked", { time: "" })}<RelativeTime date={thread.created_at} /></span>
          <span>{t("board.views", { count: thread.view_count })}</span>
        </div>
      </header>
      <ThreadStatusNotices thread={thread} staff={data.staffView} />
      {data.canModerate ? <ThreadTools thread={thread} boards={data.boards} error={modError} /> : null}
      {awaiting ? (
        <p className="notice notice-awaiting" role="note">
          <strong>{tq("verify.awaiting")}</strong> {tq("verify.awaitingNotice")}
        </p>
      ) : null}
      {qaError && qaError.postId === null ? (
        <p className="notice" role="alert">
          {tq(`errors.${qaError.reason}`, { defaultValue: tq("errors.forbidden") })}
        </p>
      ) : null}
      {data.faqSlug ? (
        <p className="notice notice-faq" role="note">
          {t("faq:banner.text")} <Link to={faqPath(data.faqSlug)}>{t("faq:banner.link")}</Link>
        </p>
      ) : null}
      {data.canPromote ? (
        <p className="staff-tools">
          <Link className="button button-small button-secondary" to={`/staff/faq/promote/${thread.id}`}>
            {t("faq:promote.button")}
          </Link>
        </p>
      ) : data.faqEntryId ? (
        <p className="staff-tools">
          <Link to={`/staff/faq/${data.faqEntryId}`}>{t("faq:promote.manage")}</Link>
        </p>
      ) : null}
      <Timeline thread={thread} />
      <PostCard post={question as PostView} isQuestion data={data} error={qaError} modError={modError} />
      <div className="answers-head">
        <h2>{t("thread.answers", { count: thread.reply_count })}</h2>
        {pages > 1 ? <span className="muted">{t("thread.page", { page, pages })}</span> : null}
        {thread.reply_count > 1 ? (
          <nav className="sort-tabs" aria-label={tq("sort.label")}>
            <Link to={base} aria-current={sort === "votes" ? "page" : undefined} className={sort === "votes" ? "active" : ""} preventScrollReset>
              {tq("sort.votes")}
            </Link>
            <Link to={`${base}?sort=date`} aria-current={sort === "date" ? "page" : undefined} className={sort === "date" ? "active" : ""} preventScrollReset>
              {tq("sort.date")}
            </Link>
          </nav>
        ) : null}
      </div>
      {answers.length === 0 ? <p className="muted">{t("thread.noAnswers")}</p> : null}
      {/* The view beacon (app/models/views.server.ts): counted even when the page came from the cache. */}
      <img src={`/t/${thread.id}/view.gif`} alt="" width={1} height={1} className="view-beacon" />
      {data.qaPage ? <JsonLd data={data.qaPage} /> : null}
      {answers.map((a) => (
        <PostCard key={a.id} post={a} data={data} error={qaError} modError={modError} />
      ))}
      {pages > 1 ? (
        <nav className="pagination" aria-label={t("thread.page", { page, pages })}>
          {page > 1 ? <Link to={pageLink(page - 1)} rel="prev">← {t("thread.previous")}</Link> : <span />}
          {page < pages ? <Link to={pageLink(page + 1)} rel="next">{t("thread.next")} →</Link> : null}
        </nav>
      ) : null}
      {thread.closed_at && !data.canReply ? (
        <p className="notice notice-closed">{t("validation.threadClosed")}</p>
      ) : thread.locked && !data.canReply ? (
        <p className="notice">{t("thread.locked")}</p>
      ) : data.loggedIn ? (
        data.canReply ? (
          <section className="card reply-box">
            <h2>{t("thread.yourAnswer")}</h2>
            <SafetyReminder />
            <FormProblems show={Object.keys(errors).length > 0} />
            <RateLimitNotice actionData={actionData} />
            <Form method="post" className="form" ref={formRef} noValidate key={safety?.nonce ?? "reply"}>
              <input type="hidden" name="clientToken" value={values.clientToken ?? data.clientToken} />
              <Field name="body" label={t("thread.yourAnswer")} hint={t("markdown.help")} error={errors.body}>
                {(aria) => <textarea {...aria} name="body" className="short" defaultValue={values.body} required />}
              </Field>
              <SafetyPanel safety={safety} />
              <div className="form-actions">
                <button type="submit" className="button" disabled={busy}>
                  {t("thread.postAnswer")}
                </button>
              </div>
            </Form>
          </section>
        ) : null
      ) : (
        <p className="notice notice-info">
          <Link to={`/login?redirectTo=${encodeURIComponent(base)}`}>{t("thread.loginToAnswer")}</Link> {t("thread.loginToAnswerText")}
        </p>
      )}
    </>
  );
}
