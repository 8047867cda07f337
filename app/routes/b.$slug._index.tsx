import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getUser, toActor } from "~/auth/session.server";
import { ThreadRow } from "~/components/thread-row";
import { useLocale } from "~/components/time";
import { getDb } from "~/db.server";
import { notFound } from "~/web/http.server";
import { can } from "~/policy/policy";
import { boardDescription, boardName } from "~/domain/boards";
import { getBoardBySlug } from "~/models/boards.server";
import { listBoardThreads } from "~/models/threads.server";
import { viewerOf } from "~/policy/visibility.server";
import { BOARD_TABS, MAX_TOP_PAGES, parseBoardTab, type BoardTab } from "~/domain/board-tabs";
import { parseIdText } from "~/web/schemas";

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data ? [{ title: `${data.board.name_zh} · ${data.board.name_en} · Quorum` }, { name: "description", content: data.board.description_en }] : [];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = await getDb();
  const board = await getBoardBySlug(db, params.slug ?? "");
  if (!board) notFound();
  const url = new URL(request.url);
  const tab = parseBoardTab(url.searchParams.get("tab"));
  const afterRaw = url.searchParams.get("after");
  const after = afterRaw !== null && parseIdText(afterRaw) !== null ? Number(afterRaw) : null;
  const pageRaw = url.searchParams.get("page");
  const pageNo = pageRaw && /^\d{1,4}$/.test(pageRaw) ? Math.max(1, Number(pageRaw)) : 1;
  if (tab === "top" && pageNo > MAX_TOP_PAGES) notFound();
  const user = await getUser(request);
  const page = await listBoardThreads(db, board.id, { after, tab, page: pageNo, viewer: viewerOf(toActor(user)) });
  return {
    board,
    tab,
    threads: page.threads,
    nextAfter: page.nextAfter,
    nextPage: page.nextPage,
    isFirstPage: tab === "top" ? pageNo === 1 : after === null,
    canPost: user ? can(toActor(user), { action: "thread.create", board }) : !board.staff_only,
  };
}

export default function BoardPage() {
  const { board, tab, threads, nextAfter, nextPage, isFirstPage, canPost } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const { t: tq } = useTranslation("qa");
  const tabLink = (to: BoardTab, extra = "") => {
    const q = new URLSearchParams(extra);
    if (to !== "activity") q.set("tab", to);
    const qs = q.toString();
    return `/b/${board.slug}${qs ? `?${qs}` : ""}`;
  };
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
      <nav className="tabs board-tabs" aria-label={tq("tabs.label")}>
        {BOARD_TABS.map((k) => (
          <Link key={k} to={tabLink(k)} className={k === tab ? "active" : ""} aria-current={k === tab ? "page" : undefined}>
            {tq(`tabs.${k}`)}
          </Link>
        ))}
      </nav>
      <section className="card" aria-label={t("board.threadsHeading")}>
        {threads.length === 0 ? (
          <p className="empty">{t("board.empty")}</p>
        ) : (
          <ul className="thread-list">
            {threads.map((th) => (
              <ThreadRow key={th.id} thread={th} needsVerification={board.needs_verification} />
            ))}
          </ul>
        )}
      </section>
      <nav className="pagination">
        {!isFirstPage ? <Link to={tabLink(tab)}>{tab === "activity" ? t("board.newest") : tq("board.first")}</Link> : <span />}
        {nextAfter !== null ? (
          <Link to={tabLink(tab, `after=${nextAfter}`)} rel="next">
            {t("board.older")} →
          </Link>
        ) : null}
        {nextPage !== null ? (
          <Link to={tabLink(tab, `page=${nextPage}`)} rel="next">
            {tq("board.more")} →
          </Link>
        ) : null}
      </nav>
    </>
  );
}
