/**
 * Moderators' thread and post tools (issue 8): hide/unhide, soft-delete/restore, lock/unlock,
 * pin/unpin, move, close as duplicate/reopen.
 *
 * Every function takes the database first, runs its writes in ONE transaction with the thread row
 * locked, and writes one audit row (`audit`) in that transaction. The policy (thread.moderate /
 * post.moderate in app/policy/policy.ts) decides who may call them; the routes check it first.
 *
 * Nothing is erased: hiding and deleting set columns, and every figure that depends on what is
 * public is recomputed from the rows in the same transaction (app/policy/visibility.server.ts says
 * what "public" is):
 *  - the thread's reply_count / last_post_at / last_post_user_id  (refreshThreads)
 *  - its board's thread_count / post_count / last_post_at / last_thread_id  (refreshBoards)
 *  - the thread status (the threads_derive_status trigger runs on that update and only counts a
 *    public accepted/verified answer, migration 0007)
 *  - the search vector (indexThread indexes public posts only)
 *  - the reputation of everyone who wrote in the thread (recountReputationIn for those users)
 * so restoring brings every figure back exactly.
 *
 * The question (post 1) stands for its thread: hiding or deleting it hides or deletes the thread.
 */
import { sql } from "kysely";
import { inTransaction, type Database } from "~db/index";
import { assertSafeText } from "~/safety/guard.server";
import { audit } from "./audit.server";
import { MAX_MOD_REASON } from "~/domain/limits";
import { DomainError } from "./errors";
import { indexThreads } from "./search.server";
import { recountReputationIn } from "./votes.server";
import { publicPost, publicThread, SECRET_REASON } from "~/policy/visibility.server";

/**
 * A reason: trimmed, 1–200 characters (the columns' CHECKs say the same), and guarded: it is stored on
 * the post, in the audit log and shown to the author, so a phrase in it throws GuardRefusedError.
 */
export function cleanReason(raw: string | null | undefined, required: boolean): string | null {
  const r = (raw ?? "").trim().replace(/\s+/g, " ");
  if (!r) {
    if (required) throw new DomainError("reasonRequired", 400, "reason");
    return null;
  }
  assertSafeText({ reason: r });
  if (r.length > MAX_MOD_REASON) throw new DomainError("reasonTooLong", 400, "reason");
  return r;
}

// ───────────────────────── counters ─────────────────────────

/**
 * Recomputes threads' public figures from their posts: reply_count (public answers), last_post_at and
 * last_post_user_id (latest public post, else the thread's own creation). The status trigger runs
 * on this update. One statement.
 */
export async function refreshThreads(trx: Database, threadIds: number[]): Promise<void> {
  if (threadIds.length === 0) return;
  await sql`
    update threads t
       set reply_count = s.n,
           last_post_at = coalesce(s.last_at, t.created_at),
           last_post_user_id = coalesce(s.last_user, t.author_id)
      from unnest(${threadIds}::bigint[]) as x(id)
      cross join lateral (
        select count(*) filter (where p.post_number > 1)::int as n,
               max(p.created_at) as last_at,
               (array_agg(p.author_id order by p.created_at desc, p.id desc))[1] as last_user
          from posts p
         where p.thread_id = x.id and ${publicPost("p")}
      ) s
     where t.id = x.id`.execute(trx);
}

/**
 * Recomputes boards' public counters from their public threads: thread_count, post_count (questions
 * and public answers), last_post_at and last_thread_id. One statement; it reads the board's threads
 * (an index scan on threads_board_activity), which is fine for an action taken by hand.
 */
export async function refreshBoards(trx: Database, boardIds: number[]): Promise<void> {
  const ids = [...new Set(boardIds)].sort((a, b) => a - b);
  if (ids.length === 0) return;
  await sql`
    update boards b
       set thread_count = s.threads,
           post_count = s.posts,
           last_post_at = s.last_at,
           last_thread_id = s.last_id
      from unnest(${ids}::bigint[]) as x(id)
      cross join lateral (
        select count(*)::int as threads,
               coalesce(sum(1 + t.reply_count), 0)::int as posts,
               max(t.last_post_at) as last_at,
               (array_agg(t.id order by t.last_post_at desc, t.id desc))[1] as last_id
          from threads t
         where t.board_id = x.id and ${publicThread("t")}
      ) s
     where b.id = x.id`.execute(trx);
}

