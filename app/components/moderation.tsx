/**
 * Moderation on the thread page (issue 8): the moderator tool bar, per-post tools, and the notices
 * readers, authors and staff see. Plain <Form>s with intent buttons: everything works without
 * JavaScript (the action is the thread page's intent table, app/routes/t.$id.($slug)/actions.server.ts).
 * Everything shown here comes fitted to the viewer (fitThread/fitPost): reasons are null where not theirs.
 */
import { Form, Link } from "@remix-run/react";
import { MAX_MOD_REASON } from "~/domain/limits";
import { REPORTS_HIDE_REASON } from "~/domain/reports";
import { useTranslation } from "react-i18next";
import { boardName } from "~/domain/boards";
import { faqPath, threadPath } from "~/web/paths";
import type { ModError } from "~/routes/t.$id.($slug)/actions.server";
import { useLocale } from "./time";

export type { ModError };

type ThreadState = {
  id: number;
  board_id: number;
  locked: boolean;
  pinned: boolean;
  hidden_at: Date | string | null;
  hidden_reason: string | null;
  /** Hidden because the title held a secret. */
  secret: boolean;
  deleted_at: Date | string | null;
  deleted_reason: string | null;
  closed_at: Date | string | null;
  duplicate_thread_slug: string | null;
  duplicate_thread_title: string | null;
  duplicate_of_thread_id: number | null;
  duplicate_faq_slug: string | null;
  duplicate_faq_question: string | null;
};

function ModErrorText({ error }: { error: ModError | null }) {
  const { t } = useTranslation("moderation");
  if (!error) return null;
  return (
    <p className="notice form-error" role="alert">
      {t(`errors.${error.reason}`, { defaultValue: t("errors.staffOnly") })}
    </p>
  );
}

function ReasonField({ id, label, value }: { id: string; label: string; value?: string }) {
  const { t } = useTranslation("moderation");
  return (
    <label className="mod-reason" htmlFor={id}>
      <span>{label}</span>
      <input id={id} name="reason" type="text" maxLength={MAX_MOD_REASON} defaultValue={value} aria-describedby={`${id}-hint`} />
      <small id={`${id}-hint`} className="muted">
        {t("tools.reasonHint")}
      </small>
    </label>
  );
}

/** The tool bar under a thread's title, for moderators and admins. */
export function ThreadTools({
  thread,
  boards,
  error,
}: {
  thread: ThreadState;
  boards: { id: number; slug: string; name_zh: string; name_en: string }[];
  error: ModError | null;
}) {
  const { t } = useTranslation("moderation");
  const locale = useLocale();
  const mine = error && error.postId === null ? error : null;
  const button = (intent: string, label: string, secondary = false) => (
    <button type="submit" name="intent" value={intent} className={`button button-small${secondary ? " button-secondary" : ""}`}>
      {label}
    </button>
  );
  return (
    <section className="card mod-tools" aria-label={t("tools.heading")}>
      <h2 className="mod-heading">{t("tools.heading")}</h2>
      <ModErrorText error={mine} />
      <Form method="post" className="mod-form">
        <ReasonField id="mod-reason" label={t("tools.reason")} value={mine?.values.reason} />
        <div className="mod-buttons">
          {thread.locked ? button("mod.unlock", t("tools.unlock"), true) : button("mod.lock", t("tools.lock"))}
          {thread.pinned ? button("mod.unpin", t("tools.unpin"), true) : button("mod.pin", t("tools.pin"))}
          {thread.hidden_at ? button("mod.unhide", t("tools.unhide"), true) : button("mod.hide", t("tools.hide"))}
          {thread.deleted_at ? button("mod.restore", t("tools.restore"), true) : button("mod.delete", t("tools.delete"))}
          {thread.closed_at ? button("mod.reopen", t("tools.reopen"), true) : null}
        </div>
      </Form>
      <Form method="post" className="mod-form mod-move">
        <label htmlFor="mod-board">{t("tools.moveTo")}</label>
        <select id="mod-board" name="boardId" defaultValue={String(thread.board_id)}>
          {boards.map((b) => (
            <option key={b.id} value={b.id}>
              {boardName(b, locale)}
            </option>
          ))}
        </select>
        {button("mod.move", t("tools.move"))}
      </Form>
      <Form method="post" className="mod-form mod-duplicate">
        <label htmlFor="mod-target">{t("tools.duplicateTarget")}</label>
        <input id="mod-target" name="target" type="text" maxLength={500} defaultValue={mine?.values.target} />
        {button("mod.duplicate", t("tools.closeDuplicate"))}
      </Form>
    </section>
  );
}

