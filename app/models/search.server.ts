/**
 * Forum search (issue 5): the index writer (indexThread, called inside every write transaction),
 * the search page's query, the ask page's suggestions and the deflection statistics.
 *
 * The SQL follows the contract written at the top of app/content/tokenize.ts (and simulated in
 * tests/unit/search-relevance-sim.test.ts):
 *   vector = title (weight A) || question (D) || answers (D), each from toIndexText()
 *   match  = vector @@ to_tsquery('simple', toTsQuery(q))          (a flat, safe OR of lexemes)
 *   score  = ts_rank(vector, query)                                 (default weights, normalization 0)
 *          + for each Latin query word that matches NO visible thread at all (a typo):
 *            strict_word_similarity(word, lower(title)) when ≥ 0.3 (pg_trgm, GIN index on lower(title))
 *   order  = score, then solved before unsolved, then latest activity.
 *
 * Documents come from SEARCH SOURCES (one per type of document). Threads are the only source for
 * now; the FAQ feature adds a source of type "faq" to `searchSources` (see SearchSource): official
 * sources are listed first, labelled, and are the first suggestions on the ask page.
 */
import { sql, type SelectQueryBuilder } from "kysely";
import type { Database } from "~db/index";
import { plainText, highlightAll, snippet, type SnippetPart } from "~/content/snippet";
import { latinQueryWords, MAX_INDEX_LENGTH, MAX_QUERY_LENGTH, queryLexemes, toIndexText, toTsQuery, toTsQueryAll, toTsQueryAnyConcept } from "~/content/tokenize";
import { threadPath } from "~/web/paths";
import { faqSource, faqTargetUrl, faqTitles } from "./faq-search.server";
import { publicPost, SECRET_REASON, visiblePosts, visibleThreads, type Viewer } from "~/policy/visibility.server";
import { guardQuery, type QueryRefusal } from "~/safety/queries";

export const SEARCH_PAGE_SIZE = 20;
/** Deeper pages are not served (offset pagination stays cheap). */
export const SEARCH_MAX_PAGE = 50;
export const SUGGESTION_LIMIT = 5;
/** How many results of an official source (FAQ) lead the first page of "all". */
export const OFFICIAL_FIRST = 5;
/** pg_trgm strict word similarity needed for a typo match (see tokenize.ts). */
export const TRGM_THRESHOLD = 0.3;
/** At most this many unknown Latin words get the trigram fallback. */
const MAX_TYPO_WORDS = 6;
/** Answers indexed per thread (with MAX_INDEX_LENGTH characters in all), to keep vectors small. */
export const MAX_INDEXED_ANSWERS = 50;
/** "Deflected" = opened a suggestion and posted no thread within this many minutes. */
export const DEFLECTION_WINDOW_MINUTES = 30;

export type SearchType = "faq" | "thread";
export type StatusFilter = "solved" | "unsolved";
export type SearchFilters = { board?: string | null; status?: StatusFilter | null; type?: SearchType | null };

export type SearchHit = {
  type: SearchType;
  id: number;
  url: string;
  title: SnippetPart[];
  snippet: SnippetPart[];
  solved: boolean;
  status: string;
  boardSlug: string;
  boardNameZh: string;
  boardNameEn: string;
  replyCount: number;
  lastActivityAt: Date;
  score: number;
  /** Hidden or deleted (only staff get such hits): the page marks them. */
  removed?: boolean;
};

/** A query, prepared once for every source: bounded, tokenized, made safe. */
export type PreparedQuery = {
  /** What the user typed, trimmed and cut to MAX_QUERY_LENGTH ("" when refused). */
  text: string;
  /** Set when the query holds a recovery phrase or key: nothing is searched, nothing echoed. */
  refused: QueryRefusal | null;
  /** The safe OR tsquery, or null when nothing searchable is left. */
  tsquery: string | null;
  /** Its AND form (every concept; toTsQueryAll), or null with fewer than two concepts. */
  tsqueryAll: string | null;
  /** Any whole concept (toTsQueryAnyConcept), or null when that is the OR tsquery itself. */
  tsqueryAnyConcept: string | null;
  /** How many lexemes the OR tsquery has (ts_rank divides by it). */
  lexemeCount: number;
  latin: { word: string; tsquery: string }[];
};

