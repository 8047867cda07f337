import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data as dataResponse, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useFetcher, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { getUser, requireUser, toActor } from "~/auth/session.server";
import { Field, FormProblems, SafetyReminder, formResult } from "~/components/forms";
import { AddressNotice, HiddenNotice, SafetyPanel, safetyOf } from "~/components/safety";
import { confirmed, guardFormError, guardUserText } from "~/safety/guard.server";
import { Markdown } from "~/components/markdown";
import { StatusBadge } from "~/components/thread-row";
import { RelativeTime, useLocale } from "~/components/time";
import { UserLink } from "~/components/user-link";
import { getDb } from "~/db.server";
import { domainFormError, formError, markdownFieldError } from "~/web/forms.server";
import { notFound, readForm } from "~/web/http.server";
import { excerpt } from "~/content/markdown.server";
import { can, denyReason, isStaff, isStaffRole, type PolicyRequest } from "~/policy/policy";
import { isVeteran } from "~/domain/reputation";
import { veteranThreshold } from "~/domain/reputation.server";
import { DomainError } from "~/models/errors";
import { castVote, setAccepted, setVerified, type VoteValue } from "~/models/votes.server";
import { formValues, parseForm, replySchema, type FieldErrors } from "~/web/schemas";
import { boardName } from "~/domain/boards";
import { createReply } from "~/models/posts.server";
import { RateLimitNotice } from "~/components/ratelimit";
import { retryAfterHeaders, limitedResponse, postUnderLimit } from "~/models/ratelimit.server";
import { listBoardChoices } from "~/models/boards.server";
import { ModerationNotice, PostTools, ThreadStatusNotices, ThreadTools } from "~/components/moderation";
import { moderationAction } from "./moderation-actions.server";
import type { ModError } from "~/components/moderation";
import { getThread, getThreadPosts, listedAnswers, pageCount, postPath, ANSWERS_PER_PAGE, type AnswerSort } from "~/models/threads.server";
import { faqPath, threadPath } from "~/web/paths";
import { JsonLd } from "~/components/json-ld";
import { ReportLink } from "~/components/report-form";

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
  const sort: AnswerSort = url.searchParams.get("sort") === "date" ? "date" : "votes";
  // Query budget (tests/integration/qa.test.ts): the session, the thread, the posts — three queries
  // whatever the number of answers, votes and authors.
  const [thread, user] = await Promise.all([getThread(db, id), getUser(request)]);
  if (!thread) notFound();
  const actor = toActor(user);
  // A hidden thread (its title held a secret, or moderation hid it) is not shown to the public; its
  // author and staff see the page with a notice, and a secret-bearing title is never shown at all.
  const staff = isStaff(actor);
  const threadPrivileged = !!user && (user.id === thread.author_id || staff);
  if (thread.hidden_at && !threadPrivileged) notFound();
  // A deleted thread is gone for everyone but staff (moderation, issue 8).
  if (thread.deleted_at && !staff) notFound();
  if (params.slug !== thread.slug) {
    throw redirect(threadPath(thread.id, thread.slug) + url.search, { status: 301 });
  }
  // Readers page over every answer but deleted ones (hidden ones show a notice); staff over all.
  const listed = listedAnswers(thread.answer_slots, thread.deleted_answers, staff);
  const pages = pageCount(listed);
  if (page > pages) notFound();
  const { question, answers } = await getThreadPosts(db, thread.id, page, {
    sort,
    viewerId: user?.id ?? null,
    acceptedPostId: thread.accepted_post_id,
    verifiedPostId: thread.verified_post_id,
    includeDeleted: staff,
    deletedAnswers: thread.deleted_answers,
  });
  if (!question) notFound();
  const threadSubject = replySubject(thread);
  const canModerate = can(actor, { action: "thread.moderate" });
  const canModeratePosts = can(actor, { action: "post.moderate" });
  const acceptSubject = { author_id: thread.author_id, accepted_post_id: thread.accepted_post_id, accepted_by: thread.accepted_by };
  const editable = (p: { author_id: number }) => can(actor, { action: "post.edit", post: p, thread: threadSubject });
  const threshold = veteranThreshold();
  // Hidden posts: nobody gets the text of one hidden for holding a secret; for other reasons (moderation)
  // the author and staff still see it. Everyone else gets the notice only.
  const view = <P extends (typeof answers)[number]>(p: P) => {
    const privileged = !!user && (user.id === p.author_id || staff);
    const hidden = !!p.hidden_at;
    const deleted = !!p.deleted_at; // only staff get deleted posts
    const showBody = !hidden || (privileged && p.hidden_reason !== "system:secret");
    return {
      ...p,
      my_vote: p.my_vote as VoteValue,
      body_html: showBody ? p.body_html : "",
      hidden,
      hidden_reason: hidden && privileged ? p.hidden_reason : null,
      deleted,
      deleted_reason: deleted && staff ? p.deleted_reason : null,
      privileged,
      addressWarning: p.has_address && !isStaffRole(p.author_role),
      canEdit: !hidden && !deleted && editable(p),
      // Reports (issue 8): the form under each visible post for those the policy allows.
      canReport: !hidden && !deleted && can(actor, { action: "report.create", post: p }),
      veteran: isVeteran(p.author_reputation, threshold) ? { threshold } : null,
    };
  };
  const titleHidden = !!thread.hidden_at && thread.hidden_reason === "system:secret";
  const canAccept = can(actor, { action: "answer.accept", thread: acceptSubject });
  return {
    thread: {
      ...thread,
      // A hidden or deleted accepted/verified answer is not "accepted" for readers (the status agrees).
      ...(staff || thread.accepted_public ? {} : { accepted_post_id: null, accepted_at: null, accepted_by: null, accepted_by_name: null }),
      ...(staff || thread.verified_public ? {} : { verified_post_id: null, verified_at: null, verified_by: null, verified_by_name: null }),
      title: titleHidden ? null : thread.title,
      // The reason a moderator gave is for the author and staff (both alone get a hidden thread).
      hidden_reason: thread.hidden_at ? thread.hidden_reason : null,
      deleted_reason: staff ? thread.deleted_reason : null,
    },
    threadHidden: !!thread.hidden_at,
    staffView: staff,
    canModerate,
    canModeratePosts,
    boards: canModerate ? await listBoardChoices(db) : [],
    page,
    pages,
    sort,
    perPage: ANSWERS_PER_PAGE,
    description: question.hidden_at || thread.hidden_at ? "" : excerpt(question.body_html, 160),
    question: view(question),
    answers: answers.map(view),
    loggedIn: !!user,
    viewerId: user?.id ?? null,
    canAccept,
    onBehalf: canAccept && !!user && user.id !== thread.author_id,
    canWithdraw: can(actor, { action: "answer.withdraw", thread: acceptSubject }),
    canVerify: can(actor, { action: "answer.verify", board: { needs_verification: thread.board_needs_verification } }),
    acceptedByAsker: thread.accepted_by !== null && thread.accepted_by === thread.author_id,
    canReply: user ? can(actor, { action: "post.reply", thread: threadSubject }) : !thread.locked && !thread.closed_at,
    clientToken: crypto.randomUUID(),
    // The FAQ (issue 4): the official entry's banner, staff's "Promote to FAQ", QAPage JSON-LD.
    faqSlug: thread.faq_slug,
    canPromote: staff && thread.faq_entry_id === null && !thread.hidden_at && !thread.deleted_at && thread.reply_count > 0,
    faqEntryId: isStaff(actor) ? thread.faq_entry_id : null,
    qaPage:
      thread.hidden_at || question.hidden_at
        ? null
        : qaPageJsonLd(thread, question, answers.filter((a) => !a.hidden_at && !a.deleted_at)),
  };
}

