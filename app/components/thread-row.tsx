import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { Role, ThreadStatus } from "~db/types";
import { RelativeTime } from "./time";
import { UserLink } from "./user-link";
import { threadPath } from "~/lib/paths";

export function StatusBadge({ status }: { status: ThreadStatus }) {
  const { t } = useTranslation();
  return <span className={`status status-${status}`}>{t(`status.${status}`)}</span>;
}

export type ThreadRowData = {
  id: number;
  slug: string;
  title: string;
  status: ThreadStatus;
  reply_count: number;
  view_count: number;
  pinned: boolean;
  locked: boolean;
  last_post_at: Date | string;
  author: string;
  author_role: Role;
  last_poster: string | null;
};

export function ThreadRow({ thread }: { thread: ThreadRowData }) {
  const { t } = useTranslation();
  return (
    <li className="thread-row">
      <div>
        <Link to={threadPath(thread.id, thread.slug)} className="title">
          {thread.title}
        </Link>
        <div className="meta">
          <StatusBadge status={thread.status} />
          {thread.pinned ? <span className="badge badge-pinned">{t("board.pinned")}</span> : null}
          {thread.locked ? <span className="badge badge-locked">{t("board.locked")}</span> : null}
          <UserLink username={thread.author} role={thread.author_role} />
          <RelativeTime date={thread.last_post_at} />
          {thread.last_poster && thread.reply_count > 0 ? <span>{t("board.lastReplyBy", { name: thread.last_poster })}</span> : null}
        </div>
      </div>
      <div className="counts">
        <div>{t("board.replies", { count: thread.reply_count })}</div>
        <div>{t("board.views", { count: thread.view_count })}</div>
      </div>
    </li>
  );
}
