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
      {isStaffRole(role) ? (
        <span className="badge badge-staff" title={t(`role.${role}`)}>
          {t("role.staff")}
        </span>
      ) : null}
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
