import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/auth/session.server";
import { RelativeTime } from "~/components/time";
import { getDb } from "~/db.server";
import { listMyReports } from "~/models/reports.server";
import { postPath } from "~/models/threads.server";
import { parseIdText } from "~/web/schemas";

export const meta: MetaFunction = () => [{ title: "My reports · 我的举报 · Quorum" }];

/** "My reports": each report the user made, its status and the outcome a moderator chose. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const url = new URL(request.url);
  const pageRaw = url.searchParams.get("page");
  const page = pageRaw && /^\d{1,4}$/.test(pageRaw) ? Math.max(1, Number(pageRaw)) : 1;
  const newRaw = url.searchParams.get("new");
  const db = await getDb();
  const { rows, hasMore } = await listMyReports(db, user.id, page);
  return {
    page,
    hasMore,
    justSent: newRaw && parseIdText(newRaw) !== null ? Number(newRaw) : null,
    autoHidden: url.searchParams.get("hidden") === "1",
    reports: rows.map((r) => ({ ...r, path: postPath(r.thread_id, r.slug, r.post_number) })),
  };
}

export default function MyReports() {
  const { reports, page, hasMore, justSent, autoHidden } = useLoaderData<typeof loader>();
  const { t } = useTranslation("reports");
  return (
    <>
      <div className="page-head">
        <h1>{t("mine.title")}</h1>
      </div>
      {justSent ? (
        <p className="notice notice-ok" role="status">
          {t("mine.thanks")} {autoHidden ? t("mine.autoHidden") : null}
        </p>
      ) : null}
      <p className="muted">{t("mine.intro")}</p>
      {reports.length === 0 ? (
        <p className="empty">{t("mine.empty")}</p>
      ) : (
        <table className="table my-reports">
          <thead>
            <tr>
              <th>{t("mine.post")}</th>
              <th>{t("mine.reason")}</th>
              <th>{t("mine.reported")}</th>
              <th>{t("mine.status")}</th>
              <th>{t("mine.outcome")}</th>
            </tr>
          </thead>
          <tbody>
            {reports.map((r) => (
              <tr key={r.id} data-report={r.id} data-status={r.status} className={r.id === justSent ? "highlight" : undefined}>
                <td>
                  {t("mine.postIn", { number: r.post_number })} <Link to={r.path}>{r.title ?? t("mine.hiddenTitle")}</Link>
                  {r.note ? <div className="small muted">{r.note}</div> : null}
                </td>
                <td>{t(`reasons.${r.reason}`)}</td>
                <td>
                  <RelativeTime date={r.created_at} />
                </td>
                <td>
                  <span className={`badge badge-report-${r.status}`}>{t(`status.${r.status}`)}</span>
                </td>
                <td className="report-outcome">
                  {r.outcome ? (
                    <>
                      {t(`outcome.${r.outcome}`)}
                      {r.resolved_at ? (
                        <div className="small muted">
                          <RelativeTime date={r.resolved_at} />
                        </div>
                      ) : null}
                    </>
                  ) : (
                    "—"
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav className="pager">
        {page > 1 ? <Link to={`/reports?page=${page - 1}`}>{t("mine.newer")}</Link> : null}{" "}
        {hasMore ? <Link to={`/reports?page=${page + 1}`}>{t("mine.older")}</Link> : null}
      </nav>
    </>
  );
}
