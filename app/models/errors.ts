/** Domain errors: thrown by models, mapped to HTTP once at the route edge. */
import type { Limited } from "~/models/ratelimit.server";
import type { GuardRefusal } from "~/safety/guard.server";

/** What the policy answers when it refuses (app/policy/policy.ts `denyReason`). */
export type PolicyDenial =
  | "login"
  | "suspended"
  | "forbidden"
  | "emailUnverified"
  | "staffOnly"
  | "boardStaffOnly"
  | "notAsker"
  | "notYourPost"
  | "nothingAccepted"
  | "ownReport"
  | "self"
  | "targetAdmin"
  | "threadClosed"
  | "threadHidden"
  | "threadLocked";

/**
 * Every code a model may refuse with. A route maps it once: `domainFormError` (app/web/forms.server.ts)
 * puts it on the form as `<namespace>.<code>` with the status below; no route invents its own codes.
 */
export type DomainErrorCode =
  | PolicyDenial
  | "notFound"
  | "userNotFound"
  | "boardNotFound"
  | "unsafeText"
  | "tooManyRequests"
  | "stale"
  | "editConflict"
  | "badVote"
  | "ownPost"
  | "notAnAnswer"
  | "askerAccepted"
  | "noVerification"
  | "alreadyReported"
  | "reasonRequired"
  | "reasonTooLong"
  | "untilPast"
  | "notSuspended"
  | "secretHidden"
  | "sameBoard"
  | "duplicateSelf"
  | "duplicateTargetNotFound"
  | "duplicateTargetClosed"
  | "usernameTaken"
  | "emailTaken"
  | "emailSame"
  | "wrongPassword"
  | "totpAlreadyOn"
  | "totpNoPending"
  | "totpWrongCode"
  | "faq.missing"
  | "faq.threadMissing"
  | "faq.noSource"
  | "faq.noAnswer"
  | "faq.alreadyPromoted"
  | "faq.commentTooLong";

export type DomainErrorStatus = 400 | 403 | 404 | 409 | 422 | 429;

/** The HTTP status of a code when the model does not say otherwise. */
const DEFAULT_STATUS: Partial<Record<DomainErrorCode, DomainErrorStatus>> = {
  notFound: 404,
  userNotFound: 404,
  "faq.missing": 404,
  "faq.threadMissing": 404,
  login: 403,
  suspended: 403,
  forbidden: 403,
  staffOnly: 403,
  stale: 409,
  editConflict: 409,
  alreadyReported: 409,
  "faq.alreadyPromoted": 409,
  unsafeText: 422,
  tooManyRequests: 429,
};

export class DomainError extends Error {
  readonly status: DomainErrorStatus;
  constructor(
    readonly code: DomainErrorCode,
    status?: DomainErrorStatus,
    readonly field?: string,
  ) {
    super(code);
    this.status = status ?? DEFAULT_STATUS[code] ?? 400;
    this.name = "DomainError";
  }
}

/** PostgreSQL's unique_violation, with the constraint or index that was hit. */
export function uniqueViolation(error: unknown): string | null {
  const e = error as { code?: string; constraint?: string } | null;
  return e && e.code === "23505" ? (e.constraint ?? "") : null;
}

/** A rate limit refused a domain operation: the action answers 429 with when to try again (limitedResponse). */
export class RateLimitedError extends DomainError {
  constructor(readonly limited: Limited) {
    super("tooManyRequests", 429);
    this.name = "RateLimitedError";
  }
}

/**
 * The wallet-safety guard refused a text a model function was asked to store (app/safety/guard.server.ts,
 * `assertSafeText`). It carries only the masked text, and its message is the code, so logging or
 * rethrowing it leaks nothing; a route maps it to its form with `domainFormError` (422, masked values,
 * the safety panel).
 */
export class GuardRefusedError extends DomainError {
  constructor(readonly refusal: GuardRefusal) {
    super("unsafeText", 422, Object.keys(refusal.errors)[0]);
    this.name = "GuardRefusedError";
  }
}
