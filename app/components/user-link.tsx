import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { Role } from "~db/types";
import { isStaffRole } from "~/policy/policy";

/**
 * A user's name, linking to the profile. The staff badge comes from the account's role only —
 * never from anything a user can type — so it cannot be imitated; and `role` is the badge role the
 * models compute (badgeRole: the role while the account has staff powers, two-factor sign-in on).
 */
export function UserLink({
  username,
  role,
  reputation,
  veteran,
}: {
  username: string;
  role?: Role | null;
  reputation?: number | null;
  /** Decided on the server (QUORUM_VETERAN_REPUTATION); see app/domain/reputation.server.ts. */
  veteran?: { threshold: number } | null;
}) {
  const { t } = useTranslation();
  return (
    <span className="user-link">
      <Link to={`/u/${encodeURIComponent(username)}`} className="user-name">
        {username}
      </Link>
      {role && isStaffRole(role) ? <StaffBadge role={role} /> : null}
      {typeof reputation === "number" ? (
        <span className="user-rep" title={t("profile.reputation")}>
          {reputation}
        </span>
      ) : null}
      {veteran ? (
        <span className="badge badge-veteran" title={t("qa:badge.veteranTitle", { threshold: veteran.threshold })}>
          {t("qa:badge.veteran")}
        </span>
      ) : null}
    </span>
  );
}

/**
 * The staff badge: drawn by the app outside any post body, with an icon no post can contain (posts
 * have no SVG and no classes of their own) and a link to the staff list on /official, where a reader
 * can check the name.
 */
export function StaffBadge({ role, label }: { role: Role; label?: string }) {
  const { t } = useTranslation();
  return (
    <Link to="/official#staff" className="badge badge-staff" title={t("staffBadge.title", { role: t(`role.${role}`) })}>
      <svg className="badge-icon" viewBox="0 0 16 16" width="12" height="12" aria-hidden="true" focusable="false">
        <path d="M8 1 2 3.5v4C2 11 4.6 14 8 15c3.4-1 6-4 6-7.5v-4L8 1Zm-1 10L4.5 8.5l1-1L7 9l3.5-3.5 1 1L7 11Z" fill="currentColor" />
      </svg>
      {label ?? t("role.staff")}
    </Link>
  );
}