/** schema.org QAPage for a thread (https://developers.google.com/search/docs/appearance/structured-data/qapage). */
function qaPageJsonLd(
  thread: { title: string; reply_count: number; created_at: Date; accepted_post_id: number | null; verified_post_id: number | null },
  question: { body_html: string; author_name?: string | null; score?: number },
  answers: { id: number; body_html: string; score: number; created_at: Date }[],
) {
  const chosen = thread.verified_post_id ?? thread.accepted_post_id;
  const answer = (a: (typeof answers)[number]) => ({ "@type": "Answer", text: excerpt(a.body_html, 500), upvoteCount: a.score, dateCreated: a.created_at });
  const accepted = answers.find((a) => a.id === chosen);
  return {
    "@context": "https://schema.org",
    "@type": "QAPage",
    mainEntity: {
      "@type": "Question",
      name: thread.title,
      text: excerpt(question.body_html, 500),
      answerCount: thread.reply_count,
      dateCreated: thread.created_at,
      ...(accepted ? { acceptedAnswer: answer(accepted) } : {}),
      suggestedAnswer: answers.filter((a) => a.id !== chosen).slice(0, 5).map(answer),
    },
  };
}

/** A thread as the reply policy sees it (locked; closed as a duplicate; hidden or deleted). */
function replySubject(thread: { author_id: number; locked: boolean; closed_at: Date | null; hidden_at: Date | null; deleted_at: Date | null }) {
  return { author_id: thread.author_id, locked: thread.locked, closed: !!thread.closed_at, removed: !!thread.hidden_at || !!thread.deleted_at };
}

