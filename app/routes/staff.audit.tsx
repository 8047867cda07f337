import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getDb } from "~/db.server";
import { requireAdmin } from "~/forms/faq-form.server";
import { listAudit } from "~/models/audit.server";
import { RelativeTime } from "~/components/time";

export const meta: MetaFunction = () => [{ title: "Audit log · 审计日志 · Quorum" }];

/** Admins only: every staff action, newest first, 50 a page, filterable by action. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const url = new URL(request.url);
  const action = url.searchParams.get("action")?.slice(0, 60) || null;
  const pageRaw = url.searchParams.get("page");
  const page = pageRaw && /^\d{1,4}$/.test(pageRaw) ? Number(pageRaw) : 1;
  const db = await getDb();
  return { ...(await listAudit(db, { action, page })), action };
}

export default function AuditLog() {
  const { rows, hasMore, page, actions, action } = useLoaderData<typeof loader>();
  const { t } = useTranslation("faq");
  const link = (p: number) => `/staff/audit?${new URLSearchParams({ ...(action ? { action } : {}), page: String(p) })}`;
  return (
    <>
      <div className="page-head">
        <h1>{t("audit.title")}</h1>
      </div>
      <Form method="get" className="inline-form">
        <label htmlFor="audit-action">{t("audit.filter")}</label>{" "}
        <select id="audit-action" name="action" defaultValue={action ?? ""}>
          <option value="">{t("audit.all")}</option>
          {actions.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>{" "}
        <button type="submit" className="button button-secondary">
          {t("audit.apply")}
        </button>
      </Form>
      {rows.length === 0 ? (
        <p className="empty">{t("audit.none")}</p>
      ) : (
        <table className="table audit-table">
          <thead>
            <tr>
              <th>{t("audit.when")}</th>
              <th>{t("audit.who")}</th>
              <th>{t("audit.action")}</th>
              <th>{t("audit.target")}</th>
              <th>{t("audit.details")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} data-action={r.action}>
                <td>
                  <RelativeTime date={r.created_at} />
                </td>
                <td>{r.username ?? "—"}</td>
                <td>
                  <code>{r.action}</code>
                </td>
                <td>
                  {r.target_type} {r.target_id ?? ""}
                </td>
                <td>
                  <code className="audit-details">{r.details}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav className="pager">
        {page > 1 ? <Link to={link(page - 1)}>{t("audit.newer")}</Link> : null} {hasMore ? <Link to={link(page + 1)}>{t("audit.older")}</Link> : null}
      </nav>
    </>
  );
}
