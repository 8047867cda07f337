import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getUser, toActor } from "~/auth/session.server";
import { ThreadRow } from "~/components/thread-row";
import { useLocale } from "~/components/time";
import { getDb } from "~/db.server";
import { notFound } from "~/lib/http.server";
import { can } from "~/lib/policy";
import { boardDescription, boardName } from "~/lib/boards";
import { getBoardBySlug } from "~/models/boards.server";
import { listBoardThreads } from "~/models/threads.server";

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data ? [{ title: `${data.board.name_zh} · ${data.board.name_en} · Quorum` }, { name: "description", content: data.board.description_en }] : [];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = await getDb();
  const board = await getBoardBySlug(db, params.slug ?? "");
  if (!board) notFound();
  const url = new URL(request.url);
  const afterRaw = url.searchParams.get("after");
  const after = afterRaw !== null && /^\d{1,15}$/.test(afterRaw) ? Number(afterRaw) : null;
  const [page, user] = await Promise.all([listBoardThreads(db, board.id, { after }), getUser(request)]);
  return {
    board,
    threads: page.threads,
    nextAfter: page.nextAfter,
    isFirstPage: after === null,
    canPost: user ? can(toActor(user), { action: "thread.create", board }) : !board.staff_only,
  };
}

export default function BoardPage() {
  const { board, threads, nextAfter, isFirstPage, canPost } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <>
      <nav className="breadcrumb">
        <Link to="/">{t("nav.boards")}</Link> /
      </nav>
      <div className="page-head">
        <div>
          <h1>{boardName(board, locale)}</h1>
          <p className="muted">{boardDescription(board, locale)}</p>
          {board.staff_only ? <p className="muted small">{t("board.staffOnlyNotice")}</p> : null}
        </div>
        {canPost ? (
          <Link to={`/ask?board=${board.slug}`} className="button">
            {t("board.newThread")}
          </Link>
        ) : null}
      </div>
      <section className="card" aria-label={t("board.threadsHeading")}>
        {threads.length === 0 ? (
          <p className="empty">{t("board.empty")}</p>
        ) : (
          <ul className="thread-list">
            {threads.map((th) => (
              <ThreadRow key={th.id} thread={th} />
            ))}
          </ul>
        )}
      </section>
      <nav className="pagination">
        {!isFirstPage ? <Link to={`/b/${board.slug}`}>{t("board.newest")}</Link> : <span />}
        {nextAfter !== null ? (
          <Link to={`/b/${board.slug}?after=${nextAfter}`} rel="next">
            {t("board.older")} →
          </Link>
        ) : null}
      </nav>
    </>
  );
}
