import { maskedValues } from "~/safety/guard.server";
import { data, type HeadersFunction } from "@remix-run/node";
import { CompiledQuery } from "kysely";
import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import type { Database } from "~db/index";
import { staffPowersSql } from "~/policy/visibility.server";
import { veteranThreshold } from "~/domain/reputation.server";
import { config } from "~/web/config.server";

/**
 * Every rate limit of Quorum, in one place. Counters live in PostgreSQL (table
 * `rate_limit_counters`, migration 0008) through rate-limiter-flexible's RateLimiterPostgres, so
 * every app process behind a load balancer shares them and they survive restarts.
 *
 * Each limit has a name, a default "points per seconds" window and an environment override:
 * `QUORUM_RATE_LIMIT_<NAME>` = `"points/seconds"` (e.g. `QUORUM_RATE_LIMIT_LOGIN_PER_ACCOUNT=10/900`)
 * or `"off"`. `QUORUM_RATE_LIMITS=off` turns every limit off (test harnesses only). The environment is
 * read on every use, so tests can tighten or loosen a limit without reloading modules.
 */
export const LIMITS = {
  /** Sign-ups per client IP (counted when an account is created). */
  signupPerIp: { points: 5, seconds: 3600, what: "signup" },
  /**
   * Failed logins per account from one client address (username or e-mail resolved to the account);
   * reset on success. Per pair: failures elsewhere never lock the owner out (app/models/login.server.ts).
   */
  loginPerAccount: { points: 10, seconds: 900, what: "login" },
  /** Failed logins per account from every address: past it, attempts slow down (never a lock). */
  loginAccountWide: { points: 20, seconds: 900, what: "login" },
  /** Failed logins per client IP, whatever the account. */
  loginPerIp: { points: 50, seconds: 900, what: "login" },
  /** New threads per user. */
  threadPerUser: { points: 5, seconds: 600, what: "thread" },
  /** New threads per user for accounts younger than a day whose reputation is below the veteran threshold. */
  threadPerNewUser: { points: 2, seconds: 600, what: "thread" },
  /** Answers per user. */
  answerPerUser: { points: 20, seconds: 600, what: "answer" },
  /** Answers per user for young, low-reputation accounts (as above). */
  answerPerNewUser: { points: 5, seconds: 600, what: "answer" },
  /** FAQ "was this helpful?" answers per visitor (cookie, or account). */
  faqFeedbackPerVisitor: { points: 10, seconds: 600, what: "feedback" },
  /** FAQ feedback per client address: cookie-less posts each look like a new visitor. */
  faqFeedbackPerIp: { points: 30, seconds: 3600, what: "feedback" },
  /** Counted thread views per visitor (each thread counts once an hour per visitor anyway). */
  viewPerVisitor: { points: 60, seconds: 3600, what: "view" },
  /** Counted thread views per client address (a visitor without a cookie is new on every hit). */
  viewPerIp: { points: 120, seconds: 3600, what: "view" },
  /** Reports per user (the moderation feature wires it). */
  reportPerUser: { points: 10, seconds: 3600, what: "report" },
  /** Password-reset requests per e-mail address (the form answers the same when limited). */
  resetPerEmail: { points: 3, seconds: 3600, what: "reset" },
  /** Password-reset requests per client IP (same). */
  resetPerIp: { points: 10, seconds: 3600, what: "reset" },
  /** "Resend the verification mail" per account. */
  verifyResend: { points: 3, seconds: 3600, what: "verify" },
  /** E-mail change requests per account. */
  emailChange: { points: 5, seconds: 3600, what: "email" },
  /** Second-factor attempts per account (sign-in codes, recovery codes, turning it off). */
  secondFactor: { points: 10, seconds: 900, what: "twoFactor" },
  /** Codes typed while enrolling in two-factor sign-in, per account (apart from the sign-in step's). */
  totpEnrolment: { points: 10, seconds: 900, what: "twoFactor" },
} as const satisfies Record<string, { points: number; seconds: number; what: string }>;

export type LimitName = keyof typeof LIMITS;
export type LimitSetting = { points: number; seconds: number } | null;

