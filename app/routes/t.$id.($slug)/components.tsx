/**
 * The thread page's pieces: vote buttons, the Q&A buttons, a post's card, the timeline. Plain
 * <Form>s (a fetcher for votes once hydrated): everything works without JavaScript.
 */
import { Form, Link, useFetcher, useLoaderData } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { AddressNotice, HiddenNotice, LinkNotice, NotStaffNotice } from "~/components/safety";
import { Markdown } from "~/components/markdown";
import { RelativeTime } from "~/components/time";
import { UserLink } from "~/components/user-link";
import { ModerationNotice, PostTools } from "~/components/moderation";
import { ReportLink } from "~/components/report-form";
import type { ModError } from "./actions.server";
import type { loader } from "./route";

export type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;
export type PostView = LoaderData["answers"][number];
export type QaError = { reason: string; postId: number | null };

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

export function PostCard({
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
        {post.secret ? <HiddenNotice secret privileged={post.privileged} /> : null}
        {post.deleted || (post.hidden && !post.secret) ? <ModerationNotice post={post} staff={data.staffView} /> : null}
        {post.notStaffNotice ? <NotStaffNotice /> : null}
        {post.body_html ? <Markdown html={post.body_html} /> : null}
        {post.addressWarning && post.body_html ? <AddressNotice /> : null}
        {post.linkWarning ? <LinkNotice /> : null}
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

export function Timeline({ thread }: { thread: LoaderData["thread"] }) {
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