export function prepareQuery(raw: string | null | undefined): PreparedQuery {
  // The whole input is checked, not just the part searched: a phrase cut in two would still be echoed.
  const refused = guardQuery(raw);
  const text = refused ? "" : (raw ?? "").slice(0, MAX_QUERY_LENGTH).trim();
  return {
    text,
    refused,
    tsquery: text ? toTsQuery(text) : null,
    tsqueryAll: text ? toTsQueryAll(text) : null,
    tsqueryAnyConcept: text ? toTsQueryAnyConcept(text) : null,
    lexemeCount: text ? queryLexemes(text).length : 0,
    latin: text ? latinQueryWords(text).slice(0, MAX_TYPO_WORDS) : [],
  };
}

export type { QueryRefusal };

/** Why a search or suggestion query would not be run (a phrase or key in it), or null. */
export function queryRefusal(raw: string | null | undefined): QueryRefusal | null {
  return guardQuery(raw);
}

export function isSearchable(q: PreparedQuery): boolean {
  return q.tsquery !== null || q.latin.length > 0;
}

type SourceOptions = SearchFilters & { limit: number; offset: number; forSuggestions?: boolean; viewer?: Viewer };

/**
 * One kind of searchable document. `official` sources (the FAQ) come first in results and in
 * suggestions. A FAQ source keeps its own search_vector built with the same expression (title A ||
 * body D from toIndexText) and returns the same SearchHit shape with type "faq".
 */
export type SearchSource = {
  type: SearchType;
  official: boolean;
  search: (db: Database, q: PreparedQuery, opts: SourceOptions) => Promise<SearchHit[]>;
};

// ───────────────────────── visibility ─────────────────────────

// THE predicates for threads search may show (alias "t") and posts whose text is indexed (alias
// "p") live in app/policy/visibility.server.ts (moderation): hidden and deleted content is neither
// indexed nor found, except by staff, who find hidden and deleted threads too.
export { visibleThreads, visiblePosts };

// ───────────────────────── index ─────────────────────────

/**
 * Recomputes one thread's search vector from its title, question and answers. Call it inside the
 * transaction of every write that changes them (createThread, createReply, editPost, moderation),
 * so the index is never stale. Two queries.
 */
export async function indexThread(db: Database, threadId: number): Promise<void> {
  await indexThreads(db, [threadId]);
}

/** Recomputes the vectors of several threads: one query to read, one to write, whatever their number. */
export async function indexThreads(db: Database, threadIds: number[]): Promise<void> {
  if (threadIds.length === 0) return;
  // Public posts only, chosen in the join so that a thread whose posts are all hidden still gets
  // its (title-only) vector rewritten.
  const rows = await db
    .selectFrom("threads as t")
    .leftJoin("posts as p", (join) =>
      join.onRef("p.thread_id", "=", "t.id").on("p.post_number", "<=", MAX_INDEXED_ANSWERS + 1).on(publicPost("p")),
    )
    .select(["t.id", "t.title", "p.post_number", "p.body_md"])
    .where("t.id", "in", threadIds)
    .orderBy("t.id")
    .orderBy("p.post_number")
    .execute();
  const docs = new Map<number, { title: string; question: string; answers: string }>();
  for (const r of rows) {
    let d = docs.get(r.id);
    if (!d) docs.set(r.id, (d = { title: r.title, question: "", answers: "" }));
    if (r.post_number === null || r.body_md === null) continue;
    if (r.post_number === 1) d.question = plainText(r.body_md);
    else if (d.answers.length < MAX_INDEX_LENGTH) d.answers += plainText(r.body_md) + "\n";
  }
  if (docs.size === 0) return;
  const ids: number[] = [];
  const titles: string[] = [];
  const questions: string[] = [];
  const answers: string[] = [];
  for (const [id, d] of docs) {
    ids.push(id);
    titles.push(toIndexText(d.title));
    questions.push(toIndexText(d.question));
    answers.push(toIndexText(d.answers));
  }
  await sql`
    update threads as t
    set search_title = setweight(to_tsvector('simple', v.title), 'A'),
      search_vector = setweight(to_tsvector('simple', v.title), 'A')
      || setweight(to_tsvector('simple', v.question), 'D')
      || setweight(to_tsvector('simple', v.answers), 'D')
    from unnest(${ids}::bigint[], ${titles}::text[], ${questions}::text[], ${answers}::text[]) as v(id, title, question, answers)
    where t.id = v.id`.execute(db);
}

