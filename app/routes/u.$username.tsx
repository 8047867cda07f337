import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { StatusBadge } from "~/components/thread-row";
import { ThreadMarks } from "~/components/moderation";
import { RelativeTime, useLocale } from "~/components/time";
import { getDb } from "~/db.server";
import { formatDay, formatNumber } from "~/lib/format";
import { notFound } from "~/lib/http.server";
import { isStaffRole } from "~/lib/policy";
import { getProfile } from "~/models/users.server";
import { viewerOf } from "~/models/visibility.server";
import { getUser } from "~/auth/session.server";
import { threadPath } from "~/lib/paths";
import { isVeteran } from "~/lib/reputation";
import { veteranThreshold } from "~/lib/reputation.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: `${data.user.username} · Quorum` }] : []);

export async function loader({ params, request }: LoaderFunctionArgs) {
  const db = await getDb();
  const profile = await getProfile(db, params.username ?? "", viewerOf(await getUser(request)));
  if (!profile) notFound();
  const threshold = veteranThreshold();
  return { ...profile, veteran: isVeteran(profile.user.reputation, threshold) ? { threshold } : null };
}

export default function Profile() {
  const { user, threads, replies, counts, veteran } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <>
      <section className="card profile-head">
        <div className="avatar" aria-hidden="true">
          {user.username.slice(0, 1).toUpperCase()}
        </div>
        <div>
          <h1>
            {user.username}{" "}
            {isStaffRole(user.role) ? <span className="badge badge-staff">{t(`role.${user.role}`)}</span> : null}
            {veteran ? (
              <span className="badge badge-veteran" title={t("qa:badge.veteranTitle", { threshold: veteran.threshold })}>
                {t("qa:badge.veteran")}
              </span>
            ) : null}
          </h1>
          <p className="muted">{t("profile.joined", { time: formatDay(user.created_at, locale) })}</p>
        </div>
        <div className="stat-row">
          <div className="stat">
            <strong>{formatNumber(user.reputation, locale)}</strong>
            {t("profile.reputation")}
          </div>
          <div className="stat">
            <strong>{formatNumber(counts.threads, locale)}</strong>
            {t("profile.threads")}
          </div>
          <div className="stat">
            <strong>{formatNumber(counts.replies, locale)}</strong>
            {t("profile.replies")}
          </div>
        </div>
      </section>
      <div className="two-col">
        <section>
          <h2>{t("profile.threads")}</h2>
          <div className="card">
            {threads.length === 0 ? (
              <p className="empty">{t("profile.noThreads")}</p>
            ) : (
              <ul className="simple-list">
                {threads.map((th) => (
                  <li key={th.id}>
                    <Link to={threadPath(th.id, th.slug)}>{th.title}</Link>
                    <div className="small muted">
                      <StatusBadge status={th.status} /> <ThreadMarks thread={th} /> · <RelativeTime date={th.created_at} />
                    </div>
                  </li>
                ))}
              </ul>
            )}
          </div>
        </section>
        <section>
          <h2>{t("profile.replies")}</h2>
          <div className="card">
            {replies.length === 0 ? (
              <p className="empty">{t("profile.noReplies")}</p>
            ) : (
              <ul className="simple-list">
                {replies.map((r) => (
                  <li key={r.id}>
                    <Link to={threadPath(r.thread_id, r.slug, { post: r.post_number })}>{r.title}</Link>
                    <div className="small muted">
                      <ThreadMarks thread={r} /> <RelativeTime date={r.created_at} />
                    </div>
                  </li>
                ))}
              </ul>
            )}
          </div>
        </section>
      </div>
    </>
  );
}
