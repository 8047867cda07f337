/**
 * The thread page's moderator buttons (intent "mod.*"): parse, authorise with the policy
 * (thread.moderate / post.moderate), call the model, redirect back. Refusals answer 4xx with
 * `modError` (a moderation:errors.* key) and the reason typed, so the form comes back as it was.
 */
import { data, redirect } from "@remix-run/node";
import { requireUser, toActor } from "~/auth/session.server";
import { getDb } from "~/db.server";
import type { Database } from "~db/index";
import { notFound } from "~/web/http.server";
import { threadPath } from "~/web/paths";
import { denyReason } from "~/policy/policy";
import { DomainError } from "~/models/errors";
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

type Base = { actorId: number; reason: string };

const THREAD_TOOLS: Record<string, (db: Database, threadId: number, b: Base, form: FormData) => Promise<void>> = {
  "mod.lock": (db, threadId, b) => setThreadLocked(db, { threadId, ...b, locked: true }),
  "mod.unlock": (db, threadId, b) => setThreadLocked(db, { threadId, ...b, locked: false }),
  "mod.pin": (db, threadId, b) => setThreadPinned(db, { threadId, ...b, pinned: true }),
  "mod.unpin": (db, threadId, b) => setThreadPinned(db, { threadId, ...b, pinned: false }),
  "mod.hide": (db, threadId, b) => hideThread(db, { threadId, ...b }),
  "mod.unhide": (db, threadId, b) => unhideThread(db, { threadId, ...b }),
  "mod.delete": (db, threadId, b) => softDeleteThread(db, { threadId, ...b }),
  "mod.restore": (db, threadId, b) => restoreThread(db, { threadId, ...b }),
  "mod.reopen": (db, threadId, b) => reopenThread(db, { threadId, ...b }),
  "mod.move": (db, threadId, b, form) => {
    const raw = String(form.get("boardId") ?? "");
    if (!/^\d{1,9}$/.test(raw)) throw new DomainError("boardNotFound", 400, "boardId");
    return moveThread(db, { threadId, ...b, boardId: Number(raw) });
  },
  "mod.duplicate": async (db, threadId, b, form) => {
    const target = await resolveDuplicateTarget(db, String(form.get("target") ?? "").slice(0, 500));
    return closeAsDuplicate(db, { threadId, ...b, target });
  },
};

const POST_TOOLS: Record<string, (db: Database, postId: number, b: Base) => Promise<void>> = {
  "mod.post.hide": (db, postId, b) => hidePost(db, { postId, ...b }),
  "mod.post.unhide": (db, postId, b) => unhidePost(db, { postId, ...b }),
  "mod.post.delete": (db, postId, b) => softDeletePost(db, { postId, ...b }),
  "mod.post.restore": (db, postId, b) => restorePost(db, { postId, ...b }),
};

export type ModError = { reason: string; postId: number | null; intent: string; values: { reason: string; target: string } };

export async function moderationAction(request: Request, form: FormData, intent: string, threadId: number) {
  const db = await getDb();
  const thread = await db.selectFrom("threads").select(["id", "slug"]).where("id", "=", threadId).executeTakeFirst();
  if (!thread) notFound();
  const postRaw = String(form.get("postId") ?? "");
  const postId = /^\d{1,15}$/.test(postRaw) ? Number(postRaw) : null;
  const back = threadPath(thread.id, thread.slug) + (postId ? `#post-id-${postId}` : "");
  const user = await requireUser(request, back);
  const values = { reason: String(form.get("reason") ?? "").slice(0, 1000), target: String(form.get("target") ?? "").slice(0, 500) };
  const refuse = (reason: string, status: number) =>
    data({ modError: { reason, postId, intent, values } satisfies ModError }, { status });
  const postTool = Object.hasOwn(POST_TOOLS, intent) ? POST_TOOLS[intent] : undefined;
  const threadTool = Object.hasOwn(THREAD_TOOLS, intent) ? THREAD_TOOLS[intent] : undefined;
  if (!postTool && !threadTool) return refuse("badIntent", 400);
  const denied = denyReason(toActor(user), { action: postTool ? "post.moderate" : "thread.moderate" });
  if (denied) return refuse(denied, 403);
  const base = { actorId: user.id, reason: values.reason };
  try {
    if (postTool) {
      if (postId === null) return refuse("notFound", 404);
      const post = await db.selectFrom("posts").select("id").where("id", "=", postId).where("thread_id", "=", thread.id).executeTakeFirst();
      if (!post) return refuse("notFound", 404);
      await postTool(db, postId, base);
    } else {
      await threadTool!(db, thread.id, base, form);
    }
  } catch (error) {
    if (error instanceof DomainError) return refuse(error.code, error.status);
    throw error;
  }
  return redirect(back);
}
