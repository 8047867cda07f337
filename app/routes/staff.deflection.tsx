import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { authorize } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { deflectionStats, DEFLECTION_WINDOW_MINUTES } from "~/models/search.server";

export const meta: MetaFunction = () => [{ title: "Deflection · 分流 · Quorum" }];

/** Staff only: per suggested entry, how often it was shown, opened from the ask page, and deflected. */
export async function loader({ request }: LoaderFunctionArgs) {
  await authorize(request, { action: "staff.access" });
  const db = await getDb();
  return { rows: await deflectionStats(db), minutes: DEFLECTION_WINDOW_MINUTES };
}

export default function Deflection() {
  const { rows, minutes } = useLoaderData<typeof loader>();
  const { t } = useTranslation("search");
  return (
    <>
      <div className="page-head">
        <h1>{t("staff.title")}</h1>
      </div>
      <p>{t("staff.intro")}</p>
      <p className="muted">{t("staff.definition", { minutes })}</p>
      {rows.length === 0 ? (
        <p className="empty">{t("staff.none")}</p>
      ) : (
        <table className="table deflection-table">
          <thead>
            <tr>
              <th>{t("staff.entry")}</th>
              <th>{t("staff.type")}</th>
              <th>{t("staff.shown")}</th>
              <th>{t("staff.opened")}</th>
              <th>{t("staff.deflected")}</th>
              <th>{t("staff.rate")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.targetType}-${r.targetId}`} data-target={`${r.targetType}-${r.targetId}`}>
                <td>{r.url ? <Link to={r.url}>{r.title}</Link> : t("staff.missing")}</td>
                <td>{r.targetType === "faq" ? t("filters.faq") : t("filters.thread")}</td>
                <td className="num">{r.shown}</td>
                <td className="num">{r.opened}</td>
                <td className="num">{r.deflected}</td>
                <td className="num">{r.opened > 0 ? `${Math.round((100 * r.deflected) / r.opened)} %` : "–"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