const INTENTS = ["vote", "accept", "withdraw", "verify", "unverify"] as const;
type QaIntent = (typeof INTENTS)[number];

/** Refusals of the Q&A buttons: a 4xx with the reason (a qa:errors.* key) for the page to show. */
function refused(reason: string, status: number, postId: number | null) {
  return dataResponse({ qaError: { reason, postId } }, { status });
}

async function qaAction(request: Request, form: FormData, intent: QaIntent, threadId: number) {
  const db = await getDb();
  const thread = await getThread(db, threadId);
  if (!thread) notFound();
  const postRaw = String(form.get("postId") ?? "");
  const postId = /^\d{1,15}$/.test(postRaw) ? Number(postRaw) : null;
  const withJs = form.get("js") === "1";
  const back = threadPath(thread.id, thread.slug) + (postId ? `#post-id-${postId}` : "");
  const user = await requireUser(request, back);
  const actor = toActor(user);
  try {
    if (intent === "vote") {
      if (postId === null) return refused("notFound", 400, null);
      const valueRaw = String(form.get("value") ?? "");
      if (!["1", "0", "-1"].includes(valueRaw)) return refused("badVote", 400, postId);
      const post = await db.selectFrom("posts").select(["id", "author_id"]).where("id", "=", postId).where("thread_id", "=", thread.id).executeTakeFirst();
      if (!post) return refused("notFound", 404, postId);
      const denied = denyReason(actor, { action: "post.vote", post });
      if (denied) return refused(denied, 403, postId);
      const vote = await castVote(db, { userId: user.id, postId, value: Number(valueRaw) as VoteValue });
      if (withJs) return { vote: { postId: vote.postId, score: vote.score, myVote: vote.myVote } };
      return redirect(back);
    }
    const acceptSubject = { author_id: thread.author_id, accepted_post_id: thread.accepted_post_id, accepted_by: thread.accepted_by };
    const req: PolicyRequest =
      intent === "accept"
        ? { action: "answer.accept", thread: acceptSubject }
        : intent === "withdraw"
          ? { action: "answer.withdraw", thread: acceptSubject }
          : { action: "answer.verify", board: { needs_verification: thread.board_needs_verification } };
    const denied = denyReason(actor, req);
    if (denied) return refused(denied, 403, postId);
    if (intent === "accept" || intent === "verify") {
      if (postId === null) return refused("notAnAnswer", 400, null);
    }
    if (intent === "accept") await setAccepted(db, { threadId: thread.id, postId, actorId: user.id });
    else if (intent === "withdraw") await setAccepted(db, { threadId: thread.id, postId: null, actorId: user.id });
    else if (intent === "verify") await setVerified(db, { threadId: thread.id, postId, actorId: user.id });
    else await setVerified(db, { threadId: thread.id, postId: null, actorId: user.id });
    return redirect(back);
  } catch (error) {
    if (error instanceof DomainError) return refused(error.code, error.status, postId);
    throw error;
  }
}

