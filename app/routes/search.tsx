import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { SearchHitItem } from "~/components/search";
import { useLocale } from "~/components/time";
import { getDb } from "~/db.server";
import { boardName } from "~/domain/boards";
import { MAX_QUERY_LENGTH } from "~/content/tokenize";
import { listBoardChoices } from "~/models/boards.server";
import { queryRefusal, searchForum, SEARCH_MAX_PAGE, type SearchType, type StatusFilter } from "~/models/search.server";
import { viewerOf } from "~/policy/visibility.server";
import { getUser, toActor } from "~/auth/session.server";

export const meta: MetaFunction = () => [{ title: "Search · 搜索 · Quorum" }];

const STATUSES: StatusFilter[] = ["solved", "unsolved"];
const TYPES: SearchType[] = ["faq", "thread"];

/**
 * /search?q=…&board=…&status=solved|unsolved&type=faq|thread&page=N — every parameter optional and bounded.
 * A query holding a recovery phrase or key is not run: 303 to /search?refused=secret, so the phrase
 * leaves the address bar and the history, and the page explains why without repeating it.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const refused = queryRefusal(params.get("q"));
  if (refused) throw redirect(`/search?refused=${refused}`, 303);
  const raw = params.get("q") ?? "";
  const q = raw.slice(0, MAX_QUERY_LENGTH);
  const db = await getDb();
  const boards = await listBoardChoices(db);
  const board = boards.find((b) => b.slug === params.get("board"))?.slug ?? null;
  const status = STATUSES.find((s) => s === params.get("status")) ?? null;
  const type = TYPES.find((s) => s === params.get("type")) ?? null;
  const page = Math.min(Math.max(1, Number.parseInt(params.get("page") ?? "1", 10) || 1), SEARCH_MAX_PAGE);
  const result = await searchForum(db, q, { board, status, type }, page, viewerOf(toActor(await getUser(request))));
  const shownRefusal = params.get("refused") === "secret" && !raw ? ("secret" as const) : null;
  return { q, truncated: raw.length > MAX_QUERY_LENGTH, boards, filters: { board, status, type }, ...result, refused: shownRefusal };
}

export default function Search() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation("search");
  const locale = useLocale();
  const { filters } = data;
  const pageUrl = (page: number) => {
    const p = new URLSearchParams();
    p.set("q", data.q);
    if (filters.board) p.set("board", filters.board);
    if (filters.status) p.set("status", filters.status);
    if (filters.type) p.set("type", filters.type);
    if (page > 1) p.set("page", String(page));
    return `/search?${p}`;
  };
  const nothing = data.official.length === 0 && data.hits.length === 0;
  return (
    <>
      <div className="page-head">
        <h1>{data.query ? t("page.resultsFor", { q: data.query }) : t("page.heading")}</h1>
      </div>
      <Form method="get" action="/search" className="search-form" role="search">
        <div className="search-main">
          <label htmlFor="search-q" className="visually-hidden">
            {t("box.label")}
          </label>
          <input id="search-q" type="search" name="q" defaultValue={data.q} maxLength={MAX_QUERY_LENGTH} placeholder={t("box.placeholder")} key={data.q} />
          <button type="submit" className="button">
            {t("box.submit")}
          </button>
        </div>
        <div className="search-filters">
          <label>
            {t("filters.board")}{" "}
            <select name="board" defaultValue={filters.board ?? ""}>
              <option value="">{t("filters.anyBoard")}</option>
              {data.boards.map((b) => (
                <option key={b.id} value={b.slug}>
                  {boardName(b, locale)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t("filters.status")}{" "}
            <select name="status" defaultValue={filters.status ?? ""}>
              <option value="">{t("filters.anyStatus")}</option>
              <option value="solved">{t("filters.solved")}</option>
              <option value="unsolved">{t("filters.unsolved")}</option>
            </select>
          </label>
          <label>
            {t("filters.type")}{" "}
            <select name="type" defaultValue={filters.type ?? ""}>
              <option value="">{t("filters.anyType")}</option>
              <option value="faq">{t("filters.faq")}</option>
              <option value="thread">{t("filters.thread")}</option>
            </select>
          </label>
        </div>
      </Form>
      {data.truncated ? <p className="notice">{t("page.truncated", { max: MAX_QUERY_LENGTH })}</p> : null}
      {data.refused ? (
        <p className="notice notice-error" role="alert">
          {t("page.refusedSecret")}
        </p>
      ) : !data.query ? (
        <p className="muted">{t("page.noQuery")}</p>
      ) : nothing ? (
        <div className="empty">
          <p>{t("page.none", { q: data.query })}</p>
          <Link to="/ask" className="button">
            {t("page.askInstead")}
          </Link>
        </div>
      ) : null}
      {data.official.length > 0 ? (
        <section className="search-official" aria-labelledby="search-official-h">
          <h2 id="search-official-h">{t("page.official")}</h2>
          <ul className="search-results">
            {data.official.map((h) => (
              <SearchHitItem key={`${h.type}-${h.id}`} hit={h} />
            ))}
          </ul>
        </section>
      ) : null}
      {data.hits.length > 0 ? (
        <section className="search-threads" aria-labelledby="search-threads-h">
          {data.official.length > 0 ? <h2 id="search-threads-h">{t("page.threads")}</h2> : null}
          <ul className="search-results">
            {data.hits.map((h) => (
              <SearchHitItem key={`${h.type}-${h.id}`} hit={h} />
            ))}
          </ul>
        </section>
      ) : null}
      {data.page > 1 || data.hasMore ? (
        <nav className="pager" aria-label={t("page.pageN", { page: data.page })}>
          {data.page > 1 ? (
            <Link to={pageUrl(data.page - 1)} rel="prev">
              {t("page.prev")}
            </Link>
          ) : null}
          <span>{t("page.pageN", { page: data.page })}</span>
          {data.hasMore ? (
            <Link to={pageUrl(data.page + 1)} rel="next">
              {t("page.next")}
            </Link>
          ) : null}
        </nav>
      ) : null}
    </>
  );
}
