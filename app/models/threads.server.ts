import { sql } from "kysely";
import { inTransaction, type Database } from "~db/index";
import { assertSafeText } from "~/safety/guard.server";
import { findWalletAddresses } from "~/safety/addresses";
import { renderMarkdown } from "~/content/markdown.server";
import { threadPath } from "~/web/paths";
import { slugify } from "~/content/slug";
import { DomainError, uniqueViolation, type DomainErrorCode } from "./errors";
import { indexThread } from "./search.server";
import { BOARD_TABS, MAX_TOP_PAGES, parseBoardTab, type BoardTab } from "~/domain/board-tabs";
import { badgeRole, publicPost, publicThread, shownTitle, visibleThreads, type Viewer } from "~/policy/visibility.server";

export const THREADS_PER_PAGE = 30;
export const ANSWERS_PER_PAGE = 30;

export type NewThreadInput = {
  boardId: number;
  authorId: number;
  title: string;
  body: string;
  clientToken?: string;
  /** The author ticked "this is not a recovery phrase" for a warned text (never lifts a block). */
  confirmedNotSecret?: boolean;
};

/** posts.has_address: the Markdown holds a wallet address (readers of a non-staff post get a warning). */
export function hasWalletAddress(md: string): boolean {
  return findWalletAddresses(md).length > 0;
}

/**
 * Opens a thread: the thread row, its question (post 1) and the board's counters, in one
 * transaction. A double submit of the same form (same client token) returns the thread the first
 * submit created instead of creating a second one.
 */
