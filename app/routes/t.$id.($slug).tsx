import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { getUser, requireUser, toActor } from "~/auth/session.server";
import { Field, FormProblems, SafetyReminder } from "~/components/forms";
import { AddressNotice, HiddenNotice, SafetyPanel, safetyOf } from "~/components/safety";
import { confirmed, guardFormError, guardUserText } from "~/lib/guard.server";
import { Markdown } from "~/components/markdown";
import { StatusBadge } from "~/components/thread-row";
import { RelativeTime, useLocale } from "~/components/time";
import { UserLink } from "~/components/user-link";
import { getDb } from "~/db.server";
import { domainFormError, formError, markdownFieldError } from "~/lib/forms.server";
import { notFound, readForm } from "~/lib/http.server";
import { excerpt } from "~/lib/markdown.server";
import { can, denyReason, isStaff, isStaffRole } from "~/lib/policy";
import { formValues, parseForm, replySchema, type FieldErrors } from "~/lib/schemas";
import { boardName } from "~/lib/boards";
import { createReply } from "~/models/posts.server";
import { getThread, getThreadPosts, pageCount, ANSWERS_PER_PAGE } from "~/models/threads.server";
import { threadPath } from "~/lib/paths";

function parseId(raw: string | undefined): number {
  if (!raw || !/^\d{1,15}$/.test(raw)) notFound();
  return Number(raw);
}

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data ? [{ title: `${data.thread.title ?? "—"} · Quorum` }, { name: "description", content: data.description }] : [];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = parseId(params.id);
  const db = await getDb();
  const url = new URL(request.url);
  const pageRaw = url.searchParams.get("page");
  const page = pageRaw && /^\d{1,6}$/.test(pageRaw) ? Math.max(1, Number(pageRaw)) : 1;
  const [thread, user] = await Promise.all([getThread(db, id), getUser(request)]);
  if (!thread) notFound();
  const actor = toActor(user);
  // A hidden thread (its title held a secret, or moderation hid it) is not shown to the public; its
  // author and staff see the page with a notice, and a secret-bearing title is never shown at all.
  const threadPrivileged = !!user && (user.id === thread.author_id || isStaff(actor));
  if (thread.hidden_at && !threadPrivileged) notFound();
  if (params.slug !== thread.slug) {
    throw redirect(threadPath(thread.id, thread.slug) + url.search, { status: 301 });
  }
  const pages = pageCount(thread.reply_count);
  if (page > pages) notFound();
  const { question, answers } = await getThreadPosts(db, thread.id, page);
  if (!question) notFound();
  const threadSubject = { author_id: thread.author_id, locked: thread.locked };
  const editable = (p: { author_id: number }) => can(actor, { action: "post.edit", post: p, thread: threadSubject });
  // Hidden posts: nobody gets the text of one hidden for holding a secret; for other reasons (moderation)
  // the author and staff still see it. Everyone else gets the notice only.
  const view = <P extends (typeof answers)[number]>(p: P) => {
    const privileged = !!user && (user.id === p.author_id || isStaff(actor));
    const hidden = !!p.hidden_at;
    const showBody = !hidden || (privileged && p.hidden_reason !== "system:secret");
    return {
      ...p,
      body_html: showBody ? p.body_html : "",
      hidden,
      hidden_reason: hidden && privileged ? p.hidden_reason : null,
      privileged,
      addressWarning: p.has_address && !isStaffRole(p.author_role),
      canEdit: !hidden && editable(p),
    };
  };
  const titleHidden = !!thread.hidden_at && thread.hidden_reason === "system:secret";
  return {
    thread: { ...thread, title: titleHidden ? null : thread.title },
    threadHidden: !!thread.hidden_at,
    page,
    pages,
    perPage: ANSWERS_PER_PAGE,
    description: question.hidden_at || thread.hidden_at ? "" : excerpt(question.body_html, 160),
    question: view(question),
    answers: answers.map(view),
    loggedIn: !!user,
    canReply: user ? can(actor, { action: "post.reply", thread: threadSubject }) : !thread.locked,
    clientToken: crypto.randomUUID(),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readForm(request);
  const id = parseId(params.id);
  const user = await requireUser(request);
  const db = await getDb();
  const thread = await getThread(db, id);
  if (!thread) notFound();
  const values = formValues(form, "body", "clientToken");
  // Wallet safety first: nothing below may echo or store a secret.
  const guard = guardUserText({ body: values.body ?? "" }, { override: confirmed(form), markdown: ["body"] });
  if (!guard.ok) return guardFormError(guard, values);
  const denied = denyReason(toActor(user), { action: "post.reply", thread: { author_id: thread.author_id, locked: thread.locked } });
  if (denied) return formError({ body: { key: `validation.${denied}` } }, values, 403);
  const parsed = parseForm(replySchema, form);
  const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
  // The renderer's bounds (nesting depth) once the length is known to be fine.
  const mdError = values.body && !errors.body ? markdownFieldError(values.body) : null;
  if (mdError) errors.body = mdError;
  if (!parsed.ok || Object.keys(errors).length > 0) return formError(errors, values);
  try {
    const reply = await createReply(db, {
      threadId: thread.id,
      authorId: user.id,
      body: parsed.data.body,
      clientToken: parsed.data.clientToken,
      allowLocked: true, // the policy above already refused locked threads to non-staff
      hasAddress: guard.hasAddress,
    });
    const page = pageCount(reply.postNumber - 1);
    return redirect(threadPath(reply.threadId, reply.slug, { page, post: reply.postNumber }));
  } catch (error) {
    return domainFormError(error, values);
  }
}