/** Hide / delete / restore one answer, with a reason (folded away until opened; no JavaScript needed). */
export function PostTools({
  post,
  error,
}: {
  post: { id: number; hidden: boolean; deleted: boolean; secret: boolean };
  error: ModError | null;
}) {
  const { t } = useTranslation("moderation");
  const mine = error && error.postId === post.id ? error : null;
  return (
    <details className="post-mod" open={!!mine}>
      <summary>{t("tools.heading")}</summary>
      <ModErrorText error={mine} />
      <Form method="post" className="mod-form">
        <input type="hidden" name="postId" value={post.id} />
        <ReasonField id={`mod-reason-${post.id}`} label={t("post.reasonLabel")} value={mine?.values.reason} />
        <div className="mod-buttons">
          {post.hidden ? (
            !post.secret ? (
              <button type="submit" name="intent" value="mod.post.unhide" className="button button-small button-secondary">
                {t("post.unhide")}
              </button>
            ) : null
          ) : (
            <button type="submit" name="intent" value="mod.post.hide" className="button button-small">
              {t("post.hide")}
            </button>
          )}
          {post.deleted ? (
            <button type="submit" name="intent" value="mod.post.restore" className="button button-small button-secondary">
              {t("post.restore")}
            </button>
          ) : (
            <button type="submit" name="intent" value="mod.post.delete" className="button button-small button-danger">
              {t("post.delete")}
            </button>
          )}
        </div>
      </Form>
    </details>
  );
}

/** In place of (or above) a post a moderator hid or deleted, for whoever may know. */
export function ModerationNotice({
  post,
  staff,
}: {
  post: { hidden: boolean; hidden_reason: string | null; deleted: boolean; deleted_reason: string | null; privileged: boolean };
  staff: boolean;
}) {
  const { t } = useTranslation("moderation");
  return (
    <div className="notice hidden-notice mod-notice" role="note">
      {post.deleted ? <p>{t("state.deletedBy", { reason: post.deleted_reason ?? "" })}</p> : null}
      {post.hidden && post.hidden_reason === REPORTS_HIDE_REASON ? (
        // Hidden at once by members' reports (issue 8), until a moderator decides in /staff/reports.
        <p>{t("reports:hidden.pending")}</p>
      ) : post.hidden ? (
        <p>
          {staff
            ? t("state.hiddenBy", { reason: post.hidden_reason ?? "" })
            : post.privileged
              ? t("state.hiddenForYou", { reason: post.hidden_reason ?? "" })
              : t("state.hiddenPublic")}
        </p>
      ) : null}
    </div>
  );
}

/** The thread's moderation state under its title: hidden, deleted, closed as a duplicate. */
export function ThreadStatusNotices({ thread, staff }: { thread: ThreadState; staff: boolean }) {
  const { t } = useTranslation("moderation");
  const secret = thread.secret;
  return (
    <>
      {thread.deleted_at ? (
        <p className="notice hidden-notice" role="note">
          {t("state.threadDeletedStaff", { reason: thread.deleted_reason ?? "" })}
        </p>
      ) : null}
      {thread.hidden_at && thread.hidden_reason === REPORTS_HIDE_REASON ? (
        <p className="notice hidden-notice" role="note">
          {t("reports:hidden.threadPending")}
        </p>
      ) : thread.hidden_at && !secret ? (
        <p className="notice hidden-notice" role="note">
          {staff ? t("state.threadHiddenStaff", { reason: thread.hidden_reason ?? "" }) : t("state.threadHidden", { reason: thread.hidden_reason ?? "" })}
        </p>
      ) : null}
      {thread.closed_at ? (
        <p className="notice notice-duplicate" role="note">
          <strong>{t("duplicate.notice")}</strong>{" "}
          {thread.duplicate_thread_slug && thread.duplicate_of_thread_id ? (
            <>
              {t("duplicate.ofThread")}{" "}
              <Link to={threadPath(thread.duplicate_of_thread_id, thread.duplicate_thread_slug)}>{thread.duplicate_thread_title}</Link>
            </>
          ) : thread.duplicate_faq_slug ? (
            <>
              {t("duplicate.ofFaq")} <Link to={faqPath(thread.duplicate_faq_slug)}>{thread.duplicate_faq_question}</Link>
            </>
          ) : (
            t("duplicate.gone")
          )}
        </p>
      ) : null}
    </>
  );
}

/** Marks in thread lists (staff see hidden and deleted threads; everyone sees duplicates). */
export function ThreadMarks({ thread }: { thread: { hidden_at?: Date | string | null; deleted_at?: Date | string | null; closed_at?: Date | string | null } }) {
  const { t } = useTranslation("moderation");
  return (
    <>
      {thread.deleted_at ? <span className="badge badge-deleted">{t("state.deleted")}</span> : null}
      {thread.hidden_at ? <span className="badge badge-hidden">{t("state.hidden")}</span> : null}
      {thread.closed_at ? <span className="badge badge-duplicate">{t("state.duplicate")}</span> : null}
    </>
  );
}
