import type { MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { RelativeTime, useLocale } from "~/components/time";
import { getDb } from "~/db.server";
import { formatNumber } from "~/i18n/format";
import { boardDescription, boardName } from "~/domain/boards";
import { listBoards } from "~/models/boards.server";
import { threadPath } from "~/web/paths";

export const meta: MetaFunction = () => [
  { title: "Quorum" },
  { name: "description", content: "Community support and official FAQ for wallet users · 钱包用户互助社区与官方常见问题" },
];

export async function loader() {
  const db = await getDb();
  return { boards: await listBoards(db) };
}

export default function Home() {
  const { boards } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <>
      <div className="page-head">
        <div>
          <h1>{t("home.title")}</h1>
          <p className="muted">{t("home.intro")}</p>
        </div>
        <Link to="/ask" className="button">
          {t("nav.ask")}
        </Link>
      </div>
      <ul className="board-list">
        {boards.map((b) => (
          <li key={b.id} className="card board-item">
            <div>
              <h2>
                <Link to={`/b/${b.slug}`}>{boardName(b, locale)}</Link>{" "}
                {b.staff_only ? <span className="badge badge-staff">{t("home.staffOnly")}</span> : null}
              </h2>
              <p className="desc">{boardDescription(b, locale)}</p>
              <p className="board-stats">
                {t("home.threads", { count: b.thread_count, formatted: formatNumber(b.thread_count, locale) })} ·{" "}
                {t("home.posts", { count: b.post_count })}
              </p>
            </div>
            <div className="board-latest">
              {b.last_thread_id && b.last_thread_title ? (
                <>
                  <span>{t("home.latest")}</span>
                  <Link className="latest-title" to={threadPath(b.last_thread_id, b.last_thread_slug ?? "")}>
                    {b.last_thread_title}
                  </Link>
                  {b.last_post_at ? <RelativeTime date={b.last_post_at} /> : null}
                  {b.last_poster ? <> · {b.last_poster}</> : null}
                </>
              ) : (
                <span>{t("home.noActivity")}</span>
              )}
            </div>
          </li>
        ))}
      </ul>
    </>
  );
}