/** Rebuilds every thread's vector, `batch` threads per transaction. Returns how many were indexed. */
export async function reindexAll(db: Database, opts: { batch?: number; onProgress?: (n: number) => void } = {}): Promise<number> {
  const batch = opts.batch ?? 200;
  let after = 0;
  let done = 0;
  for (;;) {
    const ids = await db.selectFrom("threads").select("id").where("id", ">", after).orderBy("id").limit(batch).execute();
    if (ids.length === 0) return done;
    await db.transaction().execute((trx) => indexThreads(trx, ids.map((r) => r.id)));
    done += ids.length;
    after = ids[ids.length - 1].id;
    opts.onProgress?.(done);
  }
}

// ───────────────────────── threads source ─────────────────────────

// Bounded search (issue 7). Ranking every match of a common word read and scored tens of thousands of
// vectors (1.9 s over 1 M posts). Instead, a few CANDIDATE TIERS each take the N most recently active
// matching threads, and only their union (≤ ~200 threads) is ranked, with the same score and order as
// before. Why these tiers: with ts_rank's default weights a query term found in the title adds at least
// 0.608/n to the score and a term found only in the body at most 0.1/n (n = number of query lexemes),
// so title matches come first, and among them those with every concept of the query:
//   A. the title contains every concept (toTsQueryAll)      TITLE_CANDIDATES, newest first
//   A'. the title contains a whole concept (a Chinese word's every bigram; toTsQueryAnyConcept), idem
//   B. the title contains any term                           TITLE_CANDIDATES, newest first
//   T. typo candidates: titles similar to an unknown Latin word (pg_trgm), most similar first
//   C/D. the whole vector contains every concept / a whole concept / any term: BODY_CANDIDATES among the BODY_WALK most
//      recently active threads, or from the GIN index if that window holds fewer. Only when the title
//      tiers found fewer candidates than the page needs, or with more than TITLE_DOMINATES_UP_TO
//      lexemes (then body-only threads can outrank title matches).
// Results are exactly the old ones whenever every tier holds all of its matches (any small forum, the
// relevance fixture); on a large forum, a tier with more matches than its N keeps its newest, so among
// threads of (nearly) the same score recency decides — measured against the exact ranking in
// tests/bench/RESULTS.md. Every tier is a bounded walk over the most recently active threads (title
// tiers index-only, over threads_activity_search), then the GIN index for words too rare to fill it
// there (newestMatches). Every search runs with enable_seqscan off: the planner prices `@@` on a
// TOASTed vector like any cheap operator and would scan the table for a word that matches nothing.
/** Candidates from each title tier (the most recently active matching threads). */
export const TITLE_CANDIDATES = 40;
/** How many of the most recently active threads a title tier reads (index-only) before asking the GIN index. */
export const TITLE_WALK = 1000;
/** Candidates from each body tier. */
export const BODY_CANDIDATES = 30;
/** How many of the most recently active threads a body tier reads before asking the GIN index. */
export const BODY_WALK = 300;
/** Up to this many query lexemes, any title match outranks every body-only match (6 × 0.1 < 0.608). */
const TITLE_DOMINATES_UP_TO = 6;

/** The threads a search may return under these filters (alias "t"). */
function candidatePool(trx: Database, opts: SourceOptions) {
  // Suggestions never offer removed threads, even to staff; search shows them to staff, marked.
  let qb = visibleThreads(trx.selectFrom("threads as t"), opts.forSuggestions ? null : opts.viewer);
  if (opts.board) qb = qb.where("t.board_id", "=", (eb) => eb.selectFrom("boards").select("boards.id").where("boards.slug", "=", opts.board!));
  if (opts.status === "solved") qb = qb.where("t.status", "=", "resolved");
  if (opts.status === "unsolved") qb = qb.where("t.status", "<>", "resolved");
  if (opts.forSuggestions) qb = qb.where("t.status", "in", ["resolved", "answered"]);
  return qb;
}

/** Most recently active first: the order of threads_activity_search. */
const NEWEST = sql`t.last_post_at desc, t.id desc`;

