/**
 * Who sees what, in SQL and in the read models — the policy's "may see" rules (app/policy/policy.ts)
 * applied to rows, in one place:
 *
 *   a thread is PUBLIC when it is neither hidden nor deleted;
 *   a post is PUBLIC when it is neither hidden nor deleted (and its thread is public).
 *
 * Lists (boards, profiles, home, FAQ candidates), search, counters (reply_count, board counts),
 * the search index, thread status and reputation all count public content only. Staff (with staff
 * powers) see everything, marked — except text that held a secret, which nobody sees: shownTitle()
 * masks such titles in every query, fitThread()/fitPost() redact bodies and reasons for the viewer.
 * Nothing is erased by hiding or deleting, so restoring brings it back intact.
 * Queries alias threads "t" and posts "p" (or pass another alias).
 */
import { sql, type RawBuilder, type SelectQueryBuilder } from "kysely";
import { config } from "~/web/config.server";
import {
  SECRET_REASON,
  canSeeModerationReason,
  canSeePost,
  canSeePostBody,
  canSeeThread,
  canSeeThreadTitle,
  hasStaffPowers,
  isSecretHidden,
  type Actor,
  type SeenSubject,
} from "./policy";

export { SECRET_REASON };

/** Whoever looks: staff (with staff powers) see hidden and deleted content, marked; nobody else does. */
export type Viewer = { staff: boolean } | null | undefined;

/** The viewer of a request, for list queries. */
export function viewerOf(actor: Actor): Viewer {
  return { staff: hasStaffPowers(actor) };
}

export function publicThread(alias = "t"): RawBuilder<boolean> {
  return sql<boolean>`(${sql.ref(`${alias}.hidden_at`)} is null and ${sql.ref(`${alias}.deleted_at`)} is null)`;
}

export function publicPost(alias = "p"): RawBuilder<boolean> {
  return sql<boolean>`(${sql.ref(`${alias}.hidden_at`)} is null and ${sql.ref(`${alias}.deleted_at`)} is null)`;
}

/** A thread's title as anyone may see it: null when it held a secret (shown to nobody, staff included). */
export function shownTitle(alias = "t"): RawBuilder<string | null> {
  return sql<string | null>`(case when ${sql.ref(`${alias}.hidden_reason`)} = ${SECRET_REASON} then null else ${sql.ref(`${alias}.title`)} end)`;
}

/**
 * The SQL twin of hasStaffPowers for a users row (alias "u"): staff role, not suspended, two-factor
 * sign-in on while the site requires it. The staff badge on posts and profiles is this, nothing else.
 */
export function staffPowersSql(alias = "u"): RawBuilder<boolean> {
  const u = (c: string) => sql.ref(`${alias}.${c}`);
  const twoFactor = config().QUORUM_STAFF_REQUIRE_2FA ? sql`${u("totp_enabled_at")} is not null` : sql`true`;
  return sql<boolean>`(${u("role")} in ('moderator', 'admin') and (${u("suspended_until")} is null or ${u("suspended_until")} <= now()) and ${twoFactor})`;
}

/** The role a post or profile shows: the account's role while it has staff powers, else "user" (no badge). */
export function badgeRole(alias = "u"): RawBuilder<"user" | "moderator" | "admin"> {
  return sql<"user" | "moderator" | "admin">`(case when ${staffPowersSql(alias)} then ${sql.ref(`${alias}.role`)} else 'user' end)`;
}

/** Threads (alias "t") the viewer may see listed: public ones, or every one for staff. */
export function visibleThreads<DB, TB extends keyof DB, O>(qb: SelectQueryBuilder<DB, TB, O>, viewer?: Viewer, alias = "t"): SelectQueryBuilder<DB, TB, O> {
  return viewer?.staff ? qb : qb.where(publicThread(alias));
}

/** Posts (alias "p") the viewer may see listed: public ones, or every one for staff. */
export function visiblePosts<DB, TB extends keyof DB, O>(qb: SelectQueryBuilder<DB, TB, O>, viewer?: Viewer, alias = "p"): SelectQueryBuilder<DB, TB, O> {
  return viewer?.staff ? qb : qb.where(publicPost(alias));
}

