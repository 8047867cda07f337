/**
 * In-memory simulation of the forum's PostgreSQL search, to tune app/content/tokenize.ts on the
 * relevance fixture (tests/fixtures/search-corpus.ts) before the SQL exists.
 *
 * What is simulated, and how faithfully:
 *  - index: `setweight(to_tsvector('simple', toIndexText(title)), 'A') ||
 *            setweight(to_tsvector('simple', toIndexText(body)), 'D')`.
 *    toIndexText() emits space-separated tokens that PostgreSQL's default parser keeps as one lexeme
 *    each, and the 'simple' dictionary only lower-cases (already done), so lexeme = token and
 *    position = 1-based token index. `||` shifts the body positions by the title's last position.
 *    Positions are capped like PostgreSQL's (16383, at most 256 per lexeme).
 *  - match: `tsv @@ to_tsquery('simple', toTsQuery(q))`. toTsQuery only produces a flat OR of quoted
 *    operands (`'a' | 'b':*`), which is all this parser accepts (it throws otherwise, so a change of
 *    semantics in the tokenizer cannot go unnoticed here).
 *  - rank: `ts_rank(tsv, query)` with the default weights {D 0.1, C 0.2, B 0.4, A 1.0} and
 *    normalization 0: a line-by-line port of calc_rank_or() from src/backend/utils/adt/tsrank.c
 *    (operands de-duplicated by text, prefix operands summing over every matching lexeme, float4
 *    arithmetic), since the root operator is OR.
 *  - typos: for each Latin word of the query that matches no document at all (its one-term
 *    tsquery from latinQueryWords() finds nothing), `strict_word_similarity(word, title)` from
 *    pg_trgm (a port of calc_word_similarity()/iterate_word_similarity() in contrib/pg_trgm/trgm_op.c:
 *    3-grams of each lower-cased word padded with two spaces in front and one after) is added to the
 *    score when it is ≥ 0.3; documents reaching 0.3 are candidates even without a full-text match.
 *    (Plain similarity(word, title) is diluted by the title's length: 0.24 for "withdrawl" against
 *    "How long does a withdrawal take", so it cannot find anything at 0.3.)
 *  - final order: score DESC. Ties are resolved AGAINST the expected document (it is placed after
 *    every document with the same score), so a pass never depends on insertion order.
 */
import { describe, expect, it } from "vitest";
import { latinQueryWords, toIndexText, toTsQuery } from "../../app/content/tokenize";
import { SEARCH_DOCS, SEARCH_QUERIES, type FixtureDoc } from "../fixtures/search-corpus";

// ───────────────────────── tsvector ─────────────────────────

const WEIGHT_A = 3;
const WEIGHT_D = 0;
/** ts_rank default weights, indexed by weight (D=0, C=1, B=2, A=3). */
const DEFAULT_WEIGHTS = [0.1, 0.2, 0.4, 1.0].map(Math.fround);
const MAXENTRYPOS = 1 << 14;
const MAXNUMPOS = 256;

type Pos = { pos: number; weight: number };
/** A tsvector: lexeme → positions (ascending), plus lexemes sorted for prefix search. */
type TsVector = { entries: Map<string, Pos[]>; sorted: string[] };

function toTsvector(indexText: string, weight: number): Map<string, Pos[]> {
  const entries = new Map<string, Pos[]>();
  const tokens = indexText.split(" ").filter(Boolean);
  tokens.forEach((lexeme, i) => {
    const pos = Math.min(i + 1, MAXENTRYPOS - 1);
    const list = entries.get(lexeme) ?? [];
    if (list.length < MAXNUMPOS && (list.length === 0 || list[list.length - 1].pos !== pos)) {
      list.push({ pos, weight });
    }
    entries.set(lexeme, list);
  });
  return entries;
}

function maxPos(v: Map<string, Pos[]>): number {
  let m = 0;
  for (const list of v.values()) for (const p of list) m = Math.max(m, p.pos);
  return m;
}