type Tier = { tier: number; id: number };

async function unionAll(trx: Database, parts: unknown[]): Promise<Tier[]> {
  if (parts.length === 0) return [];
  const rows = await sql<{ tier: number; id: string | number }>`${sql.join(
    parts.map((p) => sql`(${p as never})`),
    sql` union all `,
  )}`.execute(trx);
  return rows.rows.map((r) => ({ tier: Number(r.tier), id: Number(r.id) }));
}

/**
 * Runs `fn` with index walks off, so that a `@@` lookup goes through its GIN index (a bitmap scan)
 * rather than a walk of another index that checks every row's vector (the planner does not know that
 * `@@` on a TOASTed vector is expensive: it would walk all 100 000 threads for a word that matches none).
 */
async function bitmapOnly<T>(trx: Database, fn: () => Promise<T>): Promise<T> {
  await sql`select set_config('enable_indexscan', 'off', true)`.execute(trx);
  const r = await fn();
  await sql`select set_config('enable_indexscan', 'on', true)`.execute(trx);
  return r;
}

/** The ids of the `window` most recently active threads of the pool: an index-only scan of threads_activity_search. */
function recentIds(trx: Database, opts: SourceOptions, window: number) {
  return sql<boolean>`t.id = any(array(${candidatePool(trx, opts).select("t.id").orderBy(NEWEST).limit(window)}))`;
}

/**
 * For each tsquery, up to k of the most recently active threads whose `column` matches it: first among
 * the `window` most recently active threads (a bounded walk, cheap whatever the word: index-only for
 * titles, `window` vectors for bodies), then, for the tsqueries that found fewer there (rare words),
 * from the GIN index. `also` joins the first statement (typo candidates). 1–3 queries.
 */
async function newestMatches(trx: Database, opts: SourceOptions, column: "search_title" | "search_vector", tsqs: string[], k: number, window: number, also: unknown[] = []) {
  const match = (tsq: string) => sql<boolean>`${sql.ref(`t.${column}`)} @@ to_tsquery('simple', ${tsq})`;
  const walk = (tsq: string, i: number) =>
    column === "search_title"
      ? trx
          .selectFrom(candidatePool(trx, opts).select(["t.id", "t.search_title", "t.last_post_at"]).orderBy(NEWEST).limit(window).as("t"))
          .select([sql<number>`${i}::int`.as("tier"), "t.id"])
          .where(match(tsq))
          .orderBy(NEWEST)
          .limit(k)
      : candidatePool(trx, opts).select([sql<number>`${i}::int`.as("tier"), "t.id"]).where(recentIds(trx, opts, window)).where(match(tsq)).orderBy(NEWEST).limit(k);
  const walked = await unionAll(trx, [...tsqs.map(walk), ...also]);
  const short = tsqs.map((tsq, i) => ({ tsq, i })).filter(({ i }) => walked.filter((r) => r.tier === i).length < k);
  if (short.length === 0) return walked.map((r) => r.id);
  const rare = await bitmapOnly(trx, () =>
    unionAll(
      trx,
      short.map(({ tsq, i }) => candidatePool(trx, opts).select([sql<number>`${i}::int`.as("tier"), "t.id"]).where(match(tsq)).orderBy(NEWEST).limit(k)),
    ),
  );
  return [...walked, ...rare].map((r) => r.id);
}

/** The candidate threads of a query: see the tiers above. 1–6 queries. */
async function candidates(trx: Database, q: PreparedQuery, typos: string[], opts: SourceOptions): Promise<number[]> {
  const need = opts.offset + opts.limit;
  const tsqs = [q.tsqueryAll, q.tsqueryAnyConcept, q.tsquery].filter((x): x is string => !!x);
  const similar = typos.map((w) =>
    candidatePool(trx, opts)
      .select([sql<number>`-1::int`.as("tier"), "t.id"])
      .where(sql<boolean>`lower(t.title) %>> ${w}`)
      .orderBy(sql`strict_word_similarity(${w}, lower(t.title))`, "desc")
      .orderBy("t.id", "desc")
      .limit(Math.max(TITLE_CANDIDATES, need)),
  );
  const ids = new Set(await newestMatches(trx, opts, "search_title", tsqs, Math.max(TITLE_CANDIDATES, need), TITLE_WALK, similar));
  if (tsqs.length === 0 || (ids.size > need && q.lexemeCount <= TITLE_DOMINATES_UP_TO)) return [...ids];
  for (const id of await newestMatches(trx, opts, "search_vector", tsqs, Math.max(BODY_CANDIDATES, need), BODY_WALK)) ids.add(id);
  return [...ids];
}

