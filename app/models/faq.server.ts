/**
 * The official FAQ (issue 4): candidates, promotion with provenance, reading, staleness, feedback and
 * management. Every staff write runs in one transaction with its audit row (audit.server.ts).
 *
 * CANDIDATE SCORE (documented; higher first), for solved threads not yet promoted:
 *   50 if an answer is staff-verified, else 30 if one is accepted
 * + 3 × the best answer's vote score (clamped to 0…30)
 * + 8 × ln(1 + view_count)            (views: at most one per visitor per hour, see views.server.ts)
 * + 4 × ln(1 + reply_count)
 * − 1 per 30 days since the thread was created (older answers go stale)
 */
import { sql } from "kysely";
import { isPublic, publicPost, publicThread, shownTitle } from "~/policy/visibility.server";
import { inTransaction, type Database } from "~db/index";
import { assertSafeText } from "~/safety/guard.server";
import type { FaqStatus } from "~db/types";
import { excerpt, renderMarkdown } from "~/content/markdown.server";
import { slugify } from "~/content/slug";
import { toIndexText } from "~/content/tokenize";
import { plainText } from "~/content/snippet";
import { audit } from "./audit.server";
import { DomainError, uniqueViolation } from "./errors";
import { ipKey, refundLimit, underLimit, type Limited } from "./ratelimit.server";
import { config } from "~/web/config.server";

export function staleDays(): number {
  return config().QUORUM_FAQ_STALE_DAYS;
}

const candidateScore = sql<number>`(
  (case when t.verified_post_id is not null then 50 when t.accepted_post_id is not null then 30 else 0 end)
  + 3 * least(30, greatest(0, coalesce((select max(a.score) from posts a where a.thread_id = t.id and a.post_number > 1), 0)))
  + 8 * ln(1 + t.view_count)
  + 4 * ln(1 + t.reply_count)
  - extract(epoch from (now() - t.created_at)) / 86400 / 30
)`;

export async function listCandidates(db: Database, opts: { board?: string | null; limit?: number } = {}) {
  let qb = db
    .selectFrom("threads as t")
    .innerJoin("boards as b", "b.id", "t.board_id")
    .select([
      "t.id",
      "t.title",
      "t.slug",
      "t.view_count",
      "t.reply_count",
      "t.created_at",
      "t.verified_post_id",
      "t.accepted_post_id",
      "b.slug as board_slug",
      "b.name_zh as board_name_zh",
      "b.name_en as board_name_en",
      candidateScore.as("score"),
    ])
    .where("t.status", "=", "resolved")
    .where(publicThread("t"))
    .where((eb) => eb.not(eb.exists(eb.selectFrom("faq_entries as e").select("e.id").whereRef("e.source_thread_id", "=", "t.id"))))
    .orderBy("score", "desc")
    .orderBy("t.id", "desc")
    .limit(opts.limit ?? 50);
  if (opts.board) qb = qb.where("b.slug", "=", opts.board);
  const rows = await qb.execute();
  return rows.map((r) => ({ ...r, score: Math.round(Number(r.score) * 10) / 10 }));
}

/** The answer an entry is made from: the verified, else the accepted, else the top-voted answer. */
/** An entry's source thread for the staff editor's link (a title that later held a secret is masked). */
export function sourceThread(db: Database, threadId: number) {
  return db.selectFrom("threads as t").select(["t.id", "t.slug", shownTitle("t").as("title")]).where("t.id", "=", threadId).executeTakeFirst();
}

export async function sourceAnswer(db: Database, threadId: number) {
  const t = await db
    .selectFrom("threads")
    .select(["id", "title", "slug", "board_id", "verified_post_id", "accepted_post_id", "hidden_at", "deleted_at"])
    .where("id", "=", threadId)
    .executeTakeFirst();
  if (!t || !isPublic(t)) return null;
  const chosen = t.verified_post_id ?? t.accepted_post_id;
  let qb = db
    .selectFrom("posts as p")
    .innerJoin("users as u", "u.id", "p.author_id")
    .select(["p.id", "p.body_md", "p.revision", "p.author_id", "u.username"])
    .where("p.thread_id", "=", threadId)
    .where("p.post_number", ">", 1)
    .where(publicPost("p"));
  qb = chosen ? qb.where("p.id", "=", chosen) : qb.orderBy("p.score", "desc").orderBy("p.post_number", "asc");
  const post = await qb.limit(1).executeTakeFirst();
  return { thread: t, post: post ?? null };
}

