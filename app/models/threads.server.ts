import { sql } from "kysely";
import type { Database } from "~db/index";
import { renderMarkdown } from "~/lib/markdown.server";
import { slugify } from "~/lib/slug";
import { DomainError, uniqueViolation } from "./errors";

export const THREADS_PER_PAGE = 30;
export const ANSWERS_PER_PAGE = 30;

export type NewThreadInput = {
  boardId: number;
  authorId: number;
  title: string;
  body: string;
  clientToken?: string;
};

/**
 * Opens a thread: the thread row, its question (post 1) and the board's counters, in one
 * transaction. A double submit of the same form (same client token) returns the thread the first
 * submit created instead of creating a second one.
 */
export async function createThread(db: Database, input: NewThreadInput): Promise<{ id: number; slug: string }> {
  const html = renderMarkdown(input.body);
  try {
    return await db.transaction().execute(async (trx) => {
      const thread = await trx
        .insertInto("threads")
        .values({
          board_id: input.boardId,
          author_id: input.authorId,
          title: input.title,
          slug: slugify(input.title),
          last_post_user_id: input.authorId,
        })
        .returning(["id", "slug", "created_at"])
        .executeTakeFirstOrThrow();
      await trx
        .insertInto("posts")
        .values({
          thread_id: thread.id,
          author_id: input.authorId,
          post_number: 1,
          body_md: input.body,
          body_html: html,
          client_token: input.clientToken ?? null,
        })
        .execute();
      await trx
        .updateTable("boards")
        .set((eb) => ({
          thread_count: eb("thread_count", "+", 1),
          post_count: eb("post_count", "+", 1),
          last_post_at: thread.created_at,
          last_thread_id: thread.id,
        }))
        .where("id", "=", input.boardId)
        .execute();
      return { id: thread.id, slug: thread.slug };
    });
  } catch (error) {
    if (uniqueViolation(error) === "posts_client_token" && input.clientToken) {
      const existing = await findByClientToken(db, input.authorId, input.clientToken);
      if (existing) return { id: existing.thread_id, slug: existing.slug };
    }
    throw error;
  }
}

export async function findByClientToken(db: Database, authorId: number, token: string) {
  return db
    .selectFrom("posts as p")
    .innerJoin("threads as t", "t.id", "p.thread_id")
    .select(["p.id", "p.post_number", "p.thread_id", "t.slug"])
    .where("p.author_id", "=", authorId)
    .where("p.client_token", "=", token)
    .executeTakeFirst();
}

/**
 * A board's threads: pinned first, then by latest activity. Keyset pagination: `after` is the id of
 * the last thread of the previous page; the next page starts strictly after its (last_post_at, id),
 * read from the row itself so no timestamp precision is lost in the URL.
 */
export async function listBoardThreads(db: Database, boardId: number, opts: { after?: number | null; limit?: number } = {}) {
  const limit = opts.limit ?? THREADS_PER_PAGE;
  let q = db
    .selectFrom("threads as t")
    .innerJoin("users as a", "a.id", "t.author_id")
    .leftJoin("users as l", "l.id", "t.last_post_user_id")
    .select([
      "t.id",
      "t.slug",
      "t.title",
      "t.status",
      "t.score",
      "t.reply_count",
      "t.view_count",
      "t.pinned",
      "t.locked",
      "t.created_at",
      "t.last_post_at",
      "a.username as author",
      "a.role as author_role",
      "l.username as last_poster",
    ])
    .where("t.board_id", "=", boardId);
  if (opts.after !== undefined && opts.after !== null) {
    // Later pages hold no pinned threads; after=0 means "unpinned threads from the top".
    q = q.where("t.pinned", "=", false);
    if (opts.after > 0) {
      q = q.where(sql<boolean>`(t.last_post_at, t.id) < (select last_post_at, id from threads where id = ${opts.after})`);
    }
  }
  const rows = await q
    .orderBy("t.pinned", "desc")
    .orderBy("t.last_post_at", "desc")
    .orderBy("t.id", "desc")
    .limit(limit + 1)
    .execute();
  const hasMore = rows.length > limit;
  const threads = hasMore ? rows.slice(0, limit) : rows;
  const last = threads.at(-1);
  return { threads, nextAfter: hasMore && last ? (last.pinned ? 0 : last.id) : null };
}

/** The thread with its board and asker: one query. */
export async function getThread(db: Database, id: number) {
  return db
    .selectFrom("threads as t")
    .innerJoin("boards as b", "b.id", "t.board_id")
    .select([
      "t.id",
      "t.slug",
      "t.title",
      "t.status",
      "t.score",
      "t.reply_count",
      "t.view_count",
      "t.pinned",
      "t.locked",
      "t.author_id",
      "t.created_at",
      "t.last_post_at",
      "b.id as board_id",
      "b.slug as board_slug",
      "b.name_zh as board_name_zh",
      "b.name_en as board_name_en",
      "b.needs_verification as board_needs_verification",
    ])
    .where("t.id", "=", id)
    .executeTakeFirst();
}

export function pageCount(replyCount: number): number {
  return Math.max(1, Math.ceil(replyCount / ANSWERS_PER_PAGE));
}

/**
 * One page of a thread: the question (on every page, so the context is never lost) and that page's
 * answers in order, each with its author — a single query whatever the number of answers.
 *
 * The wanted post numbers are listed (`post_number = any(…)`) so both columns of the
 * (thread_id, post_number) index bound the scan: page 1 and page 60 of a 2 000-answer thread cost
 * the same 31 index probes (an `= 1 or between` condition read every post of the thread, ~25 ms for
 * 2 000 answers). The author is joined LATERAL … LIMIT 1 so the planner always looks authors up by
 * primary key rather than hashing the whole users table when it overestimates a long thread's rows.
 */
export async function getThreadPosts(db: Database, threadId: number, page: number) {
  const offset = (page - 1) * ANSWERS_PER_PAGE;
  const numbers = [1];
  for (let n = 2 + offset; n <= 1 + offset + ANSWERS_PER_PAGE; n++) numbers.push(n);
  const rows = await db
    .selectFrom("posts as p")
    .innerJoinLateral(
      (eb) => eb.selectFrom("users").select(["username", "role", "reputation"]).whereRef("users.id", "=", "p.author_id").limit(1).as("u"),
      (join) => join.onTrue(),
    )
    .select([
      "p.id",
      "p.post_number",
      "p.body_html",
      "p.score",
      "p.revision",
      "p.created_at",
      "p.edited_at",
      "p.author_id",
      "u.username as author",
      "u.role as author_role",
      "u.reputation as author_reputation",
    ])
    .where("p.thread_id", "=", threadId)
    .where(sql<boolean>`p.post_number = any(${numbers}::int[])`)
    .orderBy("p.post_number")
    .execute();
  const question = rows.find((r) => r.post_number === 1) ?? null;
  return { question, answers: rows.filter((r) => r.post_number > 1) };
}

export async function threadExists(db: Database, id: number): Promise<boolean> {
  return !!(await db.selectFrom("threads").select("id").where("id", "=", id).executeTakeFirst());
}

export function assertFound<T>(value: T | null | undefined, code = "notFound"): T {
  if (value === null || value === undefined) throw new DomainError(code, 404);
  return value;
}
