/**
 * Reports (the complaint channel) and suspensions (issue 8).
 *
 * - createReport: one OPEN report per reporter and post (partial unique index reports_one_open), and in
 *   the same transaction the auto-hide: a post reported by QUORUM_REPORT_HIDE_THRESHOLD distinct
 *   established users — or by one "exposed_secret" report — is hidden at once pending review.
 * - resolveReports: the moderator's decision from the queue; resolves EVERY open report on the post with
 *   the outcome, does what was chosen, and writes the audit log, all in one transaction. A form made
 *   from a queue that another moderator has already handled is refused (409 "stale").
 * - suspendUser / liftSuspension: users.suspended_until + suspended_reason; a suspension ends by
 *   itself when the time has passed (policy.isSuspended compares times), no job needed.
 *
 * Every write locks the post (or the user) row first: reports, decisions and suspensions on one post
 * are applied one at a time, so parallel requests can neither double-hide nor resolve twice.
 */
import { sql } from "kysely";
import { inTransaction, type Database } from "~db/index";
import { assertSafeText } from "~/safety/guard.server";
import type { ReportOutcome, ReportReason, Role } from "~db/types";
import { canSeeModerationReason, denyReason, type Actor } from "~/policy/policy";
import { badgeRole, fitPost, fitThread, SEEN_POST_COLUMNS, seenSubjects, shownTitle, staffPowersSql } from "~/policy/visibility.server";
import { REPORTS_HIDE_REASON } from "~/domain/reports";
import { audit } from "./audit.server";
import { DomainError, type PolicyDenial } from "./errors";
import { hidePost, lockPost, setThreadLocked, softDeletePost, unhidePost } from "./moderation.server";
import { config } from "~/web/config.server";

// ───────────────────────── configuration ─────────────────────────

export type ReportConfig = {
  /** Distinct established reporters that hide a post at once (QUORUM_REPORT_HIDE_THRESHOLD, default 3). */
  hideThreshold: number;
  /** "Established": reputation at least this (QUORUM_REPORT_MIN_REPUTATION, default 10)… */
  minReputation: number;
  /** …and an account at least this many hours old (QUORUM_REPORT_MIN_AGE_HOURS, default 24). */
  minAgeHours: number;
};

export function reportConfig(): ReportConfig {
  return {
    hideThreshold: config().QUORUM_REPORT_HIDE_THRESHOLD,
    minReputation: config().QUORUM_REPORT_MIN_REPUTATION,
    minAgeHours: config().QUORUM_REPORT_MIN_AGE_HOURS,
  };
}

// ───────────────────────── the reported post, locked ─────────────────────────

/**
 * The reported post and its thread, locked by the moderation tools' own `lockPost` (thread row, then
 * post row: one lock order, so a report, a queue decision and a tool on the same thread never
 * deadlock; a missing post is notFound). The question (post 1) stands for its thread: its
 * visibility is the thread's.
 */
async function lockReportedPost(trx: Database, postId: number) {
  const { thread, post } = await lockPost(trx, postId);
  const standsFor = post.post_number === 1 ? thread : post;
  return { post, thread, hiddenReason: standsFor.hidden_at ? standsFor.hidden_reason : null, deleted: !!(post.deleted_at || thread.deleted_at) };
}

// ───────────────────────── reporting ─────────────────────────

/**
 * The post a report form is about, fitted to the viewer, or null: deleted content is gone (nothing
 * left to report), hidden content is for its author and staff, a title that held a secret is masked.
 */
