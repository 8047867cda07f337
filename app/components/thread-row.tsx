import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { Role, ThreadStatus } from "~db/types";
import { RelativeTime } from "./time";
import { UserLink } from "./user-link";
import { ThreadMarks } from "./moderation";
import { threadPath } from "~/web/paths";

export function StatusBadge({ status }: { status: ThreadStatus }) {
  const { t } = useTranslation();
  return <span className={`status status-${status}`}>{t(`status.${status}`)}</span>;
}

export type ThreadRowData = {
  id: number;
  slug: string;
  /** Null when the title held a secret (shown to nobody). */
  title: string | null;
  status: ThreadStatus;
  reply_count: number;
  view_count: number;
  pinned: boolean;
  locked: boolean;
  last_post_at: Date | string;
  author: string;
  author_role: Role;
  last_poster: string | null;
  score?: number;
  verified_post_id?: number | null;
  /** Moderation marks (staff see hidden and deleted threads in lists). */
  hidden_at?: Date | string | null;
  deleted_at?: Date | string | null;
  closed_at?: Date | string | null;
};

/**
 * One thread in a list. `needsVerification`: the board's answers need staff verification, so an
 * answered thread without a verified answer says it is awaiting it.
 */
export function ThreadRow({ thread, needsVerification }: { thread: ThreadRowData; needsVerification?: boolean }) {
  const { t } = useTranslation();
  const awaiting = !!needsVerification && thread.status !== "resolved" && thread.reply_count > 0 && !thread.verified_post_id;
  return (
    <li className="thread-row">
      <div>
        <Link to={threadPath(thread.id, thread.slug)} className="title">
          {thread.title ?? t("safety:hidden.threadTitle")}
        </Link>
        <div className="meta">
          <StatusBadge status={thread.status} />
          {awaiting ? <span className="badge badge-awaiting">{t("qa:verify.awaiting")}</span> : null}
          {thread.pinned ? <span className="badge badge-pinned">{t("board.pinned")}</span> : null}
          {thread.locked ? <span className="badge badge-locked">{t("board.locked")}</span> : null}
          <ThreadMarks thread={thread} />
          <UserLink username={thread.author} role={thread.author_role} />
          <RelativeTime date={thread.last_post_at} />
          {thread.last_poster && thread.reply_count > 0 ? <span>{t("board.lastReplyBy", { name: thread.last_poster })}</span> : null}
        </div>
      </div>
      <div className="counts">
        {typeof thread.score === "number" ? <div className="score">{t("qa:board.score", { count: thread.score })}</div> : null}
        <div>{t("board.replies", { count: thread.reply_count })}</div>
        <div>{t("board.views", { count: thread.view_count })}</div>
      </div>
    </li>
  );
}
