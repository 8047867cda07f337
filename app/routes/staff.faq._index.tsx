import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireStaff } from "~/auth/session.server";
import { EntryActions } from "~/components/faq-actions";
import { getDb } from "~/db.server";
import { boardName } from "~/domain/boards";
import { entryIntent } from "~/forms/faq-form.server";
import { badRequest, readForm } from "~/web/http.server";
import { listForStaff, staleDays, type StaffSort } from "~/models/faq.server";
import { useLocale } from "~/components/time";

export const meta: MetaFunction = () => [{ title: "FAQ · 常见问题管理 · Quorum" }];

/** Staff: every entry with status, helpful ratio (sortable) and its "source changed" / "stale" flags. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const s = new URL(request.url).searchParams.get("sort");
  const sort: StaffSort = s === "helpful" || s === "updated" ? s : "position";
  const db = await getDb();
  return { entries: await listForStaff(db, { sort }), sort, staleDays: staleDays() };
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  const user = await requireStaff(request);
  const db = await getDb();
  const done = await entryIntent(db, user.id, form);
  if (!done) return badRequest({ error: "unknown intent" });
  return redirect(`/staff/faq?done=${done.done}`);
}

export default function StaffFaq() {
  const { entries, sort, staleDays } = useLoaderData<typeof loader>();
  const { t } = useTranslation("faq");
  const locale = useLocale();
  return (
    <>
      <div className="page-head">
        <h1>{t("staff.title")}</h1>
        <Link to="/staff/faq/candidates" className="button">
          {t("candidates.title")}
        </Link>
      </div>
      <p className="muted">{t("staff.staleHelp", { days: staleDays })}</p>
      <p>
        {t("staff.sortBy")} <Link to="/staff/faq">{sort === "position" ? <strong>{t("staff.sortPosition")}</strong> : t("staff.sortPosition")}</Link> ·{" "}
        <Link to="/staff/faq?sort=helpful">{sort === "helpful" ? <strong>{t("staff.sortHelpful")}</strong> : t("staff.sortHelpful")}</Link> ·{" "}
        <Link to="/staff/faq?sort=updated">{sort === "updated" ? <strong>{t("staff.sortUpdated")}</strong> : t("staff.sortUpdated")}</Link>
      </p>
      {entries.length === 0 ? (
        <p className="empty">{t("staff.none")}</p>
      ) : (
        <table className="table faq-staff-table">
          <thead>
            <tr>
              <th>{t("staff.entry")}</th>
              <th>{t("staff.section")}</th>
              <th>{t("staff.status")}</th>
              <th>{t("staff.helpful")}</th>
              <th>{t("staff.flags")}</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id} data-entry={e.id}>
                <td>
                  <Link to={`/staff/faq/${e.id}`}>{e.question}</Link>
                </td>
                <td>
                  {boardName(e, locale)} #{e.position}
                </td>
                <td>{t(`status.${e.status}`)}</td>
                <td className="num">
                  {e.ratio === null ? "–" : `${Math.round(Number(e.ratio) * 100)} %`} ({e.helpful_yes}/{e.helpful_yes + e.helpful_no})
                </td>
                <td>
                  {e.source_changed ? (
                    <Link to={`/staff/faq/${e.id}#source`} className="badge badge-changed">
                      {t("staff.sourceChanged")}
                    </Link>
                  ) : null}{" "}
                  {e.stale ? <span className="badge badge-stale">{t("staff.stale")}</span> : null}
                </td>
                <td>
                  <EntryActions id={e.id} status={e.status} sourceChanged={e.source_changed} compact />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