/** `a || b`: positions of b shifted by the largest position in a. */
function concat(a: Map<string, Pos[]>, b: Map<string, Pos[]>): TsVector {
  const shift = maxPos(a);
  const entries = new Map<string, Pos[]>();
  for (const [lexeme, list] of a) entries.set(lexeme, [...list]);
  for (const [lexeme, list] of b) {
    const shifted = list.map((p) => ({ pos: Math.min(p.pos + shift, MAXENTRYPOS - 1), weight: p.weight }));
    const merged = [...(entries.get(lexeme) ?? []), ...shifted].slice(0, MAXNUMPOS);
    entries.set(lexeme, merged);
  }
  // tsvector lexemes are ordered by bytes (memcmp) — compare UTF-8, not UTF-16.
  const enc = new TextEncoder();
  const sorted = [...entries.keys()].sort((x, y) => Buffer.compare(enc.encode(x), enc.encode(y)));
  return { entries, sorted };
}

function indexDoc(doc: FixtureDoc): TsVector {
  return concat(toTsvector(toIndexText(doc.title), WEIGHT_A), toTsvector(toIndexText(doc.body), WEIGHT_D));
}

// ───────────────────────── tsquery ─────────────────────────

type Operand = { lexeme: string; prefix: boolean };

/** Parses the flat OR form produced by toTsQuery: `'a' | 'b':* | …`. */
function parseOrQuery(q: string): Operand[] {
  const out: Operand[] = [];
  const re = /'((?:[^'\\]|''|\\.)*)'(:\*)?/y;
  let i = 0;
  for (;;) {
    re.lastIndex = i;
    const m = re.exec(q);
    if (!m) throw new Error(`unexpected tsquery syntax at ${i}: ${q}`);
    out.push({ lexeme: m[1].replace(/''/g, "'").replace(/\\(.)/g, "$1"), prefix: Boolean(m[2]) });
    i = re.lastIndex;
    if (i === q.length) return out;
    if (q.slice(i, i + 3) !== " | ") throw new Error(`only OR is simulated, got: ${q}`);
    i += 3;
  }
}

/** find_wordentry(): the positions lists of every lexeme the operand matches. */
function findEntries(v: TsVector, op: Operand): Pos[][] {
  if (!op.prefix) {
    const e = v.entries.get(op.lexeme);
    return e ? [e] : [];
  }
  return v.sorted.filter((l) => l.startsWith(op.lexeme)).map((l) => v.entries.get(l)!);
}

/** SortAndUniqItems(): operands de-duplicated by text (the :* flag is not compared). */
function uniqItems(ops: Operand[]): Operand[] {
  const seen = new Map<string, Operand>();
  for (const op of ops) if (!seen.has(op.lexeme)) seen.set(op.lexeme, op);
  return [...seen.values()];
}

function matches(v: TsVector, ops: Operand[]): boolean {
  return ops.some((op) => findEntries(v, op).length > 0);
}

/** calc_rank_or() with normalization 0, float4 arithmetic like PostgreSQL. */
function tsRankOr(v: TsVector, ops: Operand[], w: number[] = DEFAULT_WEIGHTS): number {
  const f = Math.fround;
  const items = uniqItems(ops);
  let res = f(0);
  for (const item of items) {
    for (const post of findEntries(v, item)) {
      let resj = f(0);
      let wjm = f(-1);
      let jm = 0;
      for (let j = 0; j < post.length; j++) {
        const wp = w[post[j].weight];
        resj = f(resj + f(wp / ((j + 1) * (j + 1))));
        if (wp > wjm) {
          wjm = wp;
          jm = j;
        }
      }
      res = f(res + (wjm + resj - wjm / ((jm + 1) * (jm + 1))) / 1.64493406685);
    }
  }
  if (items.length > 0) res = f(res / items.length);
  return res;
}

// ───────────────────────── pg_trgm ─────────────────────────

