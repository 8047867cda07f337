import { Lucia, TimeSpan } from "lucia";
import type { Locale, Role } from "~db/types";
import { getDb } from "~/db.server";
import { KyselyLuciaAdapter } from "./adapter.server";
import { config } from "~/web/config.server";

export const lucia = new Lucia(new KyselyLuciaAdapter(getDb), {
  // Sliding expiry: Lucia extends a session on use once half of these 30 days have passed.
  sessionExpiresIn: new TimeSpan(30, "d"),
  sessionCookie: {
    name: "quorum_session",
    attributes: {
      sameSite: "lax",
      // HttpOnly is always set by Lucia; Secure in production (QUORUM_INSECURE_COOKIES=1 for plain-HTTP
      // local deployments, such as the end-to-end tests against the built server).
      secure: config().secureCookies,
    },
  },
  getUserAttributes: (a) => ({
    username: a.username,
    role: a.role,
    reputation: a.reputation,
    locale: a.locale,
    suspendedUntil: a.suspended_until,
    suspendedReason: a.suspended_reason,
    emailVerified: !!a.email_verified_at,
    twoFactor: !!a.totp_enabled_at,
  }),
  getSessionAttributes: (a) => ({ ip: a.ip, userAgent: a.user_agent, createdAt: a.created_at, lastSeenAt: a.last_seen_at }),
});

declare module "lucia" {
  interface Register {
    Lucia: typeof lucia;
    UserId: number;
    DatabaseUserAttributes: {
      username: string;
      role: Role;
      reputation: number;
      locale: Locale | null;
      suspended_until: Date | null;
      suspended_reason: string | null;
      email_verified_at: Date | null;
      totp_enabled_at: Date | null;
    };
    DatabaseSessionAttributes: {
      ip: string | null;
      user_agent: string | null;
      created_at?: Date;
      last_seen_at?: Date;
    };
  }
}
