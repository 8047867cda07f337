import type { Adapter, DatabaseSession, DatabaseUser } from "lucia";
import { createHash } from "node:crypto";
import type { Database } from "~db/index";

/**
 * The id a session is stored under: the SHA-256 of the cookie's value. Only the browser holds the
 * value itself, so the table (or a dump of it) cannot be used to sign in. Every query by session id
 * goes through this.
 */
export function storedSessionId(sessionId: string): string {
  return createHash("sha256").update(sessionId).digest("hex");
}

/** The user columns Lucia hands to the app on every validated session (kept small: one join). */
export const SESSION_USER_COLUMNS = [
  "username",
  "role",
  "reputation",
  "locale",
  "suspended_until",
  "suspended_reason",
  "email_verified_at",
  "totp_enabled_at",
] as const;

/**
 * Lucia v3 adapter over our Kysely instance: sessions live in `user_sessions`. Besides Lucia's
 * fields we keep the IP, the browser and when the session was last seen (for the sessions list).
 */
export class KyselyLuciaAdapter implements Adapter {
  constructor(private readonly getDb: () => Promise<Database>) {}

  async getSessionAndUser(sessionId: string): Promise<[DatabaseSession | null, DatabaseUser | null]> {
    const db = await this.getDb();
    const row = await db
      .selectFrom("user_sessions as s")
      .innerJoin("users as u", "u.id", "s.user_id")
      .select([
        "s.id as session_id",
        "s.user_id",
        "s.expires_at",
        "s.ip",
        "s.user_agent",
        "s.created_at as session_created_at",
        "s.last_seen_at",
        ...SESSION_USER_COLUMNS.map((c) => `u.${c}` as const),
      ])
      .where("s.id", "=", storedSessionId(sessionId))
      .executeTakeFirst();
    if (!row) return [null, null];
    return [
      {
        // Lucia compares and re-issues the cookie by this id: the value it asked with, not the hash.
        id: sessionId,
        userId: row.user_id,
        expiresAt: row.expires_at,
        attributes: { ip: row.ip, user_agent: row.user_agent, created_at: row.session_created_at, last_seen_at: row.last_seen_at },
      },
      {
        id: row.user_id,
        attributes: {
          username: row.username,
          role: row.role,
          reputation: row.reputation,
          locale: row.locale,
          suspended_until: row.suspended_until,
          suspended_reason: row.suspended_reason,
          email_verified_at: row.email_verified_at,
          totp_enabled_at: row.totp_enabled_at,
        },
      },
    ];
  }

  /** Not used by Quorum (the sessions list is listSessions in app/models/account.server.ts): the
   * stored ids are hashes, which Lucia cannot hand back to invalidateSession. */
  async getUserSessions(): Promise<DatabaseSession[]> {
    throw new Error("getUserSessions: session ids are stored hashed; use listSessions");
  }

  async setSession(session: DatabaseSession): Promise<void> {
    const db = await this.getDb();
    await db
      .insertInto("user_sessions")
      .values({
        id: storedSessionId(session.id),
        user_id: session.userId,
        expires_at: session.expiresAt,
        ip: session.attributes.ip ?? null,
        user_agent: session.attributes.user_agent ?? null,
      })
      .execute();
  }

  async updateSessionExpiration(sessionId: string, expiresAt: Date): Promise<void> {
    const db = await this.getDb();
    // Lucia extends a session when more than half its life is gone: that is also "last seen".
    await db
      .updateTable("user_sessions")
      .set({ expires_at: expiresAt, last_seen_at: new Date() })
      .where("id", "=", storedSessionId(sessionId))
      .execute();
  }

  async deleteSession(sessionId: string): Promise<void> {
    const db = await this.getDb();
    await db.deleteFrom("user_sessions").where("id", "=", storedSessionId(sessionId)).execute();
  }

  async deleteUserSessions(userId: number): Promise<void> {
    const db = await this.getDb();
    await db.deleteFrom("user_sessions").where("user_id", "=", userId).execute();
  }

  async deleteExpiredSessions(): Promise<void> {
    const db = await this.getDb();
    await db.deleteFrom("user_sessions").where("expires_at", "<=", new Date()).execute();
  }
}