export async function reportablePost(db: Database, postId: number, viewer: Actor) {
  const p = await db
    .selectFrom("posts as p")
    .innerJoin("threads as t", "t.id", "p.thread_id")
    .select(["p.id", "p.post_number", "t.id as thread_id", "t.slug", "t.title", ...SEEN_POST_COLUMNS])
    .where("p.id", "=", postId)
    .executeTakeFirst();
  if (!p || p.deleted_at || p.thread_deleted_at) return null;
  const thread = fitThread(viewer, { ...seenSubjects(p).thread, title: p.title });
  if (!thread || (p.hidden_at && !canSeeModerationReason(viewer, p))) return null;
  return { id: p.id, author_id: p.author_id, post_number: p.post_number, thread_id: p.thread_id, slug: p.slug, title: thread.title };
}

export type NewReport = { reporterId: number; postId: number; reason: ReportReason; note: string | null; confirmedNotSecret?: boolean };
export type ReportResult = { reportId: number; autoHidden: boolean };

export async function createReport(db: Database, input: NewReport, config: ReportConfig = reportConfig()): Promise<ReportResult> {
  // The note is shown to moderators: guarded like every stored text (a warned one needs the confirmation).
  if (input.note) assertSafeText({ note: input.note }, { override: input.confirmedNotSecret });
  return inTransaction(db, async (trx) => {
    const locked = await lockReportedPost(trx, input.postId);
    if (locked.deleted) throw new DomainError("notFound", 404);
    const { post } = locked;
    // The policy refused this already; the model keeps the rule whoever calls it.
    if (post.author_id === input.reporterId) throw new DomainError("ownPost", 403);
    // ON CONFLICT on the partial unique index: a double submit or a parallel burst leaves one open report.
    const inserted = await trx
      .insertInto("reports")
      .values({ reporter_id: input.reporterId, post_id: input.postId, reason: input.reason, note: input.note })
      .onConflict((oc) => oc.columns(["reporter_id", "post_id"]).where("status", "=", "open").doNothing())
      .returning("id")
      .executeTakeFirst();
    if (!inserted) throw new DomainError("alreadyReported", 409);

    let autoHidden = false;
    if (locked.hiddenReason === null) {
      let why: { trigger: "exposed_secret" } | { trigger: "threshold"; reporters: number } | null = null;
      if (input.reason === "exposed_secret") {
        // A recovery phrase or key must vanish within seconds, not after a queue: one report is enough.
        why = { trigger: "exposed_secret" };
      } else {
        const reporters = await establishedReporters(trx, input.postId, config);
        if (reporters >= config.hideThreshold) why = { trigger: "threshold", reporters };
      }
      if (why) {
        // The moderation tools' hide (counters, search index, reputation; the question hides its
        // thread), in this transaction, by the system (no actor).
        await hidePost(trx, { postId: post.id, actorId: null, reason: REPORTS_HIDE_REASON });
        await audit(trx, { actorId: null, action: "post.auto_hide", targetType: "post", targetId: post.id, details: { ...why, report: inserted.id } });
        autoHidden = true;
      }
    }
    return { reportId: inserted.id, autoHidden };
  });
}

/**
 * Distinct reporters with an open report on the post whose account is established: old enough and
 * with enough reputation (staff always count). New accounts cannot gang up to hide a post.
 */