type PostView = ReturnType<typeof useLoaderData<typeof loader>>["answers"][number];

function PostCard({ post, isQuestion }: { post: PostView; isQuestion?: boolean }) {
  const { t } = useTranslation();
  return (
    <article className={`card post${isQuestion ? " post-question" : ""}`} id={`post-${post.post_number}`}>
      <div className="post-head">
        <UserLink username={post.author} role={post.author_role} reputation={post.author_reputation} />
        <a href={`#post-${post.post_number}`} title={t("thread.permalink")} className="muted">
          <RelativeTime date={post.created_at} />
        </a>
      </div>
      {post.hidden ? <HiddenNotice reason={post.hidden_reason} privileged={post.privileged} /> : null}
      {post.body_html ? <Markdown html={post.body_html} /> : null}
      {post.addressWarning && post.body_html ? <AddressNotice /> : null}
      <div className="post-foot">
        {post.edited_at ? (
          <span>
            {t("thread.edited", { time: "" })}
            <RelativeTime date={post.edited_at} />
          </span>
        ) : null}
        {post.canEdit ? <Link to={`/p/${post.id}/edit`}>{t("thread.edit")}</Link> : null}
      </div>
    </article>
  );
}

export default function ThreadPage() {
  const data = useLoaderData<typeof loader>();
  const { thread, question, answers, page, pages } = data;
  const actionData = useActionData<typeof action>();
  const errors = (actionData && "errors" in actionData ? actionData.errors : {}) as FieldErrors;
  const values = (actionData && "values" in actionData ? actionData.values : {}) as Record<string, string>;
  const safety = safetyOf(actionData);
  const navigation = useNavigation();
  const { t } = useTranslation();
  const locale = useLocale();
  const formRef = useRef<HTMLFormElement>(null);
  const busy = navigation.state === "submitting" && navigation.formMethod === "POST";
  useEffect(() => {
    if (navigation.state === "idle" && !actionData) formRef.current?.reset();
  }, [navigation.state, actionData]);
  const base = threadPath(thread.id, thread.slug);
  return (
    <>
      <nav className="breadcrumb">
        <Link to="/">{t("nav.boards")}</Link> / <Link to={`/b/${thread.board_slug}`}>{boardName({ name_zh: thread.board_name_zh, name_en: thread.board_name_en }, locale)}</Link> /
      </nav>
      <header className="thread-head">
        <h1>{thread.title ?? t("safety:hidden.threadTitle")}</h1>
        {data.threadHidden ? (
          <p className="notice hidden-notice" role="note">
            {t("safety:hidden.thread")} {t("safety:hidden.onlyYou")}
          </p>
        ) : null}
        <div className="thread-meta">
          <StatusBadge status={thread.status} />
          {thread.locked ? <span className="badge badge-locked">{t("board.locked")}</span> : null}
          <span>{t("thread.asked", { time: "" })}<RelativeTime date={thread.created_at} /></span>
          <span>{t("board.views", { count: thread.view_count })}</span>
        </div>
      </header>
      <PostCard post={question as PostView} isQuestion />
      <div className="answers-head">
        <h2>{t("thread.answers", { count: thread.reply_count })}</h2>
        {pages > 1 ? <span className="muted">{t("thread.page", { page, pages })}</span> : null}
      </div>
      {answers.length === 0 ? <p className="muted">{t("thread.noAnswers")}</p> : null}
      {answers.map((a) => (
        <PostCard key={a.id} post={a} />
      ))}
      {pages > 1 ? (
        <nav className="pagination" aria-label={t("thread.page", { page, pages })}>
          {page > 1 ? <Link to={page === 2 ? base : `${base}?page=${page - 1}`} rel="prev">← {t("thread.previous")}</Link> : <span />}
          {page < pages ? <Link to={`${base}?page=${page + 1}`} rel="next">{t("thread.next")} →</Link> : null}
        </nav>
      ) : null}
      {thread.locked && !data.canReply ? (
        <p className="notice">{t("thread.locked")}</p>
      ) : data.loggedIn ? (
        data.canReply ? (
          <section className="card reply-box">
            <h2>{t("thread.yourAnswer")}</h2>
            <SafetyReminder />
            <FormProblems show={Object.keys(errors).length > 0} />
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