export function isPublic(row: { hidden_at: Date | string | null; deleted_at: Date | string | null }): boolean {
  return row.hidden_at === null && row.deleted_at === null;
}

/** The columns the may-see rules read, for a post "p" in its thread "t" (see seenSubjects). */
export const SEEN_POST_COLUMNS = [
  "p.author_id",
  "p.hidden_at",
  "p.hidden_reason",
  "p.deleted_at",
  "t.author_id as thread_author_id",
  "t.hidden_at as thread_hidden_at",
  "t.hidden_reason as thread_hidden_reason",
  "t.deleted_at as thread_deleted_at",
] as const;

type SeenRow = {
  author_id: number;
  hidden_at: Date | null;
  hidden_reason: string | null;
  deleted_at: Date | null;
  thread_author_id: number;
  thread_hidden_at: Date | null;
  thread_hidden_reason: string | null;
  thread_deleted_at: Date | null;
};

/** A row read with SEEN_POST_COLUMNS as the post and thread the may-see rules take. */
export function seenSubjects(row: SeenRow): { post: SeenSubject; thread: SeenSubject } {
  return {
    post: { author_id: row.author_id, hidden_at: row.hidden_at, hidden_reason: row.hidden_reason, deleted_at: row.deleted_at },
    thread: { author_id: row.thread_author_id, hidden_at: row.thread_hidden_at, hidden_reason: row.thread_hidden_reason, deleted_at: row.thread_deleted_at },
  };
}

type ThreadRow = SeenSubject & { title: string | null; deleted_reason?: string | null };
type PostRow = SeenSubject & { body_html?: string; deleted_reason?: string | null };

/** How the viewer meets a thread or post's moderation state: flags and the reasons they may read. */
export type Fitted = {
  hidden: boolean;
  /** Hidden because it held a secret: shown to nobody, and never unhidden by a moderator. */
  secret: boolean;
  deleted: boolean;
  /** The moderator's reason (or the reports' marker), for the author and staff; else null. */
  hidden_reason: string | null;
  deleted_reason: string | null;
  /** The viewer wrote it or has staff powers: they get the moderation notices meant for them. */
  privileged: boolean;
};

function fitted(actor: Actor, row: SeenSubject & { deleted_reason?: string | null }): Fitted {
  const reasons = canSeeModerationReason(actor, row);
  const staff = hasStaffPowers(actor);
  return {
    hidden: !!row.hidden_at,
    secret: isSecretHidden(row),
    deleted: !!row.deleted_at,
    hidden_reason: row.hidden_at && reasons ? row.hidden_reason : null,
    deleted_reason: row.deleted_at && staff ? (row.deleted_reason ?? null) : null,
    privileged: reasons,
  };
}

/** The row with its reason columns replaced by what the viewer may read of them. */
export type FittedThread<T> = Omit<T, keyof Fitted | "title"> & Fitted & { title: string | null };
export type FittedPost<P> = Omit<P, keyof Fitted> & Fitted;

/** A thread fitted to the viewer, or null when they may not see it: title masked, reasons for who may read them. */
export function fitThread<T extends ThreadRow>(actor: Actor, thread: T): FittedThread<T> | null {
  if (!canSeeThread(actor, thread)) return null;
  return { ...thread, ...fitted(actor, thread), title: canSeeThreadTitle(actor, thread) ? thread.title : null } as FittedThread<T>;
}

/**
 * A post fitted to the viewer in its thread, or null when they may not see it: the body is emptied
 * where the viewer may not read it (hidden from them, or holding a secret), reasons likewise.
 */
export function fitPost<P extends PostRow>(actor: Actor, post: P, thread: SeenSubject): FittedPost<P> | null {
  if (!canSeePost(actor, post, thread)) return null;
  const body = post.body_html === undefined ? {} : { body_html: canSeePostBody(actor, post, thread) ? post.body_html : "" };
  return { ...post, ...fitted(actor, post), ...body } as FittedPost<P>;
}