/**
 * Latin query words that match no visible thread: they get the trigram (typo) fallback. One query
 * when every word is found among the 50 most recently active threads; the others are then looked up
 * in the GIN index (cheap for a word that is rare or absent, which is then the likely case). Runs in
 * the search transaction (bitmapOnly sets transaction-local settings).
 */
async function unknownWords(db: Database, q: PreparedQuery, viewer?: Viewer): Promise<string[]> {
  if (q.latin.length === 0) return [];
  const probe = async (words: PreparedQuery["latin"], recent: boolean) => {
    const row = await db
      .selectNoFrom((eb) =>
        words.map((w, i) => {
          let qb = visibleThreads(eb.selectFrom("threads as t").select(sql`1`.as("one")).where(sql<boolean>`t.search_vector @@ to_tsquery('simple', ${w.tsquery})`), viewer);
          if (recent) qb = qb.where(recentIds(db, { limit: 0, offset: 0, viewer }, 50));
          return eb.exists(qb).as(`w${i}`);
        }),
      )
      .executeTakeFirstOrThrow();
    return words.filter((_, i) => !(row as Record<string, boolean>)[`w${i}`]);
  };
  const notRecent = await probe(q.latin, true);
  if (notRecent.length === 0) return [];
  return (await bitmapOnly(db, () => probe(notRecent, false))).map((w) => w.word);
}

const threadSource: SearchSource = {
  type: "thread",
  official: false,
  async search(db, q, opts) {
    const rows = await db.transaction().execute(async (trx) => {
      // The trigram threshold for %>>; no table scans (see the tiers above; GIN lookups go through
      // bitmapOnly); no JIT: the cost penalty of a disabled plan type would trigger ~300 ms of
      // compilation.
      await sql`select set_config('pg_trgm.strict_word_similarity_threshold', ${String(TRGM_THRESHOLD)}, true),
                       set_config('enable_seqscan', 'off', true), set_config('jit', 'off', true)`.execute(trx);
      const typos = await unknownWords(trx, q, opts.viewer);
      if (!q.tsquery && typos.length === 0) return [];
      const ids = await candidates(trx, q, typos, opts);
      if (ids.length === 0) return [];
      const tsq = q.tsquery ? sql`to_tsquery('simple', ${q.tsquery})` : null;
      const similarity = typos.map(
        (w) => sql<number>`(case when strict_word_similarity(${w}, lower(t.title)) >= ${TRGM_THRESHOLD} then strict_word_similarity(${w}, lower(t.title)) else 0 end)`,
      );
      const score = sql<number>`(${tsq ? sql`ts_rank(t.search_vector, ${tsq})` : sql`0`}${sql.join(
        similarity.map((s) => sql` + ${s}`),
        sql``,
      )})`;
      // Candidates were drawn from candidatePool (visibility and filters); the match condition is the
      // same as ever, so a candidate of the typo tier that the tsquery does not match still qualifies.
      return trx
        .selectFrom("threads as t")
        .innerJoin("boards as b", "b.id", "t.board_id")
        .innerJoin("posts as p", (join) => join.onRef("p.thread_id", "=", "t.id").on("p.post_number", "=", 1))
        .select([
          "t.id",
          "t.slug",
          "t.title",
          "t.status",
          "t.reply_count",
          "t.last_post_at",
          "t.hidden_at",
          "t.deleted_at",
          "b.slug as board_slug",
          "b.name_zh as board_name_zh",
          "b.name_en as board_name_en",
          // A question hidden for holding a secret gives no snippet, to staff neither.
          sql<string>`(case when p.hidden_reason = ${SECRET_REASON} then '' else left(p.body_md, 4000) end)`.as("body"),
          score.as("score"),
        ])
        .where(sql<boolean>`t.id = any(${ids}::bigint[])`)
        // A thread whose title held a secret is found by nobody: a match would confirm the secret.
        .where(sql<boolean>`t.hidden_reason is distinct from ${SECRET_REASON}`)
        .where((eb) => {
          const matches = [
            ...(tsq ? [sql<boolean>`t.search_vector @@ ${tsq}`] : []),
            ...typos.map((w) => sql<boolean>`lower(t.title) %>> ${w}`),
          ];
          return eb.or(matches.map((m) => eb(m, "=", true)));
        })
        .orderBy(sql`score`, "desc")
        .orderBy(sql`(t.status = 'resolved')`, "desc")
        .orderBy("t.last_post_at", "desc")
        .orderBy("t.id", "desc")
        .limit(opts.limit)
        .offset(opts.offset)
        .execute();
    });
    return rows.map((r) => ({
      type: "thread" as const,
      id: r.id,
      url: threadPath(r.id, r.slug),
      title: highlightAll(r.title, q.text),
      snippet: snippet(plainText(r.body), q.text),
      solved: r.status === "resolved",
      status: r.status,
      boardSlug: r.board_slug,
      boardNameZh: r.board_name_zh,
      boardNameEn: r.board_name_en,
      replyCount: r.reply_count,
      lastActivityAt: r.last_post_at,
      score: Number(r.score),
      removed: r.hidden_at !== null || r.deleted_at !== null,
    }));
  },
};