/** generate_trgm_only(): trigrams in order, with word-bound flags (1 = left, 2 = right). */
function trigramsWithBounds(text: string): { trgs: string[]; bounds: number[] } {
  const trgs: string[] = [];
  const bounds: number[] = [];
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    const chars = Array.from(`  ${word} `);
    const start = trgs.length;
    for (let i = 0; i + 3 <= chars.length; i++) {
      trgs.push(chars[i] + chars[i + 1] + chars[i + 2]);
      bounds.push(0);
    }
    bounds[start] |= 1;
    bounds[trgs.length - 1] |= 2;
  }
  return { trgs, bounds };
}

const calcSml = (count: number, len1: number, len2: number) => Math.fround(count / (len1 + len2 - count));

/** pg_trgm similarity(a, b): |A ∩ B| / |A ∪ B| over the unique trigram sets. */
function similarity(a: string, b: string): number {
  const ta = new Set(trigramsWithBounds(a).trgs);
  const tb = new Set(trigramsWithBounds(b).trgs);
  if (ta.size === 0 || tb.size === 0) return 0;
  let count = 0;
  for (const t of ta) if (tb.has(t)) count++;
  return calcSml(count, ta.size, tb.size);
}

/** pg_trgm strict_word_similarity(a, b): calc_word_similarity(…, WORD_SIMILARITY_STRICT). */
function strictWordSimilarity(a: string, b: string): number {
  const t1 = trigramsWithBounds(a).trgs;
  const { trgs: t2, bounds } = trigramsWithBounds(b);
  // Unique trigram ids over both strings; found[id] = the trigram occurs in a.
  const ids = new Map<string, number>();
  const id = (t: string) => {
    let v = ids.get(t);
    if (v === undefined) ids.set(t, (v = ids.size));
    return v;
  };
  const found: boolean[] = [];
  for (const t of t1) found[id(t)] = true;
  const ulen1 = new Set(t1).size;
  const trg2indexes = t2.map(id);
  const len = ids.size;
  for (let i = 0; i < len; i++) found[i] = found[i] ?? false;

  // iterate_word_similarity() with flags = WORD_SIMILARITY_STRICT
  const lastpos = new Array<number>(len).fill(-1);
  let ulen2 = 0;
  let count = 0;
  let upper = -1;
  let lower = 0;
  let smlrMax = Math.fround(0);
  for (let i = 0; i < t2.length; i++) {
    const trgindex = trg2indexes[i];
    if (lower >= 0 || found[trgindex]) {
      if (lastpos[trgindex] < 0) {
        ulen2++;
        if (found[trgindex]) count++;
      }
      lastpos[trgindex] = i;
    }
    if (bounds[i] & 2) {
      upper = i;
      let smlrCur = calcSml(count, ulen1, ulen2);
      let tmpCount = count;
      let tmpUlen2 = ulen2;
      const prevLower = lower;
      for (let tmpLower = lower; tmpLower <= upper; tmpLower++) {
        if (bounds[tmpLower] & 1) {
          const smlrTmp = calcSml(tmpCount, ulen1, tmpUlen2);
          if (smlrTmp > smlrCur) {
            smlrCur = smlrTmp;
            ulen2 = tmpUlen2;
            lower = tmpLower;
            count = tmpCount;
          }
        }
        const tmpTrgindex = trg2indexes[tmpLower];
        if (lastpos[tmpTrgindex] === tmpLower) {
          tmpUlen2--;
          if (found[tmpTrgindex]) tmpCount--;
        }
      }
      smlrMax = Math.max(smlrMax, smlrCur);
      for (let tmpLower = prevLower; tmpLower < lower; tmpLower++) {
        const tmpTrgindex = trg2indexes[tmpLower];
        if (lastpos[tmpTrgindex] === tmpLower) lastpos[tmpTrgindex] = -1;
      }
    }
  }
  return smlrMax;
}

// ───────────────────────── search ─────────────────────────

const TRGM_THRESHOLD = 0.3;

type Indexed = { doc: FixtureDoc; tsv: TsVector };
const INDEX: Indexed[] = SEARCH_DOCS.map((doc) => ({ doc, tsv: indexDoc(doc) }));

