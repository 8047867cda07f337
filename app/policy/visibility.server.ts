/**
 * Who sees what (moderation, issue 8) — THE rule, in one place:
 *
 *   a thread is PUBLIC when it is neither hidden nor deleted;
 *   a post is PUBLIC when it is neither hidden nor deleted (and its thread is public).
 *
 * Lists (boards, profiles, home, FAQ candidates), search, counters (reply_count, board counts),
 * the search index, thread status and reputation all count public content only. Staff see
 * everything, marked. Nothing is erased by hiding or deleting, so restoring brings it back intact.
 * Queries alias threads "t" and posts "p" (or pass another alias).
 */
import { sql, type RawBuilder, type SelectQueryBuilder } from "kysely";

/** The hidden_reason the secret scanner writes: such text is shown to nobody and never shown again. */
export const SECRET_REASON = "system:secret";

/** Whoever looks: staff see hidden and deleted content (marked); everyone else does not. */
export type Viewer = { staff: boolean } | null | undefined;

export function publicThread(alias = "t"): RawBuilder<boolean> {
  return sql<boolean>`(${sql.ref(`${alias}.hidden_at`)} is null and ${sql.ref(`${alias}.deleted_at`)} is null)`;
}

export function publicPost(alias = "p"): RawBuilder<boolean> {
  return sql<boolean>`(${sql.ref(`${alias}.hidden_at`)} is null and ${sql.ref(`${alias}.deleted_at`)} is null)`;
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

/** The viewer of a request: staff see hidden and deleted content (marked). */
export function viewerOf(user: { role: string } | null | undefined): Viewer {
  return { staff: user?.role === "moderator" || user?.role === "admin" };
}