export const headers = retryAfterHeaders;

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readForm(request);
  const id = parseId(params.id);
  const intent = String(form.get("intent") ?? "reply");
  if ((INTENTS as readonly string[]).includes(intent)) return qaAction(request, form, intent as QaIntent, id);
  if (intent.startsWith("mod.")) return moderationAction(request, form, intent, id);
  const user = await requireUser(request);
  const db = await getDb();
  const thread = await getThread(db, id);
  if (!thread) notFound();
  const values = formValues(form, "body", "clientToken");
  // Wallet safety first: nothing below may echo or store a secret.
  const guard = guardUserText({ body: values.body ?? "" }, { override: confirmed(form), markdown: ["body"] });
  if (!guard.ok) return guardFormError(guard, values);
  const denied = denyReason(toActor(user), { action: "post.reply", thread: replySubject(thread) });
  if (denied) return formError({ body: { key: `validation.${denied}` } }, values, 403);
  const parsed = parseForm(replySchema, form);
  const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
  // The renderer's bounds (nesting depth) once the length is known to be fine.
  const mdError = values.body && !errors.body ? markdownFieldError(values.body) : null;
  if (mdError) errors.body = mdError;
  if (!parsed.ok || Object.keys(errors).length > 0) return formError(errors, values);
  try {
    // Answers per user (stricter for new accounts, none for staff); invalid input never got here.
    const outcome = await postUnderLimit(db, user.id, "answer", () =>
      createReply(db, {
        threadId: thread.id,
        authorId: user.id,
        body: parsed.data.body,
        clientToken: parsed.data.clientToken,
        allowLocked: true, // the policy above already refused locked threads to non-staff
        hasAddress: guard.hasAddress,
      }),
    );
    if (outcome.limited) return limitedResponse(outcome.limited, values);
    const reply = outcome.result;
    // Readers page without deleted answers (staff with them): the new answer is on the last page.
    return redirect(postPath(reply.threadId, reply.slug, reply.postNumber, listedAnswers(reply.postNumber - 1, thread.deleted_answers, isStaffRole(user.role))));
  } catch (error) {
    return domainFormError(error, values);
  }
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;
type PostView = LoaderData["answers"][number];
type QaError = { reason: string; postId: number | null };

/** True once React has hydrated: forms then say so (js=1) and the action answers with data. */
function useHydrated() {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}

/**
 * Up and down buttons in one small form: without JavaScript a plain POST and a redirect back; with
 * JavaScript a fetcher, updating the score in place. Voting again the same way sends
 * value 0 (remove), so every request says the state the user wants — a double click is harmless.
 */