type Hit = { key: string; score: number; rank: number; typo: number };

function search(q: string): Hit[] {
  const tsq = toTsQuery(q);
  const ops = tsq ? parseOrQuery(tsq) : [];
  // Latin words that match nothing anywhere get the pg_trgm title fallback.
  const unknown = latinQueryWords(q)
    .filter(({ tsquery }) => !INDEX.some(({ tsv }) => matches(tsv, parseOrQuery(tsquery))))
    .map(({ word }) => word);
  const hits: Hit[] = [];
  for (const { doc, tsv } of INDEX) {
    const ftsMatch = ops.length > 0 && matches(tsv, ops);
    const rank = ftsMatch ? tsRankOr(tsv, ops) : 0;
    let typo = 0;
    for (const word of unknown) {
      const s = strictWordSimilarity(word, doc.title);
      if (s >= TRGM_THRESHOLD) typo += s;
    }
    if (ftsMatch || typo > 0) hits.push({ key: doc.key, score: rank + typo, rank, typo });
  }
  return hits.sort((a, b) => b.score - a.score);
}

/** 1-based position of `key`, counting every document with an equal score as ahead of it. */
function pessimisticPosition(hits: Hit[], key: string): number {
  const hit = hits.find((h) => h.key === key);
  if (!hit) return Infinity;
  return hits.filter((h) => h.score >= hit.score).length;
}

// ───────────────────────── tests ─────────────────────────

describe("search relevance simulation (ts_rank + pg_trgm over the fixture)", () => {
  it("the fixture is big enough and consistent", () => {
    expect(SEARCH_DOCS.length).toBeGreaterThanOrEqual(50);
    expect(SEARCH_DOCS.filter((d) => d.type === "faq").length).toBeGreaterThanOrEqual(12);
    expect(SEARCH_QUERIES.length).toBeGreaterThanOrEqual(36);
    const keys = new Set(SEARCH_DOCS.map((d) => d.key));
    expect(keys.size).toBe(SEARCH_DOCS.length);
    for (const q of SEARCH_QUERIES) {
      expect(q.mustBeInTop3.length).toBeGreaterThan(0);
      for (const k of q.mustBeInTop3) expect(keys.has(k), `${q.q}: unknown key ${k}`).toBe(true);
    }
  });

  it("the pg_trgm port agrees with known PostgreSQL values", () => {
    // Values computed by PostgreSQL 18 (pg_trgm 1.6).
    expect(strictWordSimilarity("withdrawl", "How long does a withdrawal take")).toBeCloseTo(0.61538464, 6);
    expect(similarity("withdrawl", "How long does a withdrawal take")).toBeCloseTo(0.23529412, 6);
  });

  it("ranks the expected documents in the top 3 for ≥ 90 % of the queries", () => {
    const rows: string[] = [];
    let passed = 0;
    for (const { q, mustBeInTop3, note } of SEARCH_QUERIES) {
      const hits = search(q);
      const positions = mustBeInTop3.map((k) => pessimisticPosition(hits, k));
      const ok = positions.every((p) => p <= 3);
      if (ok) passed++;
      const top = hits
        .slice(0, 3)
        .map((h) => `${h.key}(${h.score.toFixed(3)}${h.typo ? ` trgm ${h.typo.toFixed(2)}` : ""})`)
        .join(", ");
      rows.push(
        `${ok ? "PASS" : "MISS"}  ${JSON.stringify(q)} [${note}]\n      want ${mustBeInTop3
          .map((k, i) => `${k}@${positions[i]}`)
          .join(" ")}\n      top3 ${top}`,
      );
    }
    const share = passed / SEARCH_QUERIES.length;
    console.log(
      `search relevance (simulated): ${passed}/${SEARCH_QUERIES.length} = ${(share * 100).toFixed(1)} % of queries have all mustBeInTop3 in the top 3\n` +
        rows.join("\n"),
    );
    expect(share).toBeGreaterThanOrEqual(0.9);
  });
});
