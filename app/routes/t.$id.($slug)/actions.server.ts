/**
 * The thread page's actions: ONE intent table. Each intent names how its refusals come back to the
 * page (`kind`), the policy question it asks, and its model call; the dispatcher loads the thread and
 * the user once, asks the policy, runs the intent, and maps refusals (policy or DomainError) to a 4xx.
 */
import { data, redirect } from "@remix-run/node";
import type { User } from "lucia";
import { requireUser, toActor } from "~/auth/session.server";
import { getDb } from "~/db.server";
import type { Database } from "~db/index";
import { confirmed, domainFormError, echoValues, formError, markdownFieldError } from "~/web/forms.server";
import { notFound } from "~/web/http.server";
import { threadPath } from "~/web/paths";
import { formValues, parseForm, replySchema, type FieldErrors } from "~/web/schemas";
import { denyReason, hasStaffPowers, type PolicyRequest } from "~/policy/policy";
import { DomainError } from "~/models/errors";
import { castVote, setAccepted, setVerified, type VoteValue } from "~/models/votes.server";
import { createReply } from "~/models/posts.server";
import { limitedResponse, postUnderLimit } from "~/models/ratelimit.server";
import { acceptSubject, replySubject } from "~/models/thread-page.server";
import { findThreadPost, getThread, listedAnswers, postPath } from "~/models/threads.server";
import {
  closeAsDuplicate,
  hidePost,
  hideThread,
  moveThread,
  reopenThread,
  resolveDuplicateTarget,
  restorePost,
  restoreThread,
  setThreadLocked,
  setThreadPinned,
  softDeletePost,
  softDeleteThread,
  unhidePost,
  unhideThread,
} from "~/models/moderation.server";

type Thread = NonNullable<Awaited<ReturnType<typeof getThread>>>;
type Ctx = { db: Database; form: FormData; thread: Thread; user: User; postId: number | null; back: string; intent: string };

/** A refusal an intent raises before or after the policy: a reason key and a status. */
class Refused extends Error {
  constructor(
    readonly reason: string,
    readonly status: number,
  ) {
    super(reason);
  }
}

/**
 * How refusals come back: "qa" (vote, accept, verify: `qaError`), "mod" (the moderator tools:
 * `modError`, with the form's values), "reply" (the answer form's field errors).
 */
type Kind = "qa" | "mod" | "reply";

type Intent<A = unknown> = {
  kind: Kind;
  /** Checks the policy needs the result of (the voted post); may throw Refused. */
  prepare?: (ctx: Ctx) => Promise<A>;
  /** The one policy question for this intent. */
  policy: (ctx: Ctx, prepared: A) => PolicyRequest;
  /** Parse what is left and call the model; a redirect or data for the page. */
  run: (ctx: Ctx, prepared: A) => Promise<unknown>;
};

export type ModError = { reason: string; postId: number | null; intent: string; values: { reason: string; target: string } };

const modValues = (form: FormData) => ({ reason: String(form.get("reason") ?? "").slice(0, 1000), target: String(form.get("target") ?? "").slice(0, 500) });

/** A moderator's tool on the thread: staff powers (thread.moderate), then the model call with the reason. */
function threadTool(call: (db: Database, threadId: number, b: { actorId: number; reason: string }, form: FormData) => Promise<void>): Intent {
  return {
    kind: "mod",
    policy: () => ({ action: "thread.moderate" }),
    run: async (ctx) => {
      await call(ctx.db, ctx.thread.id, { actorId: ctx.user.id, reason: modValues(ctx.form).reason }, ctx.form);
      return redirect(ctx.back);
    },
  };
}

/** A moderator's tool on one post of the thread (post.moderate). */
function postTool(call: (db: Database, postId: number, b: { actorId: number; reason: string }) => Promise<void>): Intent {
  return {
    kind: "mod",
    policy: () => ({ action: "post.moderate" }),
    run: async (ctx) => {
      if (ctx.postId === null || !(await findThreadPost(ctx.db, ctx.thread.id, ctx.postId))) throw new Refused("notFound", 404);
      await call(ctx.db, ctx.postId, { actorId: ctx.user.id, reason: modValues(ctx.form).reason });
      return redirect(ctx.back);
    },
  };
}

