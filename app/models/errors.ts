/** Domain errors: thrown by models, mapped to HTTP once at the route edge. */
import type { Limited } from "~/models/ratelimit.server";
import type { GuardRefusal } from "~/safety/guard.server";

export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly status: 400 | 403 | 404 | 409 | 422 | 429 = 400,
    readonly field?: string,
  ) {
    super(code);
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
