import { sql } from "kysely";
import type { Database } from "~db/index";

/**
 * A small fixed-window rate limiter stored in PostgreSQL (table `rate_limits`), so that limits hold
 * across processes and restarts. The interface is deliberately that of a limiter object with
 * `consume(key)`, so it can later be swapped for rate-limiter-flexible's RateLimiterPostgres.
 */
export type RateLimitResult = { allowed: boolean; remaining: number; retryAfterSeconds: number };

export type RateLimiter = {
  readonly name: string;
  consume(db: Database, key: string, now?: Date): Promise<RateLimitResult>;
  reset(db: Database, key: string): Promise<void>;
};

export function createRateLimiter(opts: { name: string; points: number; durationSeconds: number }): RateLimiter {
  const { name, points, durationSeconds } = opts;
  const fullKey = (key: string) => `${name}:${key}`.slice(0, 300);
  return {
    name,
    async consume(db, key, now = new Date()) {
      const resetAt = new Date(now.getTime() + durationSeconds * 1000);
      // One statement: a new window starts when the old one has passed, else the count goes up.
      const row = await db
        .insertInto("rate_limits")
        .values({ key: fullKey(key), hits: 1, reset_at: resetAt })
        .onConflict((oc) =>
          oc.column("key").doUpdateSet({
            hits: sql`case when rate_limits.reset_at <= ${now} then 1 else rate_limits.hits + 1 end`,
            reset_at: sql`case when rate_limits.reset_at <= ${now} then excluded.reset_at else rate_limits.reset_at end`,
          }),
        )
        .returning(["hits", "reset_at"])
        .executeTakeFirstOrThrow();
      const allowed = row.hits <= points;
      return {
        allowed,
        remaining: Math.max(0, points - row.hits),
        retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((row.reset_at.getTime() - now.getTime()) / 1000)),
      };
    },
    async reset(db, key) {
      await db.deleteFrom("rate_limits").where("key", "=", fullKey(key)).execute();
    },
  };
}

/** The limits of the account features. */
export const limits = {
  /** Password-reset requests per e-mail address. */
  resetPerEmail: createRateLimiter({ name: "reset-email", points: 3, durationSeconds: 3600 }),
  /** Password-reset requests per client address. */
  resetPerIp: createRateLimiter({ name: "reset-ip", points: 10, durationSeconds: 3600 }),
  /** "Resend the verification mail" per account. */
  verifyResend: createRateLimiter({ name: "verify-resend", points: 3, durationSeconds: 3600 }),
  /** E-mail change requests per account. */
  emailChange: createRateLimiter({ name: "email-change", points: 5, durationSeconds: 3600 }),
  /** Second-factor attempts per account (codes and recovery codes). */
  secondFactor: createRateLimiter({ name: "2fa", points: 10, durationSeconds: 900 }),
};
