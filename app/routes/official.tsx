import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getUser, toActor } from "~/auth/session.server";
import { hasAdminPowers } from "~/policy/policy";
import { Markdown } from "~/components/markdown";
import { getDb } from "~/db.server";
import { getOfficialPage } from "~/models/faq.server";
import { listBadgedStaff } from "~/models/users.server";
import { UserLink } from "~/components/user-link";

export const meta: MetaFunction = () => [{ title: "Official support channels · 官方支持渠道 · Quorum" }];

/** The official support channels (admin-edited at /staff/official) under a fixed safety warning. */
export async function loader({ request }: LoaderFunctionArgs) {
  const db = await getDb();
  const [page, user, staff] = await Promise.all([getOfficialPage(db), getUser(request), listBadgedStaff(db)]);
  return { html: page?.body_html ?? "", isAdmin: hasAdminPowers(toActor(user)), staff };
}

export default function Official() {
  const { html, isAdmin, staff } = useLoaderData<typeof loader>();
  const { t } = useTranslation("faq");
  return (
    <>
      <div className="page-head">
        <h1>{t("official.title")}</h1>
        {isAdmin ? <Link to="/staff/official">{t("official.edit")}</Link> : null}
      </div>
      <p className="notice notice-warning official-warning" role="note">
        {t("official.warning")}
      </p>
      {html ? <Markdown html={html} /> : <p className="empty">{t("official.none")}</p>}
      <section id="staff" aria-labelledby="staff-title">
        <h2 id="staff-title">{t("official.staffTitle")}</h2>
        <p>{t("official.staffIntro")}</p>
        {staff.length > 0 ? (
          <ul className="staff-list">
            {staff.map((s) => (
              <li key={s.username}>
                <UserLink username={s.username} role={s.badge_role} />
              </li>
            ))}
          </ul>
        ) : (
          <p className="empty">{t("official.staffNone")}</p>
        )}
      </section>
      <p>
        <Link to="/faq">{t("faq.title")}</Link>
      </p>
    </>
  );
}