/** Accepting and verifying: the policy first, then an answer must be named. */
function choice(action: "accept" | "withdraw" | "verify" | "unverify"): Intent {
  return {
    kind: "qa",
    policy: ({ thread }) =>
      action === "accept" || action === "withdraw"
        ? { action: action === "accept" ? "answer.accept" : "answer.withdraw", thread: acceptSubject(thread) }
        : { action: "answer.verify", board: { needs_verification: thread.board_needs_verification } },
    run: async ({ db, thread, user, postId, back }) => {
      const named = action === "accept" || action === "verify";
      if (named && postId === null) throw new Refused("notAnAnswer", 400);
      const input = { threadId: thread.id, postId: named ? postId : null, actorId: user.id };
      await (action === "accept" || action === "withdraw" ? setAccepted(db, input) : setVerified(db, input));
      return redirect(back);
    },
  };
}

const vote: Intent<{ post: { id: number; author_id: number }; value: VoteValue }> = {
  kind: "qa",
  prepare: async ({ db, form, thread, postId }) => {
    if (postId === null) throw new Refused("notFound", 400);
    const valueRaw = String(form.get("value") ?? "");
    if (!["1", "0", "-1"].includes(valueRaw)) throw new Refused("badVote", 400);
    const post = await findThreadPost(db, thread.id, postId);
    if (!post) throw new Refused("notFound", 404);
    return { post, value: Number(valueRaw) as VoteValue };
  },
  policy: (_ctx, { post }) => ({ action: "post.vote", post }),
  run: async ({ db, form, user, back }, { post, value }) => {
    const result = await castVote(db, { userId: user.id, postId: post.id, value });
    // With JavaScript the page updates the score in place; without, a redirect back.
    if (form.get("js") === "1") return { vote: { postId: result.postId, score: result.score, myVote: result.myVote } };
    return redirect(back);
  },
};

const reply: Intent = {
  kind: "reply",
  policy: ({ thread }) => ({ action: "post.reply", thread: replySubject(thread) }),
  run: async ({ db, form, thread, user }) => {
    const values = formValues(form, "body", "clientToken");
    const parsed = parseForm(replySchema, form);
    const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
    // The renderer's bounds (nesting depth) once the length is known to be fine.
    const mdError = values.body && !errors.body ? markdownFieldError(values.body) : null;
    if (mdError) errors.body = mdError;
    if (!parsed.ok || Object.keys(errors).length > 0) return formError(errors, values);
    try {
      // Answers per user (stricter for new accounts, none for staff); invalid input never got here.
      const outcome = await postUnderLimit(db, user.id, "answer", () =>
        createReply(db, {
          threadId: thread.id,
          authorId: user.id,
          body: parsed.data.body,
          clientToken: parsed.data.clientToken,
          allowLocked: true, // the policy already refused locked threads to those without staff powers
          confirmedNotSecret: confirmed(form), // the model runs the wallet-safety check on the body
        }),
      );
      if (outcome.limited) return limitedResponse(outcome.limited, values);
      const r = outcome.result;
      // Readers page without deleted answers (staff with them): the new answer is on the last page.
      return redirect(postPath(r.threadId, r.slug, r.postNumber, listedAnswers(r.postNumber - 1, thread.deleted_answers, hasStaffPowers(toActor(user)))));
    } catch (error) {
      return domainFormError(error, values);
    }
  },
};