function VoteButtons({ post, error }: { post: PostView; error: string | null }) {
  const { t } = useTranslation("qa");
  const fetcher = useFetcher<{ vote?: { postId: number; score: number; myVote: number }; qaError?: QaError }>();
  const hydrated = useHydrated();
  const pending = fetcher.formData ? Number(fetcher.formData.get("value")) : null;
  const fromFetcher = fetcher.data?.vote && fetcher.data.vote.postId === post.id ? fetcher.data.vote : null;
  const myVote = pending ?? (fetcher.state === "idle" && fromFetcher ? fromFetcher.myVote : post.my_vote);
  const score = fetcher.state === "idle" && fromFetcher ? fromFetcher.score : pending !== null ? post.score - post.my_vote + pending : post.score;
  const fetchError = fetcher.state === "idle" && fetcher.data?.qaError ? fetcher.data.qaError.reason : null;
  const shownError = fetchError ?? error;
  // One form: each arrow is a submit button carrying its own value (the clicked one is sent, with or
  // without JavaScript); clicking the arrow already pressed sends 0, which takes the vote back.
  const button = (dir: 1 | -1) => {
    const active = myVote === dir;
    const label = dir === 1 ? (active ? t("vote.removeUp") : t("vote.up")) : active ? t("vote.removeDown") : t("vote.down");
    return (
      <button
        type="submit"
        name="value"
        value={active ? 0 : dir}
        className={`vote-button vote-${dir === 1 ? "up" : "down"}${active ? " active" : ""}`}
        aria-label={label}
        aria-pressed={active}
        title={label}
      >
        {dir === 1 ? "▲" : "▼"}
      </button>
    );
  };
  return (
    <fetcher.Form method="post" className="votes vote-form" id={`post-id-${post.id}`}>
      <input type="hidden" name="intent" value="vote" />
      <input type="hidden" name="postId" value={post.id} />
      <input type="hidden" name="js" value={hydrated ? "1" : "0"} />
      {button(1)}
      <span className="vote-score" title={t("vote.score")}>
        {score}
      </span>
      {button(-1)}
      {shownError ? (
        <p className="vote-error" role="alert">
          {t(`errors.${shownError}`, { defaultValue: t("errors.forbidden") })}
        </p>
      ) : null}
    </fetcher.Form>
  );
}

function QaButton({ intent, postId, label, className }: { intent: string; postId: number; label: string; className?: string }) {
  return (
    <Form method="post" className="qa-form">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="postId" value={postId} />
      <button type="submit" className={`button button-small ${className ?? ""}`}>
        {label}
      </button>
    </Form>
  );
}

function PostCard({
  post,
  isQuestion,
  data,
  error,
  modError,
}: {
  post: PostView;
  isQuestion?: boolean;
  data: LoaderData;
  error: QaError | null;
  modError: ModError | null;
}) {
  const { t } = useTranslation();
  const { t: tq } = useTranslation("qa");
  const { thread } = data;
  const removed = post.hidden || post.deleted;
  const accepted = !isQuestion && !removed && thread.accepted_post_id === post.id;
  const verified = !isQuestion && !removed && thread.verified_post_id === post.id;
  const myError = error && error.postId === post.id ? error.reason : null;
  return (
    <article
      className={`card post${isQuestion ? " post-question" : ""}${accepted ? " post-accepted" : ""}${verified ? " post-verified" : ""}${removed ? " post-removed" : ""}`}
      id={`post-${post.post_number}`}
    >
      {removed ? (
        // Hidden or deleted content takes no votes (castVote refuses them): the score only.
        <div className="votes score-static" id={`post-id-${post.id}`}>
          <span className="vote-score">{post.score}</span>
        </div>
      ) : (
        <VoteButtons post={post} error={myError} />
      )}
      <div className="post-main">
        <div className="post-head">
          <UserLink username={post.author} role={post.author_role} reputation={post.author_reputation} veteran={post.veteran} />
          <a href={`#post-${post.post_number}`} title={t("thread.permalink")} className="muted">
            <RelativeTime date={post.created_at} />
          </a>
          {accepted ? (
            <span className="badge badge-accepted">{data.acceptedByAsker ? tq("accept.acceptedByAsker") : tq("accept.acceptedByStaff")}</span>
          ) : null}
          {verified ? <span className="badge badge-verified">{tq("verify.verified")}</span> : null}
        </div>
        {post.hidden && post.hidden_reason === "system:secret" ? <HiddenNotice reason={post.hidden_reason} privileged={post.privileged} /> : null}
        {post.deleted || (post.hidden && post.hidden_reason !== "system:secret") ? <ModerationNotice post={post} staff={data.staffView} /> : null}
        {post.body_html ? <Markdown html={post.body_html} /> : null}
        {post.addressWarning && post.body_html ? <AddressNotice /> : null}
        <div className="post-foot">
          {post.edited_at ? (
            <Link to={`/p/${post.id}/revisions`} className="edited-link">
              {t("thread.edited", { time: "" })}
              <RelativeTime date={post.edited_at} />
            </Link>
          ) : null}
          {post.canEdit ? <Link to={`/p/${post.id}/edit`}>{t("thread.edit")}</Link> : null}
          {!removed ? <ReportLink postId={post.id} canReport={post.canReport} loggedIn={data.loggedIn} /> : null}
          {!isQuestion && !removed && !accepted && data.canAccept ? (
            <QaButton intent="accept" postId={post.id} label={data.onBehalf ? tq("accept.acceptForAsker") : tq("accept.accept")} />
          ) : null}
          {accepted && data.canWithdraw ? <QaButton intent="withdraw" postId={post.id} label={tq("accept.withdraw")} className="button-secondary" /> : null}
          {!isQuestion && !removed && data.canVerify ? (
            verified ? (
              <QaButton intent="unverify" postId={post.id} label={tq("verify.unverify")} className="button-secondary" />
            ) : (
              <QaButton intent="verify" postId={post.id} label={tq("verify.verify")} />
            )
          ) : null}
        </div>
        {!isQuestion && data.canModeratePosts ? <PostTools post={post} error={modError} /> : null}
      </div>
    </article>
  );
}

