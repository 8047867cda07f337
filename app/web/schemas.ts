import { z } from "zod";
import { MAX_BODY_LENGTH } from "~/domain/limits";

/**
 * Form schemas. Messages are translation keys (validation.*) with their parameters, so the route can
 * show them in the reader's language next to the field.
 */
export type FieldError = { key: string; params?: Record<string, unknown> };
export type FieldErrors = Record<string, FieldError>;

/** Required text, NFC-normalised and trimmed, between min and max characters (field error keys required/tooShort/tooLong). */
export const text = (min: number, max: number) =>
  z
    .string({ required_error: "required", invalid_type_error: "required" })
    .transform((s) => s.normalize("NFC").trim())
    .superRefine((s, ctx) => {
      if (s.length === 0) ctx.addIssue({ code: z.ZodIssueCode.custom, message: "required" });
      else if (s.length < min) ctx.addIssue({ code: z.ZodIssueCode.custom, message: "tooShort", params: { min } });
      else if (s.length > max) ctx.addIssue({ code: z.ZodIssueCode.custom, message: "tooLong", params: { max } });
    });

/**
 * Ids as forms and URLs carry them, checked as ranges before any query: row ids are bigint (all fit in
 * 2^53), boards' are integer. Anything else (20 digits, "1e3", "-1", " 7") is not an id: a 404 or a field
 * error, never a database error.
 */
export const ROW_ID_MAX = Number.MAX_SAFE_INTEGER;
export const INT_ID_MAX = 2_147_483_647;

/** A positive decimal id no larger than `max`, or null. */
export function parseIdText(raw: unknown, max: number = ROW_ID_MAX): number | null {
  if (typeof raw !== "string" || !/^[1-9]\d{0,15}$/.test(raw)) return null;
  const n = Number(raw);
  return n <= max ? n : null;
}

const idOf = (max: number, message = "badId") =>
  z.custom<string>((v) => parseIdText(v, max) !== null, { message }).transform((v) => Number(v));

/** A row id (threads, posts, users, FAQ entries, reports). */
export const idSchema = idOf(ROW_ID_MAX);
/** A board id (an integer column). */
export const boardIdSchema = idOf(INT_ID_MAX, "required");
/** A small count or position in a form (0 up to `max`). */
export const countSchema = (max: number) =>
  z.custom<string>((v) => typeof v === "string" && /^\d{1,9}$/.test(v) && Number(v) <= max, { message: "required" }).transform((v) => Number(v));

export const USERNAME_RE = /^[A-Za-z0-9_-]+$/;
export const TITLE_MIN = 8;
export const TITLE_MAX = 150;
export const QUESTION_BODY_MIN = 10;
export const ANSWER_BODY_MIN = 5;
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 256;

export const usernameSchema = text(3, 32).superRefine((s, ctx) => {
  if (s.length >= 3 && s.length <= 32 && !USERNAME_RE.test(s)) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: "usernameChars" });
  }
});

export const emailSchema = text(3, 254).superRefine((s, ctx) => {
  if (s.length >= 3 && s.length <= 254 && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(s)) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: "emailInvalid" });
  }
});

// Passwords are not trimmed or normalised: what was typed is what is hashed.
export const passwordSchema = z
  .string({ required_error: "required", invalid_type_error: "required" })
  .superRefine((s, ctx) => {
    if (s.length === 0) ctx.addIssue({ code: z.ZodIssueCode.custom, message: "required" });
    else if (s.length < PASSWORD_MIN) ctx.addIssue({ code: z.ZodIssueCode.custom, message: "tooShort", params: { min: PASSWORD_MIN } });
    else if (s.length > PASSWORD_MAX) ctx.addIssue({ code: z.ZodIssueCode.custom, message: "tooLong", params: { max: PASSWORD_MAX } });
  });

export const signupSchema = z.object({ username: usernameSchema, email: emailSchema, password: passwordSchema });
export const loginSchema = z.object({
  login: text(1, 254),
  password: z.string({ required_error: "required" }).min(1, "required").max(PASSWORD_MAX, "tooLong"),
});

export const titleSchema = text(TITLE_MIN, TITLE_MAX);
export const questionBodySchema = text(QUESTION_BODY_MIN, MAX_BODY_LENGTH);
export const answerBodySchema = text(ANSWER_BODY_MIN, MAX_BODY_LENGTH);
const clientToken = z
  .string()
  .uuid()
  .optional()
  .catch(undefined);

export const threadSchema = z.object({
  board: z.string({ required_error: "boardInvalid" }).min(1, "boardInvalid"),
  title: titleSchema,
  body: questionBodySchema,
  clientToken,
});
export const replySchema = z.object({ body: answerBodySchema, clientToken });
export const editSchema = z.object({
  title: titleSchema.optional(),
  body: text(1, MAX_BODY_LENGTH),
  revision: z.coerce.number().int().min(1),
});

/** Redacting one kept version on the revisions page: the version and the author's explicit tick. */
export const redactRevisionSchema = z.object({
  intent: z.literal("redact"),
  revision: z.coerce.number().int().min(1).max(INT_ID_MAX),
  confirm: z.literal("1"),
});

/** Parses FormData against a schema; on failure returns the field errors as translation keys. */
export function parseForm<S extends z.ZodTypeAny>(
  schema: S,
  form: FormData,
): { ok: true; data: z.output<S> } | { ok: false; errors: FieldErrors } {
  const raw: Record<string, unknown> = {};
  for (const [key, value] of form.entries()) if (typeof value === "string") raw[key] = value;
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? "_form");
    if (errors[field]) continue;
    const params = issue.code === z.ZodIssueCode.custom ? (issue.params as Record<string, unknown> | undefined) : undefined;
    const key = issue.message in KNOWN ? issue.message : "required";
    errors[field] = { key: `validation.${key}`, params };
  }
  return { ok: false, errors };
}

const KNOWN: Record<string, true> = {
  required: true,
  tooShort: true,
  tooLong: true,
  usernameChars: true,
  emailInvalid: true,
  boardInvalid: true,
  badId: true,
};

/** The submitted strings, echoed back into the form after an error (never passwords). */
export function formValues(form: FormData, ...fields: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fields) {
    const v = form.get(f);
    if (typeof v === "string") out[f] = v.slice(0, 40_000);
  }
  return out;
}