async function uniqueSlug(db: Database, question: string, excludeId?: number): Promise<string> {
  const base = slugify(question);
  for (let i = 1; ; i++) {
    const slug = i === 1 ? base : `${base}-${i}`;
    let qb = db.selectFrom("faq_entries").select("id").where("slug", "=", slug);
    if (excludeId) qb = qb.where("id", "!=", excludeId);
    if (!(await qb.executeTakeFirst())) return slug;
  }
}

export async function indexEntry(db: Database, id: number): Promise<void> {
  const e = await db.selectFrom("faq_entries").select(["question", "answer_md"]).where("id", "=", id).executeTakeFirst();
  if (!e) return;
  await sql`
    update faq_entries set search_vector =
      setweight(to_tsvector('simple', ${toIndexText(e.question)}), 'A') || setweight(to_tsvector('simple', ${toIndexText(plainText(e.answer_md))}), 'D')
    where id = ${id}`.execute(db);
}

export type EntryInput = {
  question: string;
  answerMd: string;
  boardId: number;
  position: number;
  publish: boolean;
  /** The editor ticked "this is not a recovery phrase" for a warned text. */
  confirmedNotSecret?: boolean;
};

/** An official entry is user-written text too, staff's included: guarded before it is stored. */
function guardEntry(input: EntryInput) {
  assertSafeText({ question: input.question, answer: input.answerMd }, { override: input.confirmedNotSecret, markdown: ["answer"] });
}

export async function promoteThread(db: Database, input: EntryInput & { threadId: number; actorId: number }) {
  guardEntry(input);
  try {
    return await inTransaction(db, async (trx) => {
      const t = await trx.selectFrom("threads").select(["id"]).where("id", "=", input.threadId).forUpdate().executeTakeFirst();
      if (!t) throw new DomainError("faq.threadMissing", 404);
      const src = await sourceAnswer(trx, input.threadId);
      if (!src?.post) throw new DomainError("faq.noAnswer", 409);
      const slug = await uniqueSlug(trx, input.question);
      const entry = await trx
        .insertInto("faq_entries")
        .values({
          slug,
          question: input.question,
          answer_md: input.answerMd,
          answer_html: renderMarkdown(input.answerMd),
          board_id: input.boardId,
          position: input.position,
          status: input.publish ? "published" : "draft",
          source_thread_id: input.threadId,
          source_post_id: src.post.id,
          source_revision: src.post.revision,
          source_author_id: src.post.author_id,
          source_author_name: src.post.username,
          promoted_by: input.actorId,
        })
        .returning(["id", "slug", "status"])
        .executeTakeFirstOrThrow();
      await trx
        .insertInto("faq_revisions")
        .values({ entry_id: entry.id, revision: 1, question: input.question, answer_md: input.answerMd, editor_id: input.actorId })
        .execute();
      await indexEntry(trx, entry.id);
      await audit(trx, {
        actorId: input.actorId,
        action: "faq.promote",
        targetType: "faq_entry",
        targetId: entry.id,
        details: { threadId: input.threadId, postId: src.post.id, revision: src.post.revision, status: entry.status },
      });
      return entry;
    });
  } catch (e) {
    if (uniqueViolation(e) === "faq_entries_source_thread_id_key") throw new DomainError("faq.alreadyPromoted", 409);
    throw e;
  }
}

export async function getEntry(db: Database, id: number) {
  return db.selectFrom("faq_entries").selectAll().where("id", "=", id).executeTakeFirst();
}

/** A published entry by slug, with its section and what its credit links to. */
export async function getPublishedBySlug(db: Database, slug: string) {
  return db
    .selectFrom("faq_entries as e")
    .innerJoin("boards as b", "b.id", "e.board_id")
    .leftJoin("threads as t", "t.id", "e.source_thread_id")
    .leftJoin("users as u", "u.id", "e.source_author_id")
    .select([
      "e.id",
      "e.slug",
      "e.question",
      "e.answer_html",
      "e.reviewed_at",
      "e.updated_at",
      "e.source_author_name",
      "e.source_post_id",
      "e.helpful_yes",
      "e.helpful_no",
      "b.slug as board_slug",
      "b.name_zh as board_name_zh",
      "b.name_en as board_name_en",
      "t.id as thread_id",
      "t.slug as thread_slug",
      "t.title as thread_title",
      "u.username as author_username",
    ])
    .where("e.slug", "=", slug)
    .where("e.status", "=", "published")
    .executeTakeFirst();
}

