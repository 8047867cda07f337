import { checkMarkdown } from "~/content/markdown.server";
import type { z } from "zod";
import { parseForm, type FieldError, type FieldErrors } from "~/web/schemas";
import { DomainError, RateLimitedError } from "~/models/errors";
import { limitedResponse } from "~/models/ratelimit.server";
import { badRequest } from "~/web/http.server";
import { data } from "@remix-run/node";
import { CONFIRM_FIELD, GuardRefusedError, confirmed, guardFormError, guardUserText, maskedValues } from "~/safety/guard.server";

/** The renderer's bounds, as a field error in the reader's language. */
export function markdownFieldError(body: string): FieldError | null {
  const problem = checkMarkdown(body);
  if (!problem) return null;
  return problem.code === "too_long"
    ? { key: "validation.markdownTooLong", params: { max: problem.max } }
    : { key: "validation.markdownTooDeep", params: { max: problem.max } };
}

/**
 * A 400 with the field errors and the user's text, so the form comes back as it was sent. When the text
 * holds a secret the guard blocks, whatever else was wrong, it is the guard's 422 instead (masked text,
 * the safety panel, and these errors too): no error path sends a secret back or hides why it was refused.
 */
export function formError(errors: FieldErrors, values: Record<string, string>, status: 400 | 403 | 409 | 422 | 429 = 400) {
  const blocked = guardUserText(values);
  if (!blocked.ok && blocked.issue.kind === "secret" && blocked.issue.verdict === "block") return guardFormError(blocked, values, errors);
  return status === 400 ? badRequest({ errors, values }) : data({ errors, values }, { status });
}

/** Maps a domain error from a model to the form: its code is a key under `keys` (validation.* by default). */
export function domainFormError(error: unknown, values: Record<string, string>, keys = "validation") {
  if (!(error instanceof DomainError)) throw error;
  if (error instanceof RateLimitedError) return limitedResponse(error.limited, values);
  if (error instanceof GuardRefusedError) return guardFormError(error.refusal, values);
  const field = error.field ?? "_form";
  const status = error.status === 404 ? 400 : error.status;
  return formError({ [field]: { key: `${keys}.${error.code}` } }, values, status as 400 | 403 | 409 | 422 | 429);
}

/**
 * For an action that sends typed text back without storing it (the ask form's "similar questions"
 * step): the 422 refusal when the text holds a secret, so it is masked and explained like a refused
 * write, or null. Writes need nothing of the kind: their model functions run the guard.
 */
export function refuseUnsafeEcho(fields: Record<string, string>, values: Record<string, string>, form: FormData, markdown: string[] = []) {
  const outcome = guardUserText(fields, { override: confirmed(form), markdown });
  return outcome.ok ? null : guardFormError(outcome, values);
}

/** Submitted values as they may be sent back: secrets the guard blocks are masked. */
export const echoValues = maskedValues;

/** The author's "this is not a recovery phrase" on a warned text, for the model call. */
export { confirmed, CONFIRM_FIELD as CONFIRM };

/** Fields never sent back into a form (what was typed there is a credential). */
const NEVER_ECHOED = new Set(["password", "current", "code", "token"]);

export type ParsedForm<T> =
  | { ok: true; data: T; values: Record<string, string> }
  | { ok: false; errors: FieldErrors; values: Record<string, string> };

/**
 * Reads a form (from `readForm`, so no field came twice) through a zod schema: the typed values, or the
 * field errors as translation keys. Either way `values` is what may be echoed into the form: the
 * submitted strings (never credentials), with any secret the guard blocks masked.
 */
export function parseFormData<S extends z.ZodTypeAny>(form: FormData, schema: S): ParsedForm<z.output<S>> {
  const raw: Record<string, string> = {};
  for (const [key, value] of form.entries()) if (typeof value === "string" && !NEVER_ECHOED.has(key)) raw[key] = value.slice(0, 40_000);
  const values = maskedValues(raw);
  const parsed = parseForm(schema, form);
  return parsed.ok ? { ok: true, data: parsed.data, values } : { ok: false, errors: parsed.errors, values };
}
