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
  /** Two-factor sign-in is on for the account. */
  twoFactor: boolean;
  /** The site requires two-factor sign-in for staff powers (QUORUM_STAFF_REQUIRE_2FA; toActor applies it). */
  staffRequire2fa: boolean;
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

/**
 * Staff powers — THE rule, defined once: a staff role, not suspended, and two-factor sign-in on while
 * the site requires it for staff. Without them a moderator is a regular user everywhere (actions,
 * buttons, pages, the badge); the SQL twin for lists is staffPowersSql (app/policy/visibility.server.ts).
 */
export function hasStaffPowers(actor: Actor, now: Date = new Date()): boolean {
  return !!actor && isStaffRole(actor.role) && !isSuspended(actor, now) && (actor.twoFactor || !actor.staffRequire2fa);
}

export function hasAdminPowers(actor: Actor, now: Date = new Date()): boolean {
  return hasStaffPowers(actor, now) && actor!.role === "admin";
}

/** A staff account that only lacks two-factor sign-in: it is sent to enrol (after login, on staff pages). */
export function needsStaffEnrolment(actor: Actor, now: Date = new Date()): boolean {
  return !!actor && isStaffRole(actor.role) && !isSuspended(actor, now) && actor.staffRequire2fa && !actor.twoFactor;
}

/** A suspension ends by itself: it is in force only while suspendedUntil is in the future. */
export function isSuspended(actor: Actor, now: Date = new Date()): boolean {
  return !!actor && suspensionActive(actor.suspendedUntil, now.getTime());
}

/** Why a request is refused, or null when allowed. The reason is a translation key. */
export function denyReason(actor: Actor, req: PolicyRequest, now: Date = new Date()): string | null {
  if (!actor) return "login";
  const staff = hasStaffPowers(actor, now);
  // Staff pages: only staff, and (below) not while suspended: a suspended moderator keeps no powers.
  if (req.action === "staff.access" && !isStaffRole(actor.role)) return "forbidden";
  if (req.action === "admin.access" && actor.role !== "admin") return "forbidden";
  if (isSuspended(actor, now)) return "suspended";
  // A staff account without two-factor sign-in (while required) is sent to enrol by the staff pages.
  if ((req.action === "staff.access" || req.action === "admin.access") && needsStaffEnrolment(actor, now)) return "enrolTwoFactor";
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

// ---- May see: beside the write rules (Discourse's can_see_post?, can_view_edit_history?) ----

/** The hidden_reason the secret scanner writes: such text is shown to nobody, staff included, ever again. */
export const SECRET_REASON = "system:secret";

type When = Date | string | null;
/** A thread or post as the reading rules see it: who wrote it and its moderation state. */
export type SeenSubject = { author_id: number; hidden_at: When; hidden_reason: string | null; deleted_at: When };

export function isSecretHidden(s: Pick<SeenSubject, "hidden_at" | "hidden_reason">): boolean {
  return !!s.hidden_at && s.hidden_reason === SECRET_REASON;
}

function isAuthor(actor: Actor, s: { author_id: number }): boolean {
  return !!actor && actor.id === s.author_id;
}

/** The thread page: deleted threads for staff only, hidden ones for their author and staff too. */
export function canSeeThread(actor: Actor, thread: SeenSubject): boolean {
  if (thread.deleted_at) return hasStaffPowers(actor);
  if (thread.hidden_at) return hasStaffPowers(actor) || isAuthor(actor, thread);
  return true;
}

/** A title that held a secret is shown to nobody — not its author, not staff, on no page. */
export function canSeeThreadTitle(actor: Actor, thread: SeenSubject): boolean {
  return !isSecretHidden(thread) && canSeeThread(actor, thread);
}

/** A post in its thread's list: deleted posts for staff only; hidden ones stay as a notice. */
export function canSeePost(actor: Actor, post: SeenSubject, thread: SeenSubject): boolean {
  return canSeeThread(actor, thread) && (!post.deleted_at || hasStaffPowers(actor));
}

/** A post's text: a hidden one for its author and staff, unless it held a secret (then nobody). */
export function canSeePostBody(actor: Actor, post: SeenSubject, thread: SeenSubject): boolean {
  if (!canSeePost(actor, post, thread)) return false;
  if (!post.hidden_at) return true;
  return !isSecretHidden(post) && (hasStaffPowers(actor) || isAuthor(actor, post));
}

/** The reason a moderator gave for hiding or deleting: for the author and staff. */
export function canSeeModerationReason(actor: Actor, subject: { author_id: number }): boolean {
  return hasStaffPowers(actor) || isAuthor(actor, subject);
}

/** A post's edit history: public for public content; of hidden or deleted content, staff only; never of a secret. */
export function canViewEditHistory(actor: Actor, post: SeenSubject, thread: SeenSubject): boolean {
  if (isSecretHidden(post)) return false;
  const removed = !!(post.hidden_at || post.deleted_at || thread.hidden_at || thread.deleted_at);
  return !removed || hasStaffPowers(actor);
}

/**
 * Redacting one past version (its text purged, the row kept): staff with powers, or the post's author
 * while not suspended — an author may always take back what they wrote, e.g. a phrase edited out.
 */
export function canRedactRevision(actor: Actor, post: { author_id: number }, now: Date = new Date()): boolean {
  if (!actor || isSuspended(actor, now)) return false;
  return hasStaffPowers(actor, now) || isAuthor(actor, post);
}

/** A report: its reporter ("My reports") and staff (the queue). */
export function canSeeReport(actor: Actor, report: { reporter_id: number }): boolean {
  return hasStaffPowers(actor) || (!!actor && actor.id === report.reporter_id);
}