/** Everything that depends on what is public in these threads, recomputed (see the top of this file). */
async function refreshIn(trx: Database, threadIds: number[]): Promise<void> {
  await refreshThreads(trx, threadIds);
  const boards = await trx.selectFrom("threads").select("board_id").distinct().where("id", "in", threadIds).execute();
  await refreshBoards(trx, boards.map((b) => b.board_id));
  await indexThreads(trx, threadIds);
  const authors = await trx.selectFrom("posts").select("author_id").distinct().where("thread_id", "in", threadIds).execute();
  await recountReputationIn(trx, { fix: true, userIds: authors.map((a) => a.author_id) });
}

/**
 * The same, in its own transaction, for threads whose content was hidden outside these tools (the
 * secret scanner).
 */
export async function refreshVisibility(db: Database, threadIds: number[]): Promise<void> {
  if (threadIds.length === 0) return;
  await tx(db, (trx) => refreshIn(trx, threadIds));
}

// ───────────────────────── loading with a lock ─────────────────────────

async function lockThreadRow(trx: Database, threadId: number) {
  const t = await trx
    .selectFrom("threads")
    .select([
      "id",
      "board_id",
      "author_id",
      "hidden_at",
      "hidden_reason",
      "deleted_at",
      "locked",
      "pinned",
      "closed_at",
      "duplicate_of_thread_id",
      "duplicate_of_faq_id",
    ])
    .where("id", "=", threadId)
    .forUpdate()
    .executeTakeFirst();
  if (!t) throw new DomainError("notFound", 404);
  return t;
}

/** The post's thread id and number, without a lock (the thread row is the lock). */
async function findPost(db: Database, postId: number) {
  const p = await db.selectFrom("posts").select(["id", "thread_id", "post_number"]).where("id", "=", postId).executeTakeFirst();
  if (!p) throw new DomainError("notFound", 404);
  return p;
}

