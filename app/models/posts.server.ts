import { sql } from "kysely";
import { inTransaction, type Database } from "~db/index";
import { assertSafeText } from "~/safety/guard.server";
import { renderMarkdown } from "~/content/markdown.server";
import { slugify } from "~/content/slug";
import { DomainError, uniqueViolation } from "./errors";
import { findByClientToken } from "./threads.server";
import { indexThread } from "./search.server";
import { canRedactRevision, canViewEditHistory, denyReason, type Actor } from "~/policy/policy";
import { audit } from "./audit.server";
import { fitThread, SEEN_POST_COLUMNS, seenSubjects } from "~/policy/visibility.server";

/**
 * Answers a thread. The thread row is locked for the transaction, so post numbers are assigned one
 * at a time and the counters (thread, board) move with the row that moves them. A locked thread
 * refuses new answers unless the author is staff (the policy decided that before; `allowLocked`).
 */
export async function createReply(
  db: Database,
  input: { threadId: number; authorId: number; body: string; clientToken?: string; allowLocked?: boolean; confirmedNotSecret?: boolean },
): Promise<{ id: number; postNumber: number; threadId: number; slug: string }> {
  const { hasAddress } = assertSafeText({ body: input.body }, { override: input.confirmedNotSecret, markdown: ["body"] });
  const html = renderMarkdown(input.body);
  try {
    return await inTransaction(db, async (trx) => {
      const thread = await trx
        .selectFrom("threads")
        .select(["id", "board_id", "slug", "locked", "status", "hidden_at", "deleted_at", "closed_at"])
        .where("id", "=", input.threadId)
        .forUpdate()
        .executeTakeFirst();
      if (!thread) throw new DomainError("notFound", 404);
      // Moderation (issue 8): a hidden or deleted thread takes no answers (restore it first), nor
      // does one closed as a duplicate (the conversation goes on at the target) — not even staff's.
      if (thread.hidden_at || thread.deleted_at) throw new DomainError("threadHidden", 403);
      if (thread.closed_at) throw new DomainError("threadClosed", 403);
      if (thread.locked && !input.allowLocked) throw new DomainError("threadLocked", 403);
      const { next } = await trx
        .selectFrom("posts")
        .select(sql<number>`coalesce(max(post_number), 0) + 1`.as("next"))
        .where("thread_id", "=", thread.id)
        .executeTakeFirstOrThrow();
      const post = await trx
        .insertInto("posts")
        .values({
          thread_id: thread.id,
          author_id: input.authorId,
          post_number: next,
          body_md: input.body,
          body_html: html,
          client_token: input.clientToken ?? null,
          has_address: hasAddress,
        })
        .returning(["id", "post_number", "created_at"])
        .executeTakeFirstOrThrow();
      await indexThread(trx, thread.id); // search index, same transaction (issue 5)
      await trx
        .updateTable("threads")
        .set((eb) => ({
          reply_count: eb("reply_count", "+", 1),
          last_post_at: post.created_at,
          last_post_user_id: input.authorId,
          updated_at: post.created_at,
          status: thread.status === "open" ? "answered" : thread.status,
        }))
        .where("id", "=", thread.id)
        .execute();
      await trx
        .updateTable("boards")
        .set((eb) => ({ post_count: eb("post_count", "+", 1), last_post_at: post.created_at, last_thread_id: thread.id }))
        .where("id", "=", thread.board_id)
        .execute();
      return { id: post.id, postNumber: post.post_number, threadId: thread.id, slug: thread.slug };
    });
  } catch (error) {
    if (uniqueViolation(error) === "posts_client_token" && input.clientToken) {
      const existing = await findByClientToken(db, input.authorId, input.clientToken);
      if (existing) return { id: existing.id, postNumber: existing.post_number, threadId: existing.thread_id, slug: existing.slug };
    }
    throw error;
  }
}

/** A post with what its edit page and the policy need. */
export async function getPostForEdit(db: Database, postId: number) {
  return db
    .selectFrom("posts as p")
    .innerJoin("threads as t", "t.id", "p.thread_id")
    .select([
      "p.id",
      "p.post_number",
      "p.body_md",
      "p.revision",
      "p.author_id",
      "p.thread_id",
      "t.title",
      "t.slug",
      "t.locked",
      "t.author_id as thread_author_id",
      "p.hidden_at",
      "t.hidden_at as thread_hidden_at",
      "p.deleted_at",
      "t.deleted_at as thread_deleted_at",
    ])
    .where("p.id", "=", postId)
    .executeTakeFirst();
}