/** Every source, official ones first. The FAQ feature adds its source here. */
export const searchSources: SearchSource[] = [faqSource, threadSource];

// ───────────────────────── search page and suggestions ─────────────────────────

export type SearchPage = { query: string; refused: QueryRefusal | null; official: SearchHit[]; hits: SearchHit[]; page: number; hasMore: boolean };

/**
 * The search page: on page 1 of "all", up to OFFICIAL_FIRST results of official sources (FAQ)
 * lead; the other sources are paginated (SEARCH_PAGE_SIZE per page). Filtering by type shows that
 * type alone, paginated.
 */
export async function searchForum(
  db: Database,
  raw: string | null | undefined,
  filters: SearchFilters = {},
  page = 1,
  viewer?: Viewer,
): Promise<SearchPage> {
  const q = prepareQuery(raw);
  page = Math.min(Math.max(1, Math.floor(page) || 1), SEARCH_MAX_PAGE);
  const empty = { query: q.text, refused: q.refused, official: [], hits: [], page, hasMore: false };
  if (!isSearchable(q)) return empty;
  const official: SearchHit[] = [];
  const wanted = searchSources.filter((s) => !filters.type || s.type === filters.type);
  const paged = filters.type ? wanted : wanted.filter((s) => !s.official);
  if (!filters.type && page === 1) {
    for (const s of wanted.filter((s) => s.official)) {
      official.push(...(await s.search(db, q, { ...filters, limit: OFFICIAL_FIRST, offset: 0 })));
    }
  }
  const hits: SearchHit[] = [];
  let hasMore = false;
  for (const s of paged) {
    const rows = await s.search(db, q, { ...filters, limit: SEARCH_PAGE_SIZE + 1, offset: (page - 1) * SEARCH_PAGE_SIZE, viewer });
    if (rows.length > SEARCH_PAGE_SIZE) hasMore = true;
    hits.push(...rows.slice(0, SEARCH_PAGE_SIZE));
  }
  hits.sort((a, b) => b.score - a.score || Number(b.solved) - Number(a.solved));
  return { query: q.text, refused: null, official, hits: hits.slice(0, SEARCH_PAGE_SIZE), page, hasMore: hasMore && page < SEARCH_MAX_PAGE };
}

/**
 * Up to SUGGESTION_LIMIT entries for a title being typed on the ask page: official entries (FAQ)
 * first, then solved threads (and, while few threads are marked solved, answered ones), solved
 * first at equal relevance.
 */
export async function suggestSimilar(db: Database, title: string | null | undefined): Promise<SearchHit[]> {
  const q = prepareQuery(title);
  if (!isSearchable(q)) return [];
  const out: SearchHit[] = [];
  for (const s of searchSources) {
    if (out.length >= SUGGESTION_LIMIT) break;
    out.push(...(await s.search(db, q, { limit: SUGGESTION_LIMIT - out.length, offset: 0, forSuggestions: true })));
  }
  return out;
}

// ───────────────────────── deflection ─────────────────────────

export type SuggestionTarget = { type: SearchType; id: number };