/** Locks the post's thread row, then the post row (the order every writer here and in reports.server.ts keeps); notFound when there is no such post. */
export async function lockPost(trx: Database, postId: number) {
  const p = await findPost(trx, postId);
  const thread = await lockThreadRow(trx, p.thread_id);
  const post = await trx
    .selectFrom("posts")
    .select(["id", "thread_id", "post_number", "author_id", "hidden_at", "hidden_reason", "deleted_at"])
    .where("id", "=", postId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  return { thread, post };
}

/** Who acts: a moderator's id, or null for the system itself (e.g. hiding a post automatically). */
type Actor = { actorId: number | null };

/**
 * Runs `fn` in a new transaction — or in the caller's when `db` already is one, so that the report
 * queue (app/models/reports.server.ts) composes these tools with its own writes in ONE transaction.
 */
const tx = inTransaction;

// ───────────────────────── threads ─────────────────────────

/** Hides a thread from everyone but staff (its author sees it with the reason). */
export async function hideThread(db: Database, input: Actor & { threadId: number; reason: string }): Promise<void> {
  const reason = cleanReason(input.reason, true)!;
  await tx(db, async (trx) => {
    const t = await lockThreadRow(trx, input.threadId);
    if (t.hidden_reason === SECRET_REASON || t.hidden_reason === reason) return;
    await trx
      .updateTable("threads")
      .set({ hidden_at: t.hidden_at ?? new Date(), hidden_reason: reason })
      .where("id", "=", t.id)
      .execute();
    await refreshIn(trx, [t.id]);
    await audit(trx, { actorId: input.actorId, action: "thread.hide", targetType: "thread", targetId: t.id, details: { reason, previousReason: t.hidden_reason } });
  });
}

/** Shows a hidden thread again, as it was. A title hidden for holding a secret stays hidden. */
export async function unhideThread(db: Database, input: Actor & { threadId: number; reason?: string | null }): Promise<void> {
  const reason = cleanReason(input.reason, false);
  await tx(db, async (trx) => {
    const t = await lockThreadRow(trx, input.threadId);
    if (!t.hidden_at) return;
    if (t.hidden_reason === SECRET_REASON) throw new DomainError("secretHidden", 409);
    await trx.updateTable("threads").set({ hidden_at: null, hidden_reason: null }).where("id", "=", t.id).execute();
    await refreshIn(trx, [t.id]);
    await audit(trx, { actorId: input.actorId, action: "thread.unhide", targetType: "thread", targetId: t.id, details: { reason, previousReason: t.hidden_reason } });
  });
}

/** Soft-deletes a thread: gone for everyone but staff (404), restorable intact. */
export async function softDeleteThread(db: Database, input: Actor & { threadId: number; reason: string }): Promise<void> {
  const reason = cleanReason(input.reason, true)!;
  await tx(db, async (trx) => {
    const t = await lockThreadRow(trx, input.threadId);
    if (t.deleted_at) return;
    await trx
      .updateTable("threads")
      .set({ deleted_at: new Date(), deleted_by: input.actorId, deleted_reason: reason })
      .where("id", "=", t.id)
      .execute();
    await refreshIn(trx, [t.id]);
    await audit(trx, { actorId: input.actorId, action: "thread.delete", targetType: "thread", targetId: t.id, details: { reason } });
  });
}

export async function restoreThread(db: Database, input: Actor & { threadId: number; reason?: string | null }): Promise<void> {
  const reason = cleanReason(input.reason, false);
  await tx(db, async (trx) => {
    const t = await lockThreadRow(trx, input.threadId);
    if (!t.deleted_at) return;
    await trx.updateTable("threads").set({ deleted_at: null, deleted_by: null, deleted_reason: null }).where("id", "=", t.id).execute();
    await refreshIn(trx, [t.id]);
    await audit(trx, { actorId: input.actorId, action: "thread.restore", targetType: "thread", targetId: t.id, details: { reason } });
  });
}

/** Locks (no new answers but staff's) or unlocks a thread. */
export async function setThreadLocked(db: Database, input: Actor & { threadId: number; locked: boolean; reason?: string | null }): Promise<void> {
  const reason = cleanReason(input.reason, false);
  await tx(db, async (trx) => {
    const t = await lockThreadRow(trx, input.threadId);
    if (t.locked === input.locked) return;
    await trx.updateTable("threads").set({ locked: input.locked }).where("id", "=", t.id).execute();
    await audit(trx, { actorId: input.actorId, action: input.locked ? "thread.lock" : "thread.unlock", targetType: "thread", targetId: t.id, details: { reason } });
  });
}

/** Pins a thread to the top of its board's list (or unpins it). */
export async function setThreadPinned(db: Database, input: Actor & { threadId: number; pinned: boolean; reason?: string | null }): Promise<void> {
  const reason = cleanReason(input.reason, false);
  await tx(db, async (trx) => {
    const t = await lockThreadRow(trx, input.threadId);
    if (t.pinned === input.pinned) return;
    await trx.updateTable("threads").set({ pinned: input.pinned }).where("id", "=", t.id).execute();
    await audit(trx, { actorId: input.actorId, action: input.pinned ? "thread.pin" : "thread.unpin", targetType: "thread", targetId: t.id, details: { reason, boardId: t.board_id } });
  });
}

/**
 * Moves a thread to another board: both boards' counters are recomputed and the status re-derived
 * (the new board may need staff verification). A pin stays a pin, now in the new board.
 */
export async function moveThread(db: Database, input: Actor & { threadId: number; boardId: number; reason?: string | null }): Promise<void> {
  const reason = cleanReason(input.reason, false);
  await tx(db, async (trx) => {
    const t = await lockThreadRow(trx, input.threadId);
    const board = await trx.selectFrom("boards").select("id").where("id", "=", input.boardId).executeTakeFirst();
    if (!board) throw new DomainError("boardNotFound", 400, "boardId");
    if (board.id === t.board_id) throw new DomainError("sameBoard", 400, "boardId");
    await trx.updateTable("threads").set({ board_id: board.id }).where("id", "=", t.id).execute();
    await refreshBoards(trx, [t.board_id, board.id]);
    await audit(trx, { actorId: input.actorId, action: "thread.move", targetType: "thread", targetId: t.id, details: { reason, from: t.board_id, to: board.id } });
  });
}

export type DuplicateTarget = { threadId: number } | { faqId: number };

/**
 * Closes a thread as a duplicate of another thread (public, not itself, not itself closed as a
 * duplicate — point at the original instead) or of a published FAQ entry. New answers are refused
 * (policy and createReply); the page links to the target. Closing again changes the target.
 */
export async function closeAsDuplicate(db: Database, input: Actor & { threadId: number; target: DuplicateTarget; reason?: string | null }): Promise<void> {
  const reason = cleanReason(input.reason, false);
  await tx(db, async (trx) => {
    const t = await lockThreadRow(trx, input.threadId);
    let threadTarget: number | null = null;
    let faqTarget: number | null = null;
    if ("threadId" in input.target) {
      if (input.target.threadId === t.id) throw new DomainError("duplicateSelf", 400, "target");
      const other = await trx
        .selectFrom("threads as t")
        .select(["t.id", "t.closed_at"])
        .where("t.id", "=", input.target.threadId)
        .where(publicThread("t"))
        .executeTakeFirst();
      if (!other) throw new DomainError("duplicateTargetNotFound", 400, "target");
      if (other.closed_at) throw new DomainError("duplicateTargetClosed", 400, "target");
      threadTarget = other.id;
    } else {
      const entry = await trx
        .selectFrom("faq_entries")
        .select("id")
        .where("id", "=", input.target.faqId)
        .where("status", "=", "published")
        .executeTakeFirst();
      if (!entry) throw new DomainError("duplicateTargetNotFound", 400, "target");
      faqTarget = entry.id;
    }
    if (t.closed_at && t.duplicate_of_thread_id === threadTarget && t.duplicate_of_faq_id === faqTarget) return;
    await trx
      .updateTable("threads")
      .set({ closed_at: new Date(), closed_by: input.actorId, duplicate_of_thread_id: threadTarget, duplicate_of_faq_id: faqTarget })
      .where("id", "=", t.id)
      .execute();
    await audit(trx, {
      actorId: input.actorId,
      action: "thread.close_duplicate",
      targetType: "thread",
      targetId: t.id,
      details: { reason, threadId: threadTarget, faqId: faqTarget },
    });
  });
}

/** Reopens a thread closed as a duplicate. */
export async function reopenThread(db: Database, input: Actor & { threadId: number; reason?: string | null }): Promise<void> {
  const reason = cleanReason(input.reason, false);
  await tx(db, async (trx) => {
    const t = await lockThreadRow(trx, input.threadId);
    if (!t.closed_at) return;
    await trx
      .updateTable("threads")
      .set({ closed_at: null, closed_by: null, duplicate_of_thread_id: null, duplicate_of_faq_id: null })
      .where("id", "=", t.id)
      .execute();
    await audit(trx, {
      actorId: input.actorId,
      action: "thread.reopen",
      targetType: "thread",
      targetId: t.id,
      details: { reason, threadId: t.duplicate_of_thread_id, faqId: t.duplicate_of_faq_id },
    });
  });
}

// ───────────────────────── posts ─────────────────────────

type PostRow = Awaited<ReturnType<typeof lockPost>>["post"];
type ThreadRow = Awaited<ReturnType<typeof lockThreadRow>>;

/**
 * The shape of every answer tool: the question stands for its thread (`forQuestion`); otherwise lock
 * the thread and the post, let `change` write (or return false when there is nothing to do), then
 * recompute what is public and audit — one transaction.
 */
async function changeAnswer(
  db: Database,
  input: Actor & { postId: number; reason?: string | null },
  spec: {
    action: string;
    reasonRequired: boolean;
    forQuestion: (threadId: number) => Promise<void>;
    change: (trx: Database, post: PostRow, thread: ThreadRow, reason: string | null) => Promise<Record<string, unknown> | false>;
  },
): Promise<void> {
  const p = await findPost(db, input.postId);
  if (p.post_number === 1) return spec.forQuestion(p.thread_id);
  const reason = cleanReason(input.reason, spec.reasonRequired);
  await tx(db, async (trx) => {
    const { thread, post } = await lockPost(trx, input.postId);
    const details = await spec.change(trx, post, thread, reason);
    if (details === false) return;
    await refreshIn(trx, [thread.id]);
    await audit(trx, {
      actorId: input.actorId,
      action: spec.action,
      targetType: "post",
      targetId: post.id,
      details: { reason, threadId: thread.id, authorId: post.author_id, ...details },
    });
  });
}

/**
 * Hides a post: readers see a notice in its place, its author sees the reason (and the text), staff
 * see it marked. Hiding an already hidden post replaces the reason (a report confirmed by a
 * moderator); a post hidden for holding a secret stays so. Hiding the question hides the thread.
 */
export async function hidePost(db: Database, input: Actor & { postId: number; reason: string }): Promise<void> {
  return changeAnswer(db, input, {
    action: "post.hide",
    reasonRequired: true,
    forQuestion: (threadId) => hideThread(db, { threadId, actorId: input.actorId, reason: input.reason }),
    change: async (trx, post, _t, reason) => {
      if (post.hidden_reason === SECRET_REASON || post.hidden_reason === reason) return false;
      await trx.updateTable("posts").set({ hidden_at: post.hidden_at ?? new Date(), hidden_reason: reason }).where("id", "=", post.id).execute();
      return { previousReason: post.hidden_reason };
    },
  });
}

/** Shows a hidden post again, intact. A post hidden for holding a secret cannot be shown again. */
export async function unhidePost(db: Database, input: Actor & { postId: number; reason?: string | null }): Promise<void> {
  return changeAnswer(db, input, {
    action: "post.unhide",
    reasonRequired: false,
    forQuestion: (threadId) => unhideThread(db, { threadId, actorId: input.actorId, reason: input.reason }),
    change: async (trx, post) => {
      if (!post.hidden_at) return false;
      if (post.hidden_reason === SECRET_REASON) throw new DomainError("secretHidden", 409);
      await trx.updateTable("posts").set({ hidden_at: null, hidden_reason: null }).where("id", "=", post.id).execute();
      return { previousReason: post.hidden_reason };
    },
  });
}

/** Soft-deletes an answer (gone for everyone but staff); deleting the question deletes the thread. */
export async function softDeletePost(db: Database, input: Actor & { postId: number; reason: string }): Promise<void> {
  return changeAnswer(db, input, {
    action: "post.delete",
    reasonRequired: true,
    forQuestion: (threadId) => softDeleteThread(db, { threadId, actorId: input.actorId, reason: input.reason }),
    change: async (trx, post, _t, reason) => {
      if (post.deleted_at) return false;
      await trx.updateTable("posts").set({ deleted_at: new Date(), deleted_by: input.actorId, deleted_reason: reason }).where("id", "=", post.id).execute();
      return {};
    },
  });
}

/** Restores a soft-deleted answer (or, for the question, its thread), intact. */
export async function restorePost(db: Database, input: Actor & { postId: number; reason?: string | null }): Promise<void> {
  return changeAnswer(db, input, {
    action: "post.restore",
    reasonRequired: false,
    forQuestion: (threadId) => restoreThread(db, { threadId, actorId: input.actorId, reason: input.reason }),
    change: async (trx, post) => {
      if (!post.deleted_at) return false;
      await trx.updateTable("posts").set({ deleted_at: null, deleted_by: null, deleted_reason: null }).where("id", "=", post.id).execute();
      return {};
    },
  });
}

/**
 * What a moderator typed as the original of a duplicate: a thread link (/t/12/…, full URL too) or
 * id, or a FAQ link (/faq/slug) or slug. Unknown → duplicateTargetNotFound (400).
 */
export async function resolveDuplicateTarget(db: Database, raw: string): Promise<DuplicateTarget> {
  const text = raw.trim();
  const thread = /\/t\/(\d{1,15})(?:[/?#]|$)/.exec(text) ?? /^#?(\d{1,15})$/.exec(text);
  if (thread) return { threadId: Number(thread[1]) };
  const slug = (/\/faq\/([^/?#\s]+)/.exec(text)?.[1] ?? text).slice(0, 120);
  if (slug) {
    const entry = await db.selectFrom("faq_entries").select("id").where("slug", "=", safeDecode(slug)).executeTakeFirst();
    if (entry) return { faqId: entry.id };
  }
  throw new DomainError("duplicateTargetNotFound", 400, "target");
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