/**
 * How much of each answer the FAQ list carries (for its FAQPage JSON-LD): the list page itself shows
 * questions only, and with hundreds of entries full answers made it ~300 KB and ~21 ms of CPU (issue 7).
 */
export const FAQ_LIST_ANSWER_CHARS = 300;

/** Published entries, grouped by board section in board order, staff position order within. */
export async function listPublished(db: Database) {
  const rows = await db
    .selectFrom("faq_entries as e")
    .innerJoin("boards as b", "b.id", "e.board_id")
    .select(["e.id", "e.slug", "e.question", "e.answer_html", "b.id as board_id", "b.slug as board_slug", "b.name_zh", "b.name_en"])
    .where("e.status", "=", "published")
    .orderBy("b.position")
    .orderBy("b.id")
    .orderBy("e.position")
    .orderBy("e.id")
    .execute();
  const sections: { boardSlug: string; nameZh: string; nameEn: string; entries: { id: number; slug: string; question: string; answerText: string }[] }[] = [];
  for (const r of rows) {
    let s = sections[sections.length - 1];
    if (!s || s.boardSlug !== r.board_slug) sections.push((s = { boardSlug: r.board_slug, nameZh: r.name_zh, nameEn: r.name_en, entries: [] }));
    s.entries.push({ id: r.id, slug: r.slug, question: r.question, answerText: excerpt(r.answer_html, FAQ_LIST_ANSWER_CHARS) });
  }
  return sections;
}

/** The published entry promoted from a thread (for the thread page's banner). */
export async function entryForThread(db: Database, threadId: number) {
  return db
    .selectFrom("faq_entries")
    .select(["id", "slug", "question"])
    .where("source_thread_id", "=", threadId)
    .where("status", "=", "published")
    .executeTakeFirst();
}

export type StaffSort = "position" | "helpful" | "updated";

/**
 * The staff list: every entry with its helpful ratio, and its flags: "source changed" (the source
 * answer was edited after promotion, or another answer is now the verified/accepted one) and
 * "stale" (not reviewed for staleDays()).
 */
export async function listForStaff(db: Database, opts: { sort?: StaffSort } = {}) {
  const days = staleDays();
  let qb = db
    .selectFrom("faq_entries as e")
    .innerJoin("boards as b", "b.id", "e.board_id")
    .leftJoin("threads as t", "t.id", "e.source_thread_id")
    .leftJoin("posts as p", "p.id", "e.source_post_id")
    .select([
      "e.id",
      "e.slug",
      "e.question",
      "e.status",
      "e.position",
      "e.helpful_yes",
      "e.helpful_no",
      "e.reviewed_at",
      "e.updated_at",
      "e.source_thread_id",
      "b.slug as board_slug",
      "b.name_zh",
      "b.name_en",
      sql<boolean>`(
        (p.id is not null and p.revision > coalesce(e.source_revision, 0))
        or (coalesce(t.verified_post_id, t.accepted_post_id) is not null
            and coalesce(t.verified_post_id, t.accepted_post_id) is distinct from e.source_post_id)
      )`.as("source_changed"),
      sql<boolean>`(e.reviewed_at < now() - make_interval(days => ${days}))`.as("stale"),
      sql<number>`(case when e.helpful_yes + e.helpful_no = 0 then null else e.helpful_yes::float / (e.helpful_yes + e.helpful_no) end)`.as("ratio"),
    ]);
  if (opts.sort === "helpful") qb = qb.orderBy(sql`(case when e.helpful_yes + e.helpful_no = 0 then null else e.helpful_yes::float / (e.helpful_yes + e.helpful_no) end) asc nulls last`).orderBy("e.id");
  else if (opts.sort === "updated") qb = qb.orderBy("e.updated_at", "desc").orderBy("e.id");
  else qb = qb.orderBy("b.position").orderBy("b.id").orderBy("e.position").orderBy("e.id");
  return qb.execute();
}