/** Records that suggestions were shown to, or opened by, a visitor on the ask page. One query. */
export async function recordSuggestionEvents(db: Database, visitorKey: string, kind: "shown" | "opened", targets: SuggestionTarget[]) {
  if (targets.length === 0) return;
  await db
    .insertInto("suggestion_events")
    .values(targets.map((t) => ({ kind, target_type: t.type, target_id: t.id, visitor_key: visitorKey })))
    .execute();
}

/** Records that the visitor posted a question (ends any deflection window open for them). */
export async function recordPosted(db: Database, visitorKey: string) {
  await db.insertInto("suggestion_events").values({ kind: "posted", target_type: null, target_id: null, visitor_key: visitorKey }).execute();
}

export function visitorKeyForUser(userId: number): string {
  return `u:${userId}`;
}

/** A suggestion's destination (for /search/open), or null if it is not a visible document. */
export async function suggestionTargetUrl(db: Database, target: SuggestionTarget): Promise<string | null> {
  if (target.type === "faq") return faqTargetUrl(db, target.id);
  if (target.type !== "thread") return null;
  const row = await visibleThreads(db.selectFrom("threads as t").select(["t.id", "t.slug"]).where("t.id", "=", target.id)).executeTakeFirst();
  return row ? threadPath(row.id, row.slug) : null;
}

export type DeflectionRow = {
  targetType: SearchType;
  targetId: number;
  title: string | null;
  url: string | null;
  shown: number;
  opened: number;
  deflected: number;
};

/**
 * Per suggested entry: distinct visitors it was shown to, who opened it from the ask page, and of
 * those, who then posted no question within DEFLECTION_WINDOW_MINUTES (only windows that have
 * closed count). Most opened first.
 */
export async function deflectionStats(db: Database, limit = 100): Promise<DeflectionRow[]> {
  const minutes = DEFLECTION_WINDOW_MINUTES;
  const rows = await db
    .selectFrom("suggestion_events as e")
    .select([
      "e.target_type",
      "e.target_id",
      sql<number>`count(distinct e.visitor_key) filter (where e.kind = 'shown')`.as("shown"),
      sql<number>`count(distinct e.visitor_key) filter (where e.kind = 'opened')`.as("opened"),
      sql<number>`count(distinct e.visitor_key) filter (where e.kind = 'opened'
        and e.created_at < now() - make_interval(mins => ${minutes})
        and not exists (select 1 from suggestion_events x where x.kind = 'posted' and x.visitor_key = e.visitor_key
          and x.created_at >= e.created_at and x.created_at < e.created_at + make_interval(mins => ${minutes})))`.as("deflected"),
    ])
    .where("e.target_type", "is not", null)
    .groupBy(["e.target_type", "e.target_id"])
    .orderBy(sql`4`, "desc")
    .orderBy(sql`3`, "desc")
    .limit(limit)
    .execute();
  const threadIds = rows.filter((r) => r.target_type === "thread").map((r) => Number(r.target_id));
  const threads = threadIds.length
    ? await db.selectFrom("threads").select(["id", "slug", "title"]).where("id", "in", threadIds).execute()
    : [];
  const byId = new Map(threads.map((t) => [t.id, t]));
  const faqs = await faqTitles(db, rows.filter((r) => r.target_type === "faq").map((r) => Number(r.target_id)));
  return rows.map((r) => {
    const t = r.target_type === "thread" ? byId.get(Number(r.target_id)) : undefined;
    const f = r.target_type === "faq" ? faqs.get(Number(r.target_id)) : undefined;
    return {
      targetType: r.target_type as SearchType,
      targetId: Number(r.target_id),
      title: t?.title ?? f?.title ?? null,
      url: t ? threadPath(t.id, t.slug) : (f?.url ?? null),
      shown: Number(r.shown),
      opened: Number(r.opened),
      deflected: Number(r.deflected),
    };
  });
}

/** What the ask page shows for a suggestion: its title and the /search/open link that records the click. */
export function toSuggestionView(hit: SearchHit) {
  return {
    type: hit.type,
    id: hit.id,
    title: hit.title.map((p) => p.text).join(""),
    openUrl: `/search/open?type=${hit.type}&id=${hit.id}`,
    status: hit.status,
  };
}