async function establishedReporters(db: Database, postId: number, config: ReportConfig): Promise<number> {
  const since = new Date(Date.now() - config.minAgeHours * 3_600_000);
  const row = await db
    .selectFrom("reports as r")
    .innerJoin("users as u", "u.id", "r.reporter_id")
    .select(sql<number>`count(distinct r.reporter_id)::int`.as("n"))
    .where("r.post_id", "=", postId)
    .where("r.status", "=", "open")
    .where((eb) =>
      eb.or([staffPowersSql("u"), eb.and([eb("u.created_at", "<=", since), eb("u.reputation", ">=", config.minReputation)])]),
    )
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export const MY_REPORTS_PAGE = 30;

/** "My reports": the reporter's reports, newest first, with their status and outcome. */
export async function listMyReports(db: Database, reporterId: number, page = 1) {
  const rows = await db
    .selectFrom("reports as r")
    .innerJoin("posts as p", "p.id", "r.post_id")
    .innerJoin("threads as t", "t.id", "p.thread_id")
    .select([
      "r.id",
      "r.reason",
      "r.note",
      "r.status",
      "r.outcome",
      "r.created_at",
      "r.resolved_at",
      "p.id as post_id",
      "p.post_number",
      "t.id as thread_id",
      "t.slug",
      // A title hidden for holding a secret is never shown again.
      shownTitle("t").as("title"),
    ])
    .where("r.reporter_id", "=", reporterId)
    .orderBy("r.created_at", "desc")
    .orderBy("r.id", "desc")
    .limit(MY_REPORTS_PAGE + 1)
    .offset((Math.max(1, page) - 1) * MY_REPORTS_PAGE)
    .execute();
  return { rows: rows.slice(0, MY_REPORTS_PAGE), hasMore: rows.length > MY_REPORTS_PAGE };
}

/** Posts with at least one open report: the number beside the staff's "Reports" link. */
export async function openReportCount(db: Database): Promise<number> {
  const row = await db
    .selectFrom("reports")
    .select(sql<number>`count(distinct post_id)::int`.as("n"))
    .where("status", "=", "open")
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

// ───────────────────────── the queue ─────────────────────────

export const QUEUE_PAGE = 20;

/**
 * Open reports grouped by post, the post whose oldest open report is oldest first. Three queries: the
 * page of posts, every open report of those posts with its reporter, and each post once with its
 * thread and author (a post reported fifty times is still read once).
 */
export async function listQueue(db: Database, page = 1, viewer: Actor = null) {
  const groups = await db
    .selectFrom("reports")
    .select(["post_id", sql<Date>`min(created_at)`.as("first_at")])
    .where("status", "=", "open")
    .groupBy("post_id")
    .orderBy(sql`min(created_at)`)
    .orderBy("post_id")
    .limit(QUEUE_PAGE + 1)
    .offset((Math.max(1, page) - 1) * QUEUE_PAGE)
    .execute();
  const pageGroups = groups.slice(0, QUEUE_PAGE);
  const ids = pageGroups.map((g) => g.post_id);
  if (ids.length === 0) return { items: [], hasMore: false };
  const [reportRows, postRows] = await Promise.all([
    db
      .selectFrom("reports as r")
      .innerJoin("users as ru", "ru.id", "r.reporter_id")
      .select(["r.id", "r.post_id", "r.reason", "r.note", "r.created_at", "r.reporter_id", "ru.username as reporter"])
      .where("r.post_id", "in", ids)
      .where("r.status", "=", "open")
      .orderBy("r.created_at")
      .orderBy("r.id")
      .execute(),
    db
      .selectFrom("posts as p")
      .innerJoin("threads as t", "t.id", "p.thread_id")
      .innerJoin("users as au", "au.id", "p.author_id")
      .select([
        "p.id",
        "p.post_number",
        "p.body_html",
        ...SEEN_POST_COLUMNS,
        "p.created_at",
        "au.username as author",
        "au.role as author_role",
        badgeRole("au").as("author_badge"),
        "au.suspended_until as author_suspended_until",
        "t.id as thread_id",
        "t.slug",
        "t.title",
        "t.locked",
      ])
      .where("p.id", "in", ids)
      .execute(),
  ]);
  const posts = new Map(postRows.map((p) => [p.id, p]));
  const items = [];
  for (const g of pageGroups) {
    const p = posts.get(g.post_id);
    const reports = reportRows.filter((r) => r.post_id === g.post_id);
    // Decided since the page of posts was read: nothing open is left to show.
    if (!p || reports.length === 0) continue;
    const subjects = seenSubjects(p);
    const thread = fitThread(viewer, { ...subjects.thread, title: p.title });
    const seen = thread ? fitPost(viewer, { ...subjects.post, body_html: p.body_html }, subjects.thread) : null;
    if (!thread || !seen) continue;
    const standsFor = p.post_number === 1 ? thread : seen;
    const reasons: Partial<Record<ReportReason, number>> = {};
    for (const r of reports) reasons[r.reason] = (reasons[r.reason] ?? 0) + 1;
    items.push({
      postId: g.post_id,
      count: reports.length,
      firstAt: g.first_at,
      reasons,
      reportIds: reports.map((r) => r.id),
      reporterIds: [...new Set(reports.map((r) => r.reporter_id))],
      reports: reports.map((r) => ({ id: r.id, reason: r.reason, note: r.note, reporter: r.reporter, reporterId: r.reporter_id, createdAt: r.created_at })),
      post: {
        postNumber: p.post_number,
        // Fitted to the viewer in one place: a secret-bearing text or title is shown to nobody.
        bodyHtml: standsFor.secret ? "" : seen.body_html,
        title: thread.title,
        // The question stands for its thread (hiding or deleting it hides or deletes the thread).
        hiddenAt: p.post_number === 1 ? p.thread_hidden_at : p.hidden_at,
        hiddenReason: standsFor.hidden_reason,
        hiddenPending: standsFor.hidden && standsFor.hidden_reason === REPORTS_HIDE_REASON,
        secret: standsFor.secret,
        deleted: !!(p.deleted_at || p.thread_deleted_at),
        createdAt: p.created_at,
        authorId: p.author_id,
        author: p.author,
        authorRole: p.author_role,
        authorBadge: p.author_badge,
        authorSuspendedUntil: p.author_suspended_until,
        threadId: p.thread_id,
        slug: p.slug,
        locked: p.locked,
      },
    });
  }
  return { items, hasMore: groups.length > QUEUE_PAGE };
}

// ───────────────────────── decisions ─────────────────────────

export type Decision =
  | { kind: "dismiss" }
  | { kind: "hide"; reason: string }
  | { kind: "delete"; reason: string }
  | { kind: "lock" }
  | { kind: "suspend"; until: Date; reason: string };

const OUTCOME: Record<Decision["kind"], ReportOutcome> = {
  dismiss: "dismissed",
  hide: "hidden",
  delete: "deleted",
  lock: "locked",
  suspend: "suspended",
};

export type ResolveInput = {
  actor: NonNullable<Actor>;
  postId: number;
  /** The open reports the moderator saw; if any has been resolved since, the form is stale. */
  seenReportIds: number[];
  decision: Decision;
};

export async function resolveReports(db: Database, input: ResolveInput): Promise<{ outcome: ReportOutcome; resolved: number }> {
  const { actor, decision } = input;
  if ("reason" in decision && decision.reason) assertSafeText({ reason: decision.reason });
  return inTransaction(db, async (trx) => {
    const locked = await lockReportedPost(trx, input.postId);
    const { post } = locked;
    const open = await trx.selectFrom("reports").select(["id", "reporter_id"]).where("post_id", "=", post.id).where("status", "=", "open").execute();
    const openIds = new Set(open.map((r) => r.id));
    if (open.length === 0 || input.seenReportIds.length === 0 || input.seenReportIds.some((id) => !openIds.has(id))) {
      throw new DomainError("stale", 409);
    }
    const denied = denyReason(actor, { action: "report.resolve", reports: { post_author_id: post.author_id, reporter_ids: open.map((r) => r.reporter_id) } });
    if (denied) throw new DomainError(denied as PolicyDenial, 403);

    // The moderation tools do the work (and write their own audit rows) in this transaction.
    const by = { postId: post.id, actorId: actor.id };
    const details: Record<string, unknown> = { reports: open.map((r) => r.id) };
    switch (decision.kind) {
      case "dismiss":
        // The reports were unfounded: a post (or thread) that they hid pending review comes back.
        details.restored = locked.hiddenReason === REPORTS_HIDE_REASON;
        if (details.restored) await unhidePost(trx, { ...by, reason: "reports dismissed" });
        break;
      case "hide":
        // Replaces a "pending review" hide by the moderator's reason, which the author is shown.
        await hidePost(trx, { ...by, reason: decision.reason });
        details.reason = decision.reason;
        break;
      case "delete":
        await softDeletePost(trx, { ...by, reason: decision.reason });
        details.reason = decision.reason;
        break;
      case "lock":
        await setThreadLocked(trx, { threadId: post.thread_id, actorId: actor.id, locked: true });
        details.thread = post.thread_id;
        break;
      case "suspend":
        await suspendInTransaction(trx, { actor, userId: post.author_id, until: decision.until, reason: decision.reason });
        details.user = post.author_id;
        details.until = decision.until.toISOString();
        details.reason = decision.reason;
        break;
    }
    const outcome = OUTCOME[decision.kind];
    const res = await trx
      .updateTable("reports")
      .set({ status: outcome === "dismissed" ? "dismissed" : "actioned", outcome, resolved_by: actor.id, resolved_at: new Date() })
      .where("post_id", "=", post.id)
      .where("status", "=", "open")
      .executeTakeFirst();
    await audit(trx, { actorId: actor.id, action: `report.${outcome === "dismissed" ? "dismiss" : "resolve"}`, targetType: "post", targetId: post.id, details: { outcome, ...details } });
    return { outcome, resolved: Number(res.numUpdatedRows) };
  });
}

// ───────────────────────── suspensions ─────────────────────────

export type SuspendInput = { actor: NonNullable<Actor>; userId: number; until: Date; reason: string };

export async function suspendUser(db: Database, input: SuspendInput): Promise<void> {
  await inTransaction(db, (trx) => suspendInTransaction(trx, input));
}

async function lockTarget(trx: Database, actor: NonNullable<Actor>, userId: number) {
  const target = await trx.selectFrom("users").select(["id", "role", "suspended_until"]).where("id", "=", userId).forUpdate().executeTakeFirst();
  if (!target) throw new DomainError("notFound", 404);
  const denied = denyReason(actor, { action: "user.suspend", user: { id: target.id, role: target.role as Role } });
  if (denied) throw new DomainError(denied as PolicyDenial, 403);
  return target;
}

async function suspendInTransaction(trx: Database, input: SuspendInput): Promise<void> {
  // Shown on the profile and to the suspended member, and kept in the audit log.
  assertSafeText({ reason: input.reason });
  await lockTarget(trx, input.actor, input.userId);
  if (input.until.getTime() <= Date.now()) throw new DomainError("untilPast", 400, "until");
  await trx.updateTable("users").set({ suspended_until: input.until, suspended_reason: input.reason }).where("id", "=", input.userId).execute();
  await audit(trx, {
    actorId: input.actor.id,
    action: "user.suspend",
    targetType: "user",
    targetId: input.userId,
    details: { until: input.until.toISOString(), reason: input.reason },
  });
}

/** Ends a suspension early. A suspension that has already ended (or none) is a stale form: 409. */
export async function liftSuspension(db: Database, input: { actor: NonNullable<Actor>; userId: number }): Promise<void> {
  await inTransaction(db, async (trx) => {
    const target = await lockTarget(trx, input.actor, input.userId);
    if (!target.suspended_until || target.suspended_until.getTime() <= Date.now()) throw new DomainError("notSuspended", 409);
    await trx.updateTable("users").set({ suspended_until: null, suspended_reason: null }).where("id", "=", input.userId).execute();
    await audit(trx, { actorId: input.actor.id, action: "user.unsuspend", targetType: "user", targetId: input.userId, details: { was: target.suspended_until.toISOString() } });
  });
}

/** What a profile page shows staff about an account's suspension. */
export async function getSuspension(db: Database, userId: number) {
  return db.selectFrom("users").select(["suspended_until", "suspended_reason"]).where("id", "=", userId).executeTakeFirst();
}