/** The diff inputs: the promoted version of the source answer and its current text. */
export async function sourceComparison(db: Database, entryId: number) {
  const e = await db.selectFrom("faq_entries").select(["id", "source_thread_id", "source_post_id", "source_revision"]).where("id", "=", entryId).executeTakeFirst();
  if (!e || !e.source_post_id) return null;
  const current = await db.selectFrom("posts").select(["id", "body_md", "revision"]).where("id", "=", e.source_post_id).executeTakeFirst();
  let promoted: string | null = null;
  if (current && e.source_revision !== null) {
    if (current.revision === e.source_revision) promoted = current.body_md;
    else {
      const r = await db
        .selectFrom("post_revisions")
        .select("body_md")
        .where("post_id", "=", e.source_post_id)
        .where("revision", "=", e.source_revision)
        .executeTakeFirst();
      promoted = r?.body_md ?? null;
    }
  }
  const fresh = e.source_thread_id ? await sourceAnswer(db, e.source_thread_id) : null;
  return { promoted, current: current?.body_md ?? null, currentPost: fresh?.post ?? null };
}

async function writeRevision(trx: Database, entryId: number, editorId: number, question: string, answerMd: string): Promise<number> {
  const row = await trx
    .updateTable("faq_entries")
    .set((eb) => ({ revision: eb("revision", "+", 1) }))
    .where("id", "=", entryId)
    .returning("revision")
    .executeTakeFirstOrThrow();
  await trx.insertInto("faq_revisions").values({ entry_id: entryId, revision: row.revision, question, answer_md: answerMd, editor_id: editorId }).execute();
  return row.revision;
}

export async function editEntry(db: Database, input: EntryInput & { entryId: number; actorId: number; status?: FaqStatus }) {
  guardEntry(input);
  return inTransaction(db, async (trx) => {
    const e = await trx.selectFrom("faq_entries").selectAll().where("id", "=", input.entryId).forUpdate().executeTakeFirst();
    if (!e) throw new DomainError("faq.missing", 404);
    const slug = e.question === input.question ? e.slug : await uniqueSlug(trx, input.question, e.id);
    const status = input.status ?? (input.publish ? "published" : e.status);
    await trx
      .updateTable("faq_entries")
      .set({
        slug,
        question: input.question,
        answer_md: input.answerMd,
        answer_html: renderMarkdown(input.answerMd),
        board_id: input.boardId,
        position: input.position,
        status,
        updated_at: new Date(),
      })
      .where("id", "=", e.id)
      .execute();
    const changedText = e.question !== input.question || e.answer_md !== input.answerMd;
    const revision = changedText ? await writeRevision(trx, e.id, input.actorId, input.question, input.answerMd) : e.revision;
    await indexEntry(trx, e.id);
    await audit(trx, { actorId: input.actorId, action: "faq.edit", targetType: "faq_entry", targetId: e.id, details: { revision, status } });
    return { slug, status };
  });
}

export async function setStatus(db: Database, input: { entryId: number; actorId: number; status: FaqStatus }) {
  return inTransaction(db, async (trx) => {
    const r = await trx.updateTable("faq_entries").set({ status: input.status, updated_at: new Date() }).where("id", "=", input.entryId).returning("id").executeTakeFirst();
    if (!r) throw new DomainError("faq.missing", 404);
    const action = input.status === "published" ? "faq.publish" : input.status === "archived" ? "faq.archive" : "faq.unpublish";
    await audit(trx, { actorId: input.actorId, action, targetType: "faq_entry", targetId: input.entryId });
  });
}

export async function deleteEntry(db: Database, input: { entryId: number; actorId: number }) {
  return inTransaction(db, async (trx) => {
    const r = await trx.deleteFrom("faq_entries").where("id", "=", input.entryId).returning(["id", "question", "source_thread_id"]).executeTakeFirst();
    if (!r) throw new DomainError("faq.missing", 404);
    await audit(trx, { actorId: input.actorId, action: "faq.delete", targetType: "faq_entry", targetId: r.id, details: { question: r.question, threadId: r.source_thread_id } });
  });
}