/** `loginPerAccount` → `QUORUM_RATE_LIMIT_LOGIN_PER_ACCOUNT`. */
export function limitEnvName(name: LimitName): string {
  return `QUORUM_RATE_LIMIT_${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}

/** The limit in force: its default, or the environment's override; null when it is off. */
export function limitSetting(name: LimitName): LimitSetting {
  const settings = config();
  if (!settings.QUORUM_RATE_LIMITS) return null;
  const override = settings.rateLimitOverrides[limitEnvName(name)];
  if (override !== undefined) return override;
  const { points, seconds } = LIMITS[name];
  return { points, seconds };
}

// ---- The store ----

/**
 * RateLimiterPostgres talks to its `storeClient` through one method, `query({ text, values })`,
 * reading `rows` and `rowCount`. We hand it the app's own Kysely instance behind that method instead
 * of a pg Pool: the app has no Pool object on PGlite (a single-connection adapter lives inside
 * Kysely's dialect), tests give every file its own database through getDb(), and this way the
 * limiter uses the same connections, on PostgreSQL and PGlite alike, and shows up in query counts.
 * (The library's named prepared statements are dropped: Kysely runs unnamed ones.)
 */
function kyselyStoreClient(db: Database) {
  return {
    async query(q: { text: string; values?: unknown[] }) {
      const result = await db.executeQuery(CompiledQuery.raw(q.text, q.values ?? []));
      return { rows: result.rows, rowCount: result.numAffectedRows !== undefined ? Number(result.numAffectedRows) : result.rows.length };
    },
  };
}

const TABLE = "rate_limit_counters";
const instances = new WeakMap<Database, Map<string, RateLimiterPostgres>>();

function limiterFor(db: Database, name: LimitName, setting: { points: number; seconds: number }): RateLimiterPostgres {
  let perDb = instances.get(db);
  if (!perDb) instances.set(db, (perDb = new Map()));
  const id = `${name}:${setting.points}/${setting.seconds}`;
  let limiter = perDb.get(id);
  if (!limiter) {
    limiter = new RateLimiterPostgres({
      storeClient: kyselyStoreClient(db),
      storeType: "pool", // "pool": query() on the client itself, nothing to acquire or release
      tableName: TABLE,
      tableCreated: true, // migration 0008 made it
      // One sweeper per database is enough: every limit shares the table.
      clearExpiredByTimeout: perDb.size === 0,
      keyPrefix: name,
      points: setting.points,
      duration: setting.seconds,
    });
    perDb.set(id, limiter);
  }
  return limiter;
}

/** Keys are user ids, addresses or lower-cased logins; bounded so a hostile login cannot bloat the table. */
function keyOf(key: string): string {
  return key.slice(0, 300);
}

// ---- Using a limit ----

/** What a limited request is told: which limit, and when to try again. */
export type Limited = { limit: LimitName; what: string; retryAfterSeconds: number; retryAt: string };

function limitedFrom(name: LimitName, msBeforeNext: number): Limited {
  const retryAfterSeconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return { limit: name, what: LIMITS[name].what, retryAfterSeconds, retryAt: new Date(Date.now() + retryAfterSeconds * 1000).toISOString() };
}

/** Spends `points` of `key`'s allowance; returns null when allowed, else when to try again. */
export async function consumeLimit(db: Database, name: LimitName, key: string, points = 1): Promise<Limited | null> {
  const setting = limitSetting(name);
  if (!setting) return null;
  try {
    await limiterFor(db, name, setting).consume(keyOf(key), points);
    return null;
  } catch (error) {
    if (error instanceof RateLimiterRes) return limitedFrom(name, error.msBeforeNext);
    throw error;
  }
}

/** Gives points back (a write that failed validation or lost a race must not cost the user). */
export async function refundLimit(db: Database, name: LimitName, key: string, points = 1): Promise<void> {
  const setting = limitSetting(name);
  if (setting) await limiterFor(db, name, setting).reward(keyOf(key), points);
}

/** Whether `key` has used up its allowance, without spending anything (checks before a login). */
export async function peekLimit(db: Database, name: LimitName, key: string): Promise<Limited | null> {
  const setting = limitSetting(name);
  if (!setting) return null;
  const res = await limiterFor(db, name, setting).get(keyOf(key));
  return res && res.consumedPoints >= setting.points ? limitedFrom(name, res.msBeforeNext) : null;
}

/** How many points `key` has spent in its current window (0 when none, or when the limit is off). */
export async function spentPoints(db: Database, name: LimitName, key: string): Promise<number> {
  const setting = limitSetting(name);
  if (!setting) return 0;
  const res = await limiterFor(db, name, setting).get(keyOf(key));
  return res ? res.consumedPoints : 0;
}

/** Forgets `key`'s counter (a successful login clears its failures). */
export async function resetLimit(db: Database, name: LimitName, key: string): Promise<void> {
  const setting = limitSetting(name);
  if (setting) await limiterFor(db, name, setting).delete(keyOf(key));
}

/**
 * The 429 every limited form action returns: the submitted values (so the form comes back with its
 * text), the limit and when to try again (shown by <RateLimitNotice>), and a Retry-After header.
 * Without JavaScript this is the page the browser shows, with status 429.
 */
export function limitedResponse<T extends object = {}>(limited: Limited, values: Record<string, string>, extra?: T) {
  return data(
    { errors: {}, values: maskedValues(values), rateLimit: limited, ...(extra ?? ({} as T)) },
    { status: 429, headers: { "Retry-After": String(limited.retryAfterSeconds) } },
  );
}

/**
 * For a document request (a form posted without JavaScript) Remix builds the page's headers from the
 * route's `headers` export, not from the action's data(): routes with limited forms export this
 * (`export const headers = retryAfterHeaders;`) so the 429 page carries Retry-After too.
 */
export const retryAfterHeaders: HeadersFunction = ({ actionHeaders, parentHeaders }) => {
  const headers = new Headers(parentHeaders); // what the route had without this export
  const retryAfter = actionHeaders.get("Retry-After");
  if (retryAfter) headers.set("Retry-After", retryAfter);
  return headers;
};

/** consumeLimit + limitedResponse: null when allowed, else the 429 to return from the action. */
export async function enforceLimit<T extends object = {}>(db: Database, name: LimitName, key: string, values: Record<string, string>, extra?: T) {
  const limited = await consumeLimit(db, name, key);
  return limited ? limitedResponse(limited, values, extra) : null;
}

/**
 * A write under a limit: one point is spent before `write` runs (so parallel requests cannot slip
 * past the limit) and given back if `write` throws (a taken name, a lost race: the user's mistake
 * or ours must not cost them). `name` null means no limit applies (staff).
 */
export async function underLimit<T>(
  db: Database,
  name: LimitName | null,
  key: string,
  write: () => Promise<T>,
): Promise<{ limited: Limited; result?: undefined } | { limited: null; result: T }> {
  const limited = name ? await consumeLimit(db, name, key) : null;
  // The store counted the refused attempt too: given back, so a burst (20 identical reports at once)
  // costs only what was written, not an hour's lock-out.
  if (limited) {
    await refundLimit(db, name!, key);
    return { limited };
  }
  try {
    return { limited: null, result: await write() };
  } catch (error) {
    if (name) await refundLimit(db, name, key);
    throw error;
  }
}

// ---- Which limit applies to whom ----

const DAY_MS = 24 * 3600 * 1000;

/**
 * The posting limit for a user: none for staff; the stricter one for accounts younger than a day
 * whose reputation is below the veteran threshold; the normal one otherwise.
 */
export async function postingLimit(db: Database, userId: number, kind: "thread" | "answer"): Promise<LimitName | null> {
  const user = await db
    .selectFrom("users as u")
    .select(["u.reputation", "u.created_at", staffPowersSql("u").as("staff")])
    .where("u.id", "=", userId)
    .executeTakeFirst();
  if (!user || user.staff) return null;
  const young = Date.now() - new Date(user.created_at).getTime() < DAY_MS && user.reputation < veteranThreshold();
  if (kind === "thread") return young ? "threadPerNewUser" : "threadPerUser";
  return young ? "answerPerNewUser" : "answerPerUser";
}

/** A new thread or answer by `userId` under the posting limit that applies to them (see underLimit). */
export async function postUnderLimit<T>(db: Database, userId: number, kind: "thread" | "answer", write: () => Promise<T>) {
  return underLimit(db, await postingLimit(db, userId, kind), String(userId), write);
}

/** The key of a client address (requests without one share a single bucket). */
export function ipKey(ip: string | null | undefined): string {
  return ip || "unknown";
}