/**
 * The post an edit form is for, fitted to the viewer: the policy's post.edit rule, then a hidden post
 * (or one of a hidden thread) refused — its form would show the very text that was hidden (a secret,
 * for secrets:scan) and an edit must not bring it back by itself —, and deleted content gone (404),
 * for its author too.
 */
export async function loadEditablePost(db: Database, postId: number, viewer: Actor) {
  const post = await getPostForEdit(db, postId);
  if (!post) return { refused: "notFound", status: 404 } as const;
  const reason = denyReason(viewer, { action: "post.edit", post: { author_id: post.author_id }, thread: { author_id: post.thread_author_id, locked: post.locked } });
  if (reason) return { refused: reason, status: 403 } as const;
  if (post.hidden_at || post.thread_hidden_at) return { refused: "hidden", status: 403 } as const;
  if (post.deleted_at || post.thread_deleted_at) return { refused: "notFound", status: 404 } as const;
  const { hidden_at: _h, thread_hidden_at: _t, deleted_at: _d, thread_deleted_at: _td, ...visible } = post;
  return { post: visible };
}

/**
 * Edits a post (and, for a question, its thread's title). `revision` is the version the editor
 * started from: if someone saved in between, nothing is written and a conflict is reported, so an
 * edit never silently overwrites another. The previous version (body, and title for a question) is
 * kept in post_revisions in the same transaction, credited to whoever made it.
 */
export async function editPost(
  db: Database,
  input: { postId: number; editorId: number; body: string; title?: string; revision: number; confirmedNotSecret?: boolean },
): Promise<{ threadId: number; slug: string; postNumber: number; revision: number }> {
  const fields = input.title === undefined ? { body: input.body } : { title: input.title, body: input.body };
  const { hasAddress } = assertSafeText(fields as { body: string }, { override: input.confirmedNotSecret, markdown: ["body"] });
  const html = renderMarkdown(input.body);
  return inTransaction(db, async (trx) => {
    const current = await trx
      .selectFrom("posts as p")
      .innerJoin("threads as t", "t.id", "p.thread_id")
      .select(["p.id", "p.thread_id", "p.post_number", "p.revision", "p.body_md", "p.author_id", "p.edited_by", "p.edited_at", "p.created_at", "t.title"])
      .where("p.id", "=", input.postId)
      .forUpdate("p")
      .executeTakeFirst();
    if (!current) throw new DomainError("notFound", 404);
    if (current.revision !== input.revision) throw new DomainError("editConflict", 409);
    const isQuestion = current.post_number === 1;
    await trx
      .insertInto("post_revisions")
      .values({
        post_id: current.id,
        revision: current.revision,
        title: isQuestion ? current.title : null,
        body_md: current.body_md,
        editor_id: current.edited_by ?? current.author_id,
        created_at: current.edited_at ?? current.created_at,
      })
      .execute();
    const updated = await trx
      .updateTable("posts")
      .set((eb) => ({
        body_md: input.body,
        body_html: html,
        has_address: hasAddress,
        revision: eb("revision", "+", 1),
        edited_at: new Date(),
        edited_by: input.editorId,
      }))
      .where("id", "=", input.postId)
      .returning(["thread_id", "post_number", "revision"])
      .executeTakeFirstOrThrow();
    let slug: string;
    if (isQuestion && input.title !== undefined) {
      const t = await trx
        .updateTable("threads")
        .set({ title: input.title, slug: slugify(input.title), updated_at: new Date() })
        .where("id", "=", updated.thread_id)
        .returning("slug")
        .executeTakeFirstOrThrow();
      slug = t.slug;
    } else {
      const t = await trx.selectFrom("threads").select("slug").where("id", "=", updated.thread_id).executeTakeFirstOrThrow();
      slug = t.slug;
    }
    await indexThread(trx, updated.thread_id); // search index, same transaction (issue 5)
    return { threadId: updated.thread_id, slug, postNumber: updated.post_number, revision: updated.revision };
  });
}

/** A version of a post; a redacted one has no text (body_md and title null) and says who erased it, when. */
export type RevisionView = {
  revision: number;
  title: string | null;
  body_md: string | null;
  editor: string | null;
  created_at: Date;
  current: boolean;
  redacted: { by: string | null; at: Date } | null;
};