export async function markReviewed(db: Database, input: { entryId: number; actorId: number }) {
  return inTransaction(db, async (trx) => {
    const e = await trx.selectFrom("faq_entries").select(["id", "source_thread_id"]).where("id", "=", input.entryId).forUpdate().executeTakeFirst();
    if (!e) throw new DomainError("faq.missing", 404);
    // Reviewed = the current source is accepted as the reference: later edits flag it again.
    const src = e.source_thread_id ? await sourceAnswer(trx, e.source_thread_id) : null;
    await trx
      .updateTable("faq_entries")
      .set({
        reviewed_at: new Date(),
        ...(src?.post ? { source_post_id: src.post.id, source_revision: src.post.revision, source_author_id: src.post.author_id, source_author_name: src.post.username } : {}),
      })
      .where("id", "=", e.id)
      .execute();
    await audit(trx, { actorId: input.actorId, action: "faq.review", targetType: "faq_entry", targetId: e.id });
  });
}

/** Replaces the entry's answer with the current source answer (a new revision), and marks it reviewed. */
export async function updateFromSource(db: Database, input: { entryId: number; actorId: number }) {
  return inTransaction(db, async (trx) => {
    const e = await trx.selectFrom("faq_entries").selectAll().where("id", "=", input.entryId).forUpdate().executeTakeFirst();
    if (!e) throw new DomainError("faq.missing", 404);
    const src = e.source_thread_id ? await sourceAnswer(trx, e.source_thread_id) : null;
    if (!src?.post) throw new DomainError("faq.noSource", 409);
    await trx
      .updateTable("faq_entries")
      .set({
        answer_md: src.post.body_md,
        answer_html: renderMarkdown(src.post.body_md),
        source_post_id: src.post.id,
        source_revision: src.post.revision,
        source_author_id: src.post.author_id,
        source_author_name: src.post.username,
        reviewed_at: new Date(),
        updated_at: new Date(),
      })
      .where("id", "=", e.id)
      .execute();
    const revision = await writeRevision(trx, e.id, input.actorId, e.question, src.post.body_md);
    await indexEntry(trx, e.id);
    await audit(trx, { actorId: input.actorId, action: "faq.update_from_source", targetType: "faq_entry", targetId: e.id, details: { postId: src.post.id, postRevision: src.post.revision, revision } });
  });
}

/** Moves an entry one place up or down within its section (swapping positions). */
export async function moveEntry(db: Database, input: { entryId: number; actorId: number; direction: "up" | "down" }) {
  return inTransaction(db, async (trx) => {
    const e = await trx.selectFrom("faq_entries").select(["id", "board_id", "position"]).where("id", "=", input.entryId).forUpdate().executeTakeFirst();
    if (!e) throw new DomainError("faq.missing", 404);
    const siblings = await trx.selectFrom("faq_entries").select(["id", "position"]).where("board_id", "=", e.board_id).orderBy("position").orderBy("id").forUpdate().execute();
    const i = siblings.findIndex((s) => s.id === e.id);
    const j = input.direction === "up" ? i - 1 : i + 1;
    if (j >= 0 && j < siblings.length) {
      [siblings[i], siblings[j]] = [siblings[j], siblings[i]];
      // Renumber the section 10, 20, 30… so equal positions cannot make a move a no-op.
      for (let k = 0; k < siblings.length; k++)
        await trx.updateTable("faq_entries").set({ position: (k + 1) * 10 }).where("id", "=", siblings[k].id).execute();
    }
    await audit(trx, { actorId: input.actorId, action: "faq.move", targetType: "faq_entry", targetId: e.id, details: { direction: input.direction } });
  });
}

export async function listRevisions(db: Database, entryId: number) {
  return db
    .selectFrom("faq_revisions as r")
    .leftJoin("users as u", "u.id", "r.editor_id")
    .select(["r.revision", "r.question", "r.answer_md", "r.created_at", "u.username"])
    .where("r.entry_id", "=", entryId)
    .orderBy("r.revision", "desc")
    .execute();
}

/**
 * Records (or changes) one voter's feedback; the counters change in the same transaction. The voter
 * key is `u:<id>` for an account, `v:<cookie>` for a visitor.
 */