/** Every intent the thread page accepts. A form without an intent is an answer. */
const INTENTS: Record<string, Intent<any>> = {
  reply,
  vote,
  accept: choice("accept"),
  withdraw: choice("withdraw"),
  verify: choice("verify"),
  unverify: choice("unverify"),
  "mod.lock": threadTool((db, threadId, b) => setThreadLocked(db, { threadId, ...b, locked: true })),
  "mod.unlock": threadTool((db, threadId, b) => setThreadLocked(db, { threadId, ...b, locked: false })),
  "mod.pin": threadTool((db, threadId, b) => setThreadPinned(db, { threadId, ...b, pinned: true })),
  "mod.unpin": threadTool((db, threadId, b) => setThreadPinned(db, { threadId, ...b, pinned: false })),
  "mod.hide": threadTool((db, threadId, b) => hideThread(db, { threadId, ...b })),
  "mod.unhide": threadTool((db, threadId, b) => unhideThread(db, { threadId, ...b })),
  "mod.delete": threadTool((db, threadId, b) => softDeleteThread(db, { threadId, ...b })),
  "mod.restore": threadTool((db, threadId, b) => restoreThread(db, { threadId, ...b })),
  "mod.reopen": threadTool((db, threadId, b) => reopenThread(db, { threadId, ...b })),
  "mod.move": threadTool((db, threadId, b, form) => {
    const raw = String(form.get("boardId") ?? "");
    if (!/^\d{1,9}$/.test(raw)) throw new DomainError("boardNotFound", 400, "boardId");
    return moveThread(db, { threadId, ...b, boardId: Number(raw) });
  }),
  "mod.duplicate": threadTool(async (db, threadId, b, form) => {
    const target = await resolveDuplicateTarget(db, String(form.get("target") ?? "").slice(0, 500));
    return closeAsDuplicate(db, { threadId, ...b, target });
  }),
  "mod.post.hide": postTool((db, postId, b) => hidePost(db, { postId, ...b })),
  "mod.post.unhide": postTool((db, postId, b) => unhidePost(db, { postId, ...b })),
  "mod.post.delete": postTool((db, postId, b) => softDeletePost(db, { postId, ...b })),
  "mod.post.restore": postTool((db, postId, b) => restorePost(db, { postId, ...b })),
};

function refusal(kind: Kind, ctx: Pick<Ctx, "form" | "postId" | "intent">, reason: string, status: number) {
  // The typed reason comes back masked where it holds a secret (the model refuses to store it).
  if (kind === "mod") return data({ modError: { reason, postId: ctx.postId, intent: ctx.intent, values: echoValues(modValues(ctx.form)) } satisfies ModError }, { status });
  if (kind === "qa") return data({ qaError: { reason, postId: ctx.postId } }, { status });
  return formError({ body: { key: `validation.${reason}` } }, formValues(ctx.form, "body", "clientToken"), status as 403);
}

export async function threadAction(request: Request, form: FormData, threadId: number) {
  const intentName = String(form.get("intent") ?? "reply");
  const intent = Object.hasOwn(INTENTS, intentName) ? INTENTS[intentName] : undefined;
  const postRaw = String(form.get("postId") ?? "");
  const postId = /^\d{1,15}$/.test(postRaw) ? Number(postRaw) : null;
  const early = { form, postId, intent: intentName };
  if (!intent) return refusal(intentName.startsWith("mod.") ? "mod" : "qa", early, "badIntent", 400);
  const db = await getDb();
  const thread = await getThread(db, threadId);
  if (!thread) notFound();
  const back = threadPath(thread.id, thread.slug) + (postId && intent.kind !== "reply" ? `#post-id-${postId}` : "");
  const user = await requireUser(request, back);
  const ctx: Ctx = { db, form, thread, user, postId, back, intent: intentName };
  try {
    const prepared = intent.prepare ? await intent.prepare(ctx) : undefined;
    const denied = denyReason(toActor(user), intent.policy(ctx, prepared));
    if (denied) return refusal(intent.kind, ctx, denied, 403);
    return await intent.run(ctx, prepared);
  } catch (error) {
    if (error instanceof Refused) return refusal(intent.kind, ctx, error.reason, error.status);
    if (error instanceof DomainError && intent.kind !== "reply") return refusal(intent.kind, ctx, error.code, error.status);
    throw error;
  }
}