/**
 * A post's full history, oldest first: the kept versions and the current one (two queries, however
 * many versions).
 */
export async function getPostHistory(db: Database, postId: number) {
  const post = await db
    .selectFrom("posts as p")
    .innerJoin("threads as t", "t.id", "p.thread_id")
    .leftJoin("users as e", (j) => j.on(sql`e.id`, "=", sql`coalesce(p.edited_by, p.author_id)`))
    .select([
      "p.id",
      "p.thread_id",
      "p.post_number",
      "p.revision",
      "p.body_md",
      "p.created_at",
      "p.edited_at",
      "t.title",
      "t.slug",
      "e.username as editor",
      ...SEEN_POST_COLUMNS,
    ])
    .where("p.id", "=", postId)
    .executeTakeFirst();
  if (!post) return null;
  const kept = await db
    .selectFrom("post_revisions as r")
    .leftJoin("users as u", "u.id", "r.editor_id")
    .leftJoin("users as x", "x.id", "r.redacted_by")
    .select(["r.revision", "r.title", "r.body_md", "r.created_at", "u.username as editor", "r.redacted_at", "x.username as redactor"])
    .where("r.post_id", "=", postId)
    .orderBy("r.revision")
    .execute();
  const isQuestion = post.post_number === 1;
  const versions: RevisionView[] = [
    ...kept.map(({ redacted_at, redactor, ...r }) => ({ ...r, current: false, redacted: redacted_at ? { by: redactor, at: redacted_at } : null })),
    {
      revision: post.revision,
      title: isQuestion ? post.title : null,
      body_md: post.body_md,
      editor: post.editor,
      created_at: post.edited_at ?? post.created_at,
      current: true,
      redacted: null,
    },
  ];
  return { post, versions };
}

/**
 * A post's edit history fitted to the viewer (the revisions page), or null when they may not see it:
 * hidden or deleted content for staff only, a text that held a secret for nobody, and a thread title
 * that held a secret masked in every version (staff included).
 */
export async function loadPostHistory(db: Database, postId: number, viewer: Actor) {
  const history = await getPostHistory(db, postId);
  if (!history) return null;
  const { post, versions } = history;
  const { post: subject, thread } = seenSubjects(post);
  if (!canViewEditHistory(viewer, subject, thread)) return null;
  const fitted = fitThread(viewer, { ...thread, title: post.title });
  const title = fitted?.title ?? null;
  return {
    post: { id: post.id, thread_id: post.thread_id, post_number: post.post_number, slug: post.slug, title },
    canRedact: canRedactRevision(viewer, subject),
    versions: title === null ? versions.map((v) => ({ ...v, title: null })) : versions,
  };
}

/**
 * Redacts one kept version of a post: its text (body and title) is purged from the row, which stays
 * as "redacted by …, at …"; the audit row names the version, never its text. `actor` null is the
 * secret scanner (no person, no policy check). Refused (403) for anyone canRedactRevision refuses,
 * 404 for a version that does not exist; redacting a redacted version again changes nothing.
 */
export async function redactRevision(
  db: Database,
  input: { postId: number; revision: number; actor: Actor | null; reason?: string },
): Promise<{ redacted: boolean }> {
  return inTransaction(db, async (trx) => {
    const post = await trx.selectFrom("posts").select(["id", "author_id"]).where("id", "=", input.postId).executeTakeFirst();
    if (!post) throw new DomainError("notFound", 404);
    if (input.actor !== null && !canRedactRevision(input.actor, post)) throw new DomainError("forbidden", 403);
    const row = await trx
      .selectFrom("post_revisions")
      .select(["id", "redacted_at"])
      .where("post_id", "=", post.id)
      .where("revision", "=", input.revision)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw new DomainError("notFound", 404);
    if (row.redacted_at) return { redacted: false };
    const actorId = input.actor ? input.actor.id : null;
    await trx.updateTable("post_revisions").set({ body_md: null, title: null, redacted_at: new Date(), redacted_by: actorId }).where("id", "=", row.id).execute();
    await audit(trx, {
      actorId,
      action: "revision.redact",
      targetType: "post",
      targetId: post.id,
      details: { revision: input.revision, ...(input.reason ? { reason: input.reason } : {}) },
    });
    return { redacted: true };
  });
}