export async function setFeedback(
  db: Database,
  input: { entryId: number; voterKey: string; helpful: boolean; comment: string | null; confirmedNotSecret?: boolean },
) {
  const raw = input.helpful ? "" : (input.comment ?? "").normalize("NFC").trim();
  // The guard before the length, so no refusal can carry the comment back unmasked.
  if (raw) assertSafeText({ comment: raw }, { override: input.confirmedNotSecret });
  if (raw.length > FEEDBACK_COMMENT_MAX) throw new DomainError("faq.commentTooLong", 400, "comment");
  const comment = raw || null;
  return inTransaction(db, async (trx) => {
    const e = await trx.selectFrom("faq_entries").select("id").where("id", "=", input.entryId).where("status", "=", "published").forUpdate().executeTakeFirst();
    if (!e) throw new DomainError("faq.missing", 404);
    const prev = await trx.selectFrom("faq_feedback").select(["helpful"]).where("entry_id", "=", e.id).where("voter_key", "=", input.voterKey).executeTakeFirst();
    await trx
      .insertInto("faq_feedback")
      .values({ entry_id: e.id, voter_key: input.voterKey, helpful: input.helpful, comment })
      .onConflict((oc) => oc.columns(["entry_id", "voter_key"]).doUpdateSet({ helpful: input.helpful, comment, updated_at: new Date() }))
      .execute();
    const dYes = (input.helpful ? 1 : 0) - (prev?.helpful === true ? 1 : 0);
    const dNo = (input.helpful ? 0 : 1) - (prev?.helpful === false ? 1 : 0);
    if (dYes !== 0 || dNo !== 0)
      await trx
        .updateTable("faq_entries")
        .set((eb) => ({ helpful_yes: eb("helpful_yes", "+", dYes), helpful_no: eb("helpful_no", "+", dNo) }))
        .where("id", "=", e.id)
        .execute();
  });
}

export const FEEDBACK_COMMENT_MAX = 500;

/**
 * Anonymous feedback under its limits: per visitor, and per client address (a post without a cookie
 * is a new visitor every time). A refused or failed write costs no point. Null when recorded.
 */
export async function giveFeedback(
  db: Database,
  input: { entryId: number; voterKey: string; ip: string | null; helpful: boolean; comment: string | null; confirmedNotSecret?: boolean },
): Promise<Limited | null> {
  const ip = ipKey(input.ip);
  const outer = await underLimit(db, "faqFeedbackPerIp", ip, () =>
    underLimit(db, "faqFeedbackPerVisitor", input.voterKey, () => setFeedback(db, input)),
  );
  if (outer.limited) return outer.limited;
  if (outer.result.limited) {
    await refundLimit(db, "faqFeedbackPerIp", ip);
    return outer.result.limited;
  }
  return null;
}

export async function myFeedback(db: Database, entryId: number, voterKey: string | null) {
  if (!voterKey) return null;
  return (await db.selectFrom("faq_feedback").select(["helpful", "comment"]).where("entry_id", "=", entryId).where("voter_key", "=", voterKey).executeTakeFirst()) ?? null;
}

export async function listFeedbackComments(db: Database, entryId: number) {
  return db
    .selectFrom("faq_feedback")
    .select(["helpful", "comment", "updated_at"])
    .where("entry_id", "=", entryId)
    .where("comment", "is not", null)
    .orderBy("updated_at", "desc")
    .limit(100)
    .execute();
}

// ───────── official channels page ─────────

export async function getOfficialPage(db: Database) {
  return db.selectFrom("official_page").select(["body_md", "body_html", "updated_at"]).where("id", "=", 1).executeTakeFirst();
}

export async function saveOfficialPage(db: Database, input: { bodyMd: string; actorId: number; confirmedNotSecret?: boolean }) {
  assertSafeText({ body: input.bodyMd }, { override: input.confirmedNotSecret, markdown: ["body"] });
  return inTransaction(db, async (trx) => {
    await trx
      .insertInto("official_page")
      .values({ id: 1, body_md: input.bodyMd, body_html: renderMarkdown(input.bodyMd), updated_by: input.actorId })
      .onConflict((oc) => oc.column("id").doUpdateSet({ body_md: input.bodyMd, body_html: renderMarkdown(input.bodyMd), updated_by: input.actorId, updated_at: new Date() }))
      .execute();
    await audit(trx, { actorId: input.actorId, action: "official.edit", targetType: "official_page", targetId: 1 });
  });
}