export async function createThread(db: Database, input: NewThreadInput): Promise<{ id: number; slug: string }> {
  // Wallet safety where the text is stored: a phrase in the title or body throws GuardRefusedError.
  const { hasAddress } = assertSafeText({ title: input.title, body: input.body }, { override: input.confirmedNotSecret, markdown: ["body"] });
  const html = renderMarkdown(input.body);
  try {
    return await inTransaction(db, async (trx) => {
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
          has_address: hasAddress,
        })
        .execute();
      await indexThread(trx, thread.id); // search index, same transaction (issue 5)
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

export { BOARD_TABS, MAX_TOP_PAGES, parseBoardTab, type BoardTab };

/**
 * A board's threads, by tab:
 *  - activity (default): pinned first, then latest activity;
 *  - newest: by creation;  unanswered: no answer yet, newest first;
 *  - unsolved / solved: by status, latest activity first;
 *  - top: by the question's score.
 * Keyset pagination everywhere but "top": `after` is the id of the last thread of the previous page;
 * the next page starts strictly after that row's sort key, read from the row itself so no timestamp
 * precision is lost in the URL. "top" uses bounded offset pages (`page`, at most MAX_TOP_PAGES).
 */
export async function listBoardThreads(
  db: Database,
  boardId: number,
  opts: { after?: number | null; limit?: number; tab?: BoardTab; page?: number; viewer?: Viewer } = {},
) {
  const limit = opts.limit ?? THREADS_PER_PAGE;
  const tab = opts.tab ?? "activity";
  let q = db
    .selectFrom("threads as t")
    .innerJoin("users as a", "a.id", "t.author_id")
    .leftJoin("users as l", "l.id", "t.last_post_user_id")
    .select([
      "t.id",
      "t.slug",
      shownTitle("t").as("title"),
      "t.status",
      "t.score",
      "t.reply_count",
      "t.view_count",
      "t.pinned",
      "t.locked",
      "t.created_at",
      "t.last_post_at",
      "t.accepted_post_id",
      "t.verified_post_id",
      "a.username as author",
      // The staff badge: the role only while the account has staff powers (two-factor sign-in on).
      badgeRole("a").as("author_role"),
      "l.username as last_poster",
      "t.hidden_at",
      "t.deleted_at",
      "t.closed_at",
    ])
    .where("t.board_id", "=", boardId);
  // Hidden and deleted threads are listed for staff only (marked), never for anyone else.
  q = visibleThreads(q, opts.viewer);
  const after = opts.after ?? null;
  if (tab === "activity") {
    if (after !== null) {
      // Later pages hold no pinned threads; after=0 means "unpinned threads from the top".
      q = q.where("t.pinned", "=", false);
      if (after > 0) {
        q = q.where(sql<boolean>`(t.last_post_at, t.id) < (select last_post_at, id from threads where id = ${after})`);
      }
    }
    q = q.orderBy("t.pinned", "desc").orderBy("t.last_post_at", "desc").orderBy("t.id", "desc");
  } else if (tab === "newest" || tab === "unanswered") {
    if (tab === "unanswered") q = q.where("t.status", "=", "open");
    if (after !== null && after > 0) q = q.where(sql<boolean>`(t.created_at, t.id) < (select created_at, id from threads where id = ${after})`);
    q = q.orderBy("t.created_at", "desc").orderBy("t.id", "desc");
  } else if (tab === "unsolved" || tab === "solved") {
    q = tab === "solved" ? q.where("t.status", "=", "resolved") : q.where("t.status", "in", ["open", "answered"]);
    if (after !== null && after > 0) q = q.where(sql<boolean>`(t.last_post_at, t.id) < (select last_post_at, id from threads where id = ${after})`);
    q = q.orderBy("t.last_post_at", "desc").orderBy("t.id", "desc");
  } else {
    const page = Math.min(Math.max(1, opts.page ?? 1), MAX_TOP_PAGES);
    q = q.orderBy("t.score", "desc").orderBy("t.id", "desc").offset((page - 1) * limit);
  }
  const rows = await q.limit(limit + 1).execute();
  const hasMore = rows.length > limit;
  const threads = hasMore ? rows.slice(0, limit) : rows;
  const last = threads.at(-1);
  if (tab === "top") {
    const page = Math.min(Math.max(1, opts.page ?? 1), MAX_TOP_PAGES);
    return { threads, nextAfter: null, nextPage: hasMore && page < MAX_TOP_PAGES ? page + 1 : null };
  }
  const nextAfter = hasMore && last ? (tab === "activity" && last.pinned ? 0 : last.id) : null;
  return { threads, nextAfter, nextPage: null };
}

/**
 * The thread with its board, and its timeline (first answer, acceptance, verification, with who
 * did them): one query.
 */
export async function getThread(db: Database, id: number) {
  return db
    .selectFrom("threads as t")
    .innerJoin("boards as b", "b.id", "t.board_id")
    .leftJoin("users as ab", "ab.id", "t.accepted_by")
    .leftJoin("users as vb", "vb.id", "t.verified_by")
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
      "t.hidden_at",
      "t.hidden_reason",
      "t.deleted_at",
      "t.deleted_reason",
      "t.closed_at",
      "t.duplicate_of_thread_id",
      "t.duplicate_of_faq_id",
      // Whether the accepted / verified answer is public (the status counts it only then).
      sql<boolean>`exists (select 1 from posts pa where pa.id = t.accepted_post_id and ${publicPost("pa")})`.as("accepted_public"),
      sql<boolean>`exists (select 1 from posts pv where pv.id = t.verified_post_id and ${publicPost("pv")})`.as("verified_public"),
      sql<string | null>`(select d.slug from threads d where d.id = t.duplicate_of_thread_id and ${publicThread("d")})`.as("duplicate_thread_slug"),
      sql<string | null>`(select d.title from threads d where d.id = t.duplicate_of_thread_id and ${publicThread("d")})`.as("duplicate_thread_title"),
      sql<string | null>`(select e.slug from faq_entries e where e.id = t.duplicate_of_faq_id and e.status = 'published')`.as("duplicate_faq_slug"),
      sql<string | null>`(select e.question from faq_entries e where e.id = t.duplicate_of_faq_id and e.status = 'published')`.as("duplicate_faq_question"),
      // Answers ever posted (post numbers are dense: posts are never removed for good), and those
      // deleted: readers page over the difference, staff over all (getThreadPosts).
      sql<number>`(select coalesce(max(p3.post_number), 1) - 1 from posts p3 where p3.thread_id = t.id)`.as("answer_slots"),
      sql<number>`(select count(*)::int from posts p4 where p4.thread_id = t.id and p4.deleted_at is not null)`.as("deleted_answers"),
      "t.accepted_post_id",
      "t.accepted_at",
      "t.accepted_by",
      "ab.username as accepted_by_name",
      "t.verified_post_id",
      "t.verified_at",
      "t.verified_by",
      "vb.username as verified_by_name",
      sql<Date | null>`(select p2.created_at from posts p2 where p2.thread_id = t.id and p2.post_number = 2)`.as("first_answer_at"),
      // The FAQ (issue 4): this thread's entry, if promoted (slug when published), for the banner.
      sql<number | null>`(select e.id from faq_entries e where e.source_thread_id = t.id)`.as("faq_entry_id"),
      sql<string | null>`(select e.slug from faq_entries e where e.source_thread_id = t.id and e.status = 'published')`.as("faq_slug"),
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

/** How many answer slots a reader pages over: staff see deleted answers too, readers do not. */
export function listedAnswers(slots: number, deletedAnswers: number, staff: boolean): number {
  return staff ? slots : slots - deletedAnswers;
}

/**
 * Where post `postNumber` is read: its page and its anchor. Beyond the first page answers are
 * ordered by votes, so there the link asks for date order, in which the page number holds.
 * `listedBefore`: the answers the reader sees before it (listedAnswers; all earlier ones by default).
 */
export function postPath(threadId: number, slug: string, postNumber: number, listedBefore = postNumber - 1): string {
  const page = pageCount(listedBefore);
  const path = threadPath(threadId, slug, { page, post: postNumber });
  return page > 1 ? path.replace("?", "?sort=date&") : path;
}

export type AnswerSort = "votes" | "date";

/**
 * One page of a thread: the question (on every page, so the context is never lost) and that page's
 * answers, each with its author and the viewer's own vote — a single query whatever the number of
 * answers, votes and authors. Answers come accepted first, then verified, then by score, then
 * oldest; or, with sort "date", oldest first.
 *
 * By date, the wanted post numbers are listed (`post_number = any(…)`) so both columns of the
 * (thread_id, post_number) index bound the scan: page 1 and page 60 of a 2 000-answer thread cost the
 * same index probes. By votes, a subquery picks the page's answer ids in that order. Authors are
 * joined LATERAL … LIMIT 1 so the planner looks them up by primary key rather than hashing the whole
 * users table when it overestimates a long thread's rows.
 */
export async function getThreadPosts(
  db: Database,
  threadId: number,
  page: number,
  opts: {
    sort?: AnswerSort;
    viewerId?: number | null;
    acceptedPostId?: number | null;
    verifiedPostId?: number | null;
    /** Staff see deleted answers (marked); everyone else never gets them. */
    includeDeleted?: boolean;
    /** How many answers of the thread are deleted (getThread's deleted_answers). */
    deletedAnswers?: number;
  } = {},
) {
  const offset = (page - 1) * ANSWERS_PER_PAGE;
  const accepted = opts.acceptedPostId ?? 0;
  const verified = opts.verifiedPostId ?? 0;
  const viewer = opts.viewerId ?? 0;
  const order =
    opts.sort === "date"
      ? sql`p.post_number`
      : sql`(p.id = ${accepted}) desc, (p.id = ${verified}) desc, p.score desc, p.created_at, p.id`;
  const numbers = [1];
  for (let n = 2 + offset; n <= 1 + offset + ANSWERS_PER_PAGE; n++) numbers.push(n);
  // Deleted answers leave gaps in the post numbers readers see: then the page's answers are picked
  // by a subquery over the others (as for the vote order) instead of by number.
  const includeDeleted = !!opts.includeDeleted;
  const byNumber = includeDeleted || (opts.deletedAnswers ?? 1) === 0;
  const notDeleted = includeDeleted ? sql`` : sql`and p.deleted_at is null`;
  const rows = await db
    .selectFrom("posts as p")
    .innerJoinLateral(
      (eb) => eb.selectFrom("users").select(["username", badgeRole("users").as("badge_role"), "reputation"]).whereRef("users.id", "=", "p.author_id").limit(1).as("u"),
      (join) => join.onTrue(),
    )
    .leftJoin("votes as v", (j) => j.onRef("v.post_id", "=", "p.id").on("v.user_id", "=", viewer))
    .select([
      "p.id",
      "p.post_number",
      "p.body_html",
      "p.score",
      "p.revision",
      "p.created_at",
      "p.edited_at",
      "p.author_id",
      "p.hidden_at",
      "p.hidden_reason",
      "p.deleted_at",
      "p.deleted_reason",
      "p.has_address",
      // Only the opening is read: whether it imitates a staff message (imitatesStaff).
      sql<string>`substr(p.body_md, 1, 240)`.as("body_opening"),
      "u.username as author",
      // The staff badge: the role only while the author has staff powers (two-factor sign-in on).
      "u.badge_role as author_role",
      "u.reputation as author_reputation",
      sql<number>`coalesce(v.value, 0)`.as("my_vote"),
    ])
    .where("p.thread_id", "=", threadId)
    .where((eb) =>
      opts.sort === "date" && byNumber
        ? sql<boolean>`p.post_number = any(${numbers}::int[])`
        : eb.or([
            eb("p.post_number", "=", 1),
            eb(
              "p.id",
              "in",
              sql<number>`(select p.id from posts p where p.thread_id = ${threadId} and p.post_number > 1 ${notDeleted} order by ${order} limit ${ANSWERS_PER_PAGE} offset ${offset})`,
            ),
          ]),
    )
    .orderBy(sql`(p.post_number = 1) desc, ${order}`)
    .execute();
  const question = rows.find((r) => r.post_number === 1) ?? null;
  return { question, answers: rows.filter((r) => r.post_number > 1) };
}

/** A post of the thread (its author, for the policy), or undefined when the thread has no such post. */
export function findThreadPost(db: Database, threadId: number, postId: number) {
  return db.selectFrom("posts").select(["id", "author_id"]).where("id", "=", postId).where("thread_id", "=", threadId).executeTakeFirst();
}

export async function threadExists(db: Database, id: number): Promise<boolean> {
  return !!(await db.selectFrom("threads").select("id").where("id", "=", id).executeTakeFirst());
}

export function assertFound<T>(value: T | null | undefined, code: DomainErrorCode = "notFound"): T {
  if (value === null || value === undefined) throw new DomainError(code, 404);
  return value;
}
