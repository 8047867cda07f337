/**
 * Thread view counting (issue 4) without a database write per page view.
 *
 * The thread page embeds a 1×1 image `/t/<id>/view` (works without JavaScript and with the anonymous
 * page cache, which serves the HTML but never this 204 response). Each hit is deduplicated in memory
 * per visitor + thread + clock hour and added to an in-process batch (Map thread → count), flushed into
 * threads.view_count every QUORUM_VIEW_FLUSH_SECONDS (default 10) and at shutdown: one UPDATE per flush,
 * whatever the traffic. Several server processes each dedupe on their own (a visitor may be counted
 * once per process per hour: fine for a ranking signal). A crash loses at most one interval of views.
 */
import { sql } from "kysely";
import type { Database } from "~db/index";
import { config } from "~/web/config.server";
import { publicThread } from "~/policy/visibility.server";
import { consumeLimit, ipKey } from "./ratelimit.server";
import { log } from "~/web/log.server";

/** The visitor cookie (anonymous view dedup, FAQ feedback): a random id, no personal data. */
export const VISITOR_COOKIE = "quorum_vid";

/** The Set-Cookie value that gives a visitor their id for a year (Secure in production, like every cookie). */
export function visitorCookie(vid: string): string {
  return `${VISITOR_COOKIE}=${vid}; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax${config().secureCookies ? "; Secure" : ""}`;
}

export function visitorIdFrom(request: Request): string | null {
  const m = /(?:^|;\s*)quorum_vid=([A-Za-z0-9_-]{16,64})/.exec(request.headers.get("Cookie") ?? "");
  return m ? m[1] : null;
}

const seen = new Map<string, number>(); // visitor|thread|hour → hour
const pending = new Map<number, number>();
let timer: ReturnType<typeof setInterval> | null = null;
let currentHour = -1;

function hourOf(now: number): number {
  return Math.floor(now / 3_600_000);
}

/** Records one view; returns whether it counted (false = the same visitor within this hour). */
export function recordView(threadId: number, visitorKey: string, now = Date.now()): boolean {
  const hour = hourOf(now);
  if (hour !== currentHour) {
    // A new hour: older dedup keys can no longer match.
    for (const [k, h] of seen) if (h < hour) seen.delete(k);
    currentHour = hour;
  }
  const key = `${visitorKey}|${threadId}|${hour}`;
  if (seen.has(key)) return false;
  if (seen.size > 200_000) return false; // bounded memory under a flood: drop rather than grow
  seen.set(key, hour);
  pending.set(threadId, (pending.get(threadId) ?? 0) + 1);
  return true;
}

/**
 * The beacon's one entry point: a view counts when the thread exists and is public (hidden, deleted
 * and nonexistent threads count nothing, whoever looks), when this visitor has not been counted on it
 * this hour, and within the view limits per visitor and per client address. The database is asked
 * only for a view that would count.
 */
export async function countView(db: Database, input: { threadId: number; visitorKey: string; ip: string | null }, now = Date.now()): Promise<boolean> {
  if (seen.has(`${input.visitorKey}|${input.threadId}|${hourOf(now)}`)) return false;
  const thread = await db.selectFrom("threads as t").select("t.id").where("t.id", "=", input.threadId).where(publicThread("t")).executeTakeFirst();
  if (!thread) return false;
  // The address first: a flood with a new cookie on every hit stops there.
  if (await consumeLimit(db, "viewPerIp", ipKey(input.ip))) return false;
  if (await consumeLimit(db, "viewPerVisitor", input.visitorKey)) return false;
  return recordView(input.threadId, input.visitorKey, now);
}

export function pendingViews(): Map<number, number> {
  return new Map(pending);
}

/** Writes the batch in one statement. */
export async function flushViews(db: Database): Promise<number> {
  if (pending.size === 0) return 0;
  const ids = [...pending.keys()];
  const counts = ids.map((id) => pending.get(id)!);
  pending.clear();
  try {
    await sql`
    update threads as t set view_count = t.view_count + v.n
    from unnest(${ids}::bigint[], ${counts}::int[]) as v(id, n)
    where t.id = v.id`.execute(db);
  } catch (error) {
    // The database is away: the batch waits for the next flush instead of being lost.
    ids.forEach((id, i) => pending.set(id, (pending.get(id) ?? 0) + counts[i]));
    throw error;
  }
  return ids.length;
}

export function startViewFlusher(getDb: () => Promise<Database>): void {
  if (timer) return;
  const seconds = config().QUORUM_VIEW_FLUSH_SECONDS;
  timer = setInterval(() => {
    getDb()
      .then((db) => flushViews(db))
      .catch((e) => log.error("quorum: view flush failed", e));
  }, seconds * 1000);
  timer.unref?.();
}

export async function stopViewFlusher(db: Database | null): Promise<void> {
  if (timer) clearInterval(timer);
  timer = null;
  if (db) await flushViews(db);
}

/** Tests only. */
export function resetViews(): void {
  seen.clear();
  pending.clear();
  currentHour = -1;
}
