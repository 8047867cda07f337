/**
 * The FAQ as a search source (issue 4, see app/models/search.server.ts): published entries only, their
 * own search_vector built with the same expression as threads' (question A ‖ answer D, tokens from
 * toIndexText), same ranking (ts_rank). Official: listed first and labelled on /search, suggested
 * first on the ask page. Typo (trigram) matching stays thread-only.
 */
import { sql } from "kysely";
import type { Database } from "~db/index";
import { faqPath } from "~/web/paths";
import { highlightAll, plainText, snippet } from "~/content/snippet";
import type { SearchSource } from "./search.server";

export const faqSource: SearchSource = {
  type: "faq",
  official: true,
  async search(db, q, opts) {
    if (!q.tsquery) return [];
    // A status filter is about community threads: "unsolved" has no FAQ entries.
    if (opts.status === "unsolved") return [];
    const tsq = sql`to_tsquery('simple', ${q.tsquery})`;
    let qb = db
      .selectFrom("faq_entries as e")
      .innerJoin("boards as b", "b.id", "e.board_id")
      .select([
        "e.id",
        "e.slug",
        "e.question",
        "e.answer_md",
        "e.updated_at",
        "b.slug as board_slug",
        "b.name_zh as board_name_zh",
        "b.name_en as board_name_en",
        sql<number>`ts_rank(e.search_vector, ${tsq})`.as("score"),
      ])
      .where("e.status", "=", "published")
      .where(sql<boolean>`e.search_vector @@ ${tsq}`);
    if (opts.board) qb = qb.where("b.slug", "=", opts.board);
    const rows = await qb.orderBy(sql`score`, "desc").orderBy("e.position").orderBy("e.id").limit(opts.limit).offset(opts.offset).execute();
    return rows.map((r) => ({
      type: "faq" as const,
      id: r.id,
      url: faqPath(r.slug),
      title: highlightAll(r.question, q.text),
      snippet: snippet(plainText(r.answer_md), q.text),
      solved: true,
      status: "resolved",
      boardSlug: r.board_slug,
      boardNameZh: r.board_name_zh,
      boardNameEn: r.board_name_en,
      replyCount: 0,
      lastActivityAt: r.updated_at,
      score: Number(r.score),
    }));
  },
};

/** Rebuilds every FAQ entry's vector (search:reindex covers the FAQ too). */
export async function reindexFaq(db: Database): Promise<number> {
  const rows = await db.selectFrom("faq_entries").select("id").execute();
  const { indexEntry } = await import("./faq.server");
  for (const r of rows) await indexEntry(db, r.id);
  return rows.length;
}

/** A FAQ suggestion's destination for /search/open: published entries only. */
export async function faqTargetUrl(db: Database, id: number): Promise<string | null> {
  const e = await db.selectFrom("faq_entries").select("slug").where("id", "=", id).where("status", "=", "published").executeTakeFirst();
  return e ? faqPath(e.slug) : null;
}

export async function faqTitles(db: Database, ids: number[]) {
  if (ids.length === 0) return new Map<number, { title: string; url: string }>();
  const rows = await db.selectFrom("faq_entries").select(["id", "slug", "question"]).where("id", "in", ids).execute();
  return new Map(rows.map((r) => [r.id, { title: r.question, url: faqPath(r.slug) }]));
}