function Timeline({ thread }: { thread: LoaderData["thread"] }) {
  const { t } = useTranslation("qa");
  const items: { key: string; label: string; pending: string; date: Date | string | null }[] = [
    { key: "asked", label: t("timeline.asked"), pending: t("timeline.asked"), date: thread.created_at },
    { key: "first", label: t("timeline.firstAnswer"), pending: t("timeline.firstAnswer"), date: thread.first_answer_at },
    {
      key: "accepted",
      label: t("timeline.accepted", { name: thread.accepted_by_name ?? "" }),
      pending: t("timeline.acceptedShort"),
      date: thread.accepted_post_id ? thread.accepted_at : null,
    },
  ];
  if (thread.board_needs_verification || thread.verified_post_id) {
    items.push({
      key: "verified",
      label: t("timeline.verified", { name: thread.verified_by_name ?? "" }),
      pending: t("timeline.verifiedShort"),
      date: thread.verified_post_id ? thread.verified_at : null,
    });
  }
  return (
    <aside className="timeline" aria-label={t("timeline.heading")}>
      <h2 className="timeline-heading">{t("timeline.heading")}</h2>
      <ol>
        {items.map((i) => (
          <li key={i.key} className={`timeline-${i.key}${i.date ? " done" : ""}`}>
            {i.date ? (
              <>
                <span>{i.label}</span> <RelativeTime date={i.date} />
              </>
            ) : (
              <span className="muted">
                {i.pending} · {t("timeline.notYet")}
              </span>
            )}
          </li>
        ))}
      </ol>
    </aside>
  );
}

export default function ThreadPage() {
  const data = useLoaderData<typeof loader>();
  const { thread, question, answers, page, pages, sort } = data;
  const actionData = useActionData<typeof action>();
  const { errors, values } = formResult(actionData);
  const safety = safetyOf(actionData);
  const qaError = (actionData && "qaError" in actionData ? actionData.qaError : null) as QaError | null;
  const modError = (actionData && "modError" in actionData ? actionData.modError : null) as ModError | null;
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
        {data.threadHidden && thread.hidden_reason === "system:secret" ? (
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
