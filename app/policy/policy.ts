import type { Role } from "~db/types";
import { suspensionActive } from "~/domain/reports";

/**
 * Who may do what — the one place that decides, used both for the buttons a page shows and for the
 * action that is allowed (actions answer 403 otherwise). Pure: no database, no request.
 */
export type Actor = {
  id: number;
  role: Role;
  suspendedUntil: Date | null;
  /**
   * False while the account's e-mail address is unverified and the site requires verification to
   * start threads (QUORUM_REQUIRE_VERIFIED_TO_ASK, on by default; toActor applies the setting).
   */
  emailVerified: boolean;
} | null;

export type BoardSubject = { staff_only: boolean };
/**
 * A thread as replies and edits see it. `closed` (closed as a duplicate) and `removed` (hidden or
 * deleted by moderation) refuse new answers to everyone, staff included: answers go to the target,
 * or wait for the thread to be restored.
 */
export type ThreadSubject = { author_id: number; locked: boolean; closed?: boolean; removed?: boolean };
export type PostSubject = { author_id: number };
/** A thread as acceptance sees it: the asker, and who accepted what. */
export type AcceptSubject = { author_id: number; accepted_post_id: number | null; accepted_by: number | null };
export type VerifyBoardSubject = { needs_verification: boolean };
/** The open reports on one post, as a moderator's decision sees them. */
export type ReportsSubject = { post_author_id: number; reporter_ids: number[] };
/** The account a moderator would suspend (or lift a suspension of). */
export type UserSubject = { id: number; role: Role };

export type PolicyRequest =
  | { action: "thread.create"; board: BoardSubject }
  | { action: "post.reply"; thread: ThreadSubject }
  | { action: "post.edit"; post: PostSubject; thread: ThreadSubject }
  | { action: "post.vote"; post: PostSubject }
  | { action: "answer.accept"; thread: AcceptSubject }
  | { action: "answer.withdraw"; thread: AcceptSubject }
  | { action: "answer.verify"; board: VerifyBoardSubject }
  /** Reporting a post (issue 8): verified accounts, never one's own post. */
  | { action: "report.create"; post: PostSubject }
  /** Deciding on a post's open reports from the queue: staff, not a reporter nor the post's author. */
  | { action: "report.resolve"; reports: ReportsSubject }
  /** Suspending or lifting a suspension: staff; moderators only regular users, admins moderators too; never oneself. */
  | { action: "user.suspend"; user: UserSubject }
  /** Moderation tools (issue 8): lock, pin, move, hide, delete, close as duplicate, and their undo. */
  | { action: "thread.moderate" }
  /** Moderation tools on one post: hide/unhide, delete/restore. */
  | { action: "post.moderate" }
  | { action: "staff.access" }
  /** Admin-only pages: the audit log, the official channels page. */
  | { action: "admin.access" };

export type PolicyAction = PolicyRequest["action"];

export function isStaffRole(role: Role | null | undefined): boolean {
  return role === "moderator" || role === "admin";
}

export function isStaff(actor: Actor): boolean {
  return !!actor && isStaffRole(actor.role);
}

/** A suspension ends by itself: it is in force only while suspendedUntil is in the future. */
export function isSuspended(actor: Actor, now: Date = new Date()): boolean {
  return !!actor && suspensionActive(actor.suspendedUntil, now.getTime());
}

/** Why a request is refused, or null when allowed. The reason is a translation key. */
export function denyReason(actor: Actor, req: PolicyRequest, now: Date = new Date()): string | null {
  if (!actor) return "login";
  const staff = isStaff(actor);
  // Staff pages: only staff, and (below) not while suspended: a suspended moderator keeps no powers.
  if (req.action === "staff.access" && !staff) return "forbidden";
  if (req.action === "admin.access" && actor.role !== "admin") return "forbidden";
  if (isSuspended(actor, now)) return "suspended";
  switch (req.action) {
    case "staff.access":
    case "admin.access":
      return null;
    case "thread.create":
      if (!actor.emailVerified && !staff) return "emailUnverified";
      return req.board.staff_only && !staff ? "boardStaffOnly" : null;
    case "post.reply":
      if (req.thread.removed) return "threadHidden";
      if (req.thread.closed) return "threadClosed";
      return req.thread.locked && !staff ? "threadLocked" : null;
    case "post.edit":
      if (req.post.author_id !== actor.id && !staff) return "notYourPost";
      return req.thread.locked && !staff ? "threadLocked" : null;
    case "post.vote":
      // Votes measure what others think of a post: never one's own.
      return req.post.author_id === actor.id ? "ownPost" : null;
    case "answer.accept":
      // The asker decides; staff may accept on behalf of an asker who has not, never over them.
      if (req.thread.author_id === actor.id) return null;
      if (!staff) return "notAsker";
      return req.thread.accepted_post_id !== null && req.thread.accepted_by === req.thread.author_id ? "askerAccepted" : null;
    case "answer.withdraw":
      if (req.thread.accepted_post_id === null) return "nothingAccepted";
      if (req.thread.author_id === actor.id) return null;
      if (!staff) return "notAsker";
      return req.thread.accepted_by === req.thread.author_id ? "askerAccepted" : null;
    case "answer.verify":
      if (!staff) return "staffOnly";
      return req.board.needs_verification ? null : "noVerification";
    case "report.create":
      if (!actor.emailVerified && !staff) return "emailUnverified";
      return req.post.author_id === actor.id ? "ownPost" : null;
    case "report.resolve":
      if (!staff) return "staffOnly";
      // Nobody decides on their own complaint, nor on complaints about their own post.
      if (req.reports.reporter_ids.includes(actor.id)) return "ownReport";
      return req.reports.post_author_id === actor.id ? "ownPost" : null;
    case "user.suspend":
      if (!staff) return "staffOnly";
      if (req.user.id === actor.id) return "self";
      if (req.user.role === "admin") return "targetAdmin";
      return req.user.role === "moderator" && actor.role !== "admin" ? "targetModerator" : null;
    case "thread.moderate":
    case "post.moderate":
      return staff ? null : "staffOnly";
  }
}

export function can(actor: Actor, req: PolicyRequest, now: Date = new Date()): boolean {
  return denyReason(actor, req, now) === null;
}
