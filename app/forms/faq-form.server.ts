/** The FAQ editor's form (promote and edit): guard, validate, or the form error to send back. */
import { z } from "zod";
import type { Database } from "~db/index";
import { requireStaff, toActor } from "~/auth/session.server";
import { confirmed, domainFormError, formError, markdownFieldError } from "~/web/forms.server";
import { forbidden } from "~/web/http.server";
import { denyReason } from "~/policy/policy";
import { boardIdSchema, countSchema, formValues, parseForm, parseIdText, text, type FieldErrors } from "~/web/schemas";
import { MAX_BODY_LENGTH } from "~/content/markdown.server";
import { DomainError, GuardRefusedError } from "~/models/errors";

export const QUESTION_MAX = 200;

export const faqSchema = z.object({
  question: text(5, QUESTION_MAX),
  answer: text(5, MAX_BODY_LENGTH),
  boardId: boardIdSchema,
  position: countSchema(100000),
});

export type FaqFormResult =
  | { ok: true; question: string; answerMd: string; boardId: number; position: number; publish: boolean; confirmedNotSecret: boolean }
  | { ok: false; response: Response | ReturnType<typeof formError> };

export async function readFaqForm(db: Database, form: FormData): Promise<FaqFormResult> {
  const values = formValues(form, "question", "answer", "boardId", "position");
  if (!values.position) values.position = "0";
  const fd = new FormData();
  for (const [k, v] of Object.entries(values)) fd.set(k, v);
  const parsed = parseForm(faqSchema, fd);
  const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
  const md = markdownFieldError(values.answer ?? "");
  if (md) errors.answer = md;
  if (parsed.ok) {
    const b = await db.selectFrom("boards").select("id").where("id", "=", parsed.data.boardId).executeTakeFirst();
    if (!b) errors.boardId = { key: "validation.required" };
  }
  if (!parsed.ok || Object.keys(errors).length > 0) return { ok: false, response: formError(errors, values) };
  return {
    ok: true,
    question: parsed.data.question,
    answerMd: parsed.data.answer,
    boardId: parsed.data.boardId,
    position: parsed.data.position,
    publish: form.get("intent") === "publish",
    confirmedNotSecret: confirmed(form),
  };
}

export function faqDomainError(error: unknown, values: Record<string, string>) {
  // The models' guard refused the question or answer: 422, masked, with the safety panel.
  if (error instanceof GuardRefusedError) return domainFormError(error, values);
  if (!(error instanceof DomainError)) throw error;
  const status = error.status === 404 ? 400 : error.status;
  return formError({ _form: { key: `faq:errors.${error.code.replace(/^faq\./, "")}` } }, values, status as 400 | 409);
}

/** Admins only (the audit log, the official channels page): staff first (2FA rule), then the role. */
export async function requireAdmin(request: Request) {
  const user = await requireStaff(request);
  if (denyReason(toActor(user), { action: "admin.access" })) forbidden();
  return user;
}

export function parseId(raw: string | undefined): number {
  return parseIdText(raw) ?? 0;
}

/**
 * The one-button staff actions on an entry (the list and the entry page): intent + entryId.
 * Returns null when the intent is not one of them.
 */
export async function entryIntent(db: Database, actorId: number, form: FormData): Promise<{ done: string } | null> {
  const intent = String(form.get("intent") ?? "");
  const entryId = parseId(String(form.get("entryId") ?? ""));
  const m = await import("~/models/faq.server");
  const run = async (fn: () => Promise<unknown>) => {
    if (!entryId) throw new Response("Not found", { status: 404 });
    try {
      await fn();
    } catch (e) {
      if (e instanceof DomainError && e.status === 404) throw new Response("Not found", { status: 404 });
      if (e instanceof DomainError) throw new Response(e.code, { status: e.status });
      throw e;
    }
    return { done: intent };
  };
  switch (intent) {
    case "review":
      return run(() => m.markReviewed(db, { entryId, actorId }));
    case "update":
      return run(() => m.updateFromSource(db, { entryId, actorId }));
    case "up":
    case "down":
      return run(() => m.moveEntry(db, { entryId, actorId, direction: intent }));
    case "publish":
      return run(() => m.setStatus(db, { entryId, actorId, status: "published" }));
    case "unpublish":
      return run(() => m.setStatus(db, { entryId, actorId, status: "draft" }));
    case "archive":
      return run(() => m.setStatus(db, { entryId, actorId, status: "archived" }));
    case "delete":
      return run(() => m.deleteEntry(db, { entryId, actorId }));
    default:
      return null;
  }
}
