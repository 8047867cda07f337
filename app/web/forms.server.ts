import { checkMarkdown } from "~/content/markdown.server";
import type { FieldError, FieldErrors } from "~/web/schemas";
import { DomainError, RateLimitedError } from "~/models/errors";
import { limitedResponse } from "~/models/ratelimit.server";
import { badRequest } from "~/web/http.server";
import { data } from "@remix-run/node";

/** The renderer's bounds, as a field error in the reader's language. */
export function markdownFieldError(body: string): FieldError | null {
  const problem = checkMarkdown(body);
  if (!problem) return null;
  return problem.code === "too_long"
    ? { key: "validation.markdownTooLong", params: { max: problem.max } }
    : { key: "validation.markdownTooDeep", params: { max: problem.max } };
}

/** A 400 with the field errors and the user's text, so the form comes back as it was sent. */
export function formError(errors: FieldErrors, values: Record<string, string>, status: 400 | 403 | 409 | 422 | 429 = 400) {
  return status === 400 ? badRequest({ errors, values }) : data({ errors, values }, { status });
}

/** Maps a domain error from a model to the form: its code is a key under `keys` (validation.* by default). */
export function domainFormError(error: unknown, values: Record<string, string>, keys = "validation") {
  if (!(error instanceof DomainError)) throw error;
  if (error instanceof RateLimitedError) return limitedResponse(error.limited, values);
  const field = error.field ?? "_form";
  const status = error.status === 404 ? 400 : error.status;
  return formError({ [field]: { key: `${keys}.${error.code}` } }, values, status as 400 | 403 | 409 | 422 | 429);
}
