/**
 * Search-result snippets, built in TypeScript (ts_headline cannot work with our own tokens: the
 * stored vectors hold CJK bigrams and stemmed words, not what PostgreSQL's parser would produce).
 * Pure: the server computes the parts, the page renders them as React elements (<mark>), so no
 * HTML string is ever injected.
 *
 * Matching uses the same tokenizer as the index: a Latin word is marked when one of its tokens
 * equals a query lexeme (or starts with a prefix lexeme); inside a CJK run every character covered
 * by a bigram of the query is marked.
 */
import { normalizeText, queryLexemes, tokenize, type QueryTerm } from "~/content/tokenize";

export type SnippetPart = { text: string; mark?: true };

const CJK = "\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\u3005\\u3006\\u30fc";
const WORDS = new RegExp(`([${CJK}]+)|((?:(?![${CJK}])[\\p{L}\\p{N}\\p{M}])+)`, "gu");

/** Markdown source → readable plain text (links keep their text, tags and markup characters go). */
export function plainText(markdown: string): string {
  return markdown
    .slice(0, 50_000)
    .replace(/```[^\n]*\n?/g, " ")
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/<[^>]{0,200}>/g, " ")
    .replace(/^\s{0,3}(?:#{1,6}|>|[-*+]|\d+\.)\s+/gm, "")
    .replace(/[*_~`]+/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * Tokens of one word or CJK pair as the index would have them. Pure and asked for the same words over
 * and over (every hit of every search, issue 7: a tenth of a search page's CPU), so remembered; the
 * memo is emptied when it reaches MEMO_SIZE entries.
 */
const MEMO_SIZE = 20_000;
const tokenMemo = new Map<string, readonly string[]>();
function tokensOf(word: string): readonly string[] {
  let t = tokenMemo.get(word);
  if (!t) {
    if (tokenMemo.size >= MEMO_SIZE) tokenMemo.clear();
    tokenMemo.set(word, (t = tokenize(word)));
  }
  return t;
}
const normalMemo = new Map<string, string>();
function normalized(pair: string): string {
  let n = normalMemo.get(pair);
  if (n === undefined) {
    if (normalMemo.size >= MEMO_SIZE) normalMemo.clear();
    normalMemo.set(pair, (n = normalizeText(pair)));
  }
  return n;
}

function termMatcher(terms: QueryTerm[]) {
  const exact = new Set(terms.filter((t) => !t.prefix).map((t) => t.lexeme));
  const prefixes = terms.filter((t) => t.prefix).map((t) => t.lexeme);
  return (token: string) => exact.has(token) || prefixes.some((p) => token.startsWith(p));
}

/** [start, end) UTF-16 ranges of `text` that match the query terms, in order, merged. */
export function matchRanges(text: string, terms: QueryTerm[]): [number, number][] {
  if (terms.length === 0) return [];
  const matches = termMatcher(terms);
  const ranges: [number, number][] = [];
  const add = (s: number, e: number) => {
    const last = ranges[ranges.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else ranges.push([s, e]);
  };
  for (const m of text.matchAll(WORDS)) {
    const at = m.index ?? 0;
    if (m[1]) {
      const chars = Array.from(m[1]);
      const offs: number[] = [];
      let o = at;
      for (const c of chars) {
        offs.push(o);
        o += c.length;
      }
      offs.push(o);
      if (chars.length === 1) {
        if (matches(normalized(chars[0]))) add(offs[0], offs[1]);
        continue;
      }
      for (let i = 0; i + 1 < chars.length; i++) {
        if (matches(normalized(chars[i] + chars[i + 1]))) add(offs[i], offs[i + 2]);
      }
    } else if (m[2]) {
      if (tokensOf(m[2]).some(matches)) add(at, at + m[2].length);
    }
    if (ranges.length >= 500) break;
  }
  return ranges;
}

function toParts(text: string, ranges: [number, number][], from: number, to: number): SnippetPart[] {
  const parts: SnippetPart[] = [];
  let pos = from;
  for (const [s0, e0] of ranges) {
    const s = Math.max(s0, from);
    const e = Math.min(e0, to);
    if (e <= s) continue;
    if (s > pos) parts.push({ text: text.slice(pos, s) });
    parts.push({ text: text.slice(s, e), mark: true });
    pos = e;
  }
  if (pos < to) parts.push({ text: text.slice(pos, to) });
  return parts;
}

/** The whole text (a title) with its matches marked. */
export function highlightAll(text: string, query: string): SnippetPart[] {
  return toParts(text, matchRanges(text, queryLexemes(query)), 0, text.length);
}

/** Do not cut inside a surrogate pair or a Latin word when moving a window edge. */
function adjust(text: string, i: number, dir: -1 | 1): number {
  if (i <= 0) return 0;
  if (i >= text.length) return text.length;
  for (let k = 0; k < 12; k++) {
    const j = i + dir * k;
    if (j <= 0 || j >= text.length) break;
    if (/[\s\p{P}]/u.test(text[j - 1]) || /[\s\p{P}]/u.test(text[j])) return j;
  }
  const code = text.charCodeAt(i);
  return code >= 0xdc00 && code <= 0xdfff ? i + (dir === 1 ? 1 : -1) : i;
}

/**
 * The best window (at most `size` characters) of `text` for the query: the one holding the most
 * matched ranges, starting a little before the first of them; "…" where the text was cut.
 */
export function snippet(text: string, query: string, size = 200): SnippetPart[] {
  const ranges = matchRanges(text, queryLexemes(query));
  if (text.length <= size) return toParts(text, ranges, 0, text.length);
  const lead = Math.min(40, Math.floor(size / 4));
  let best = { start: 0, count: 0 };
  for (let i = 0; i < ranges.length; i++) {
    const start = Math.max(0, ranges[i][0] - lead);
    let count = 0;
    for (let j = i; j < ranges.length && ranges[j][1] <= start + size; j++) count++;
    if (count > best.count) best = { start, count };
  }
  let start = adjust(text, best.start, -1);
  let end = adjust(text, Math.min(text.length, start + size), 1);
  if (end - start > size + 12) end = Math.min(text.length, start + size);
  if (end === text.length) start = adjust(text, Math.max(0, end - size), -1);
  const parts = toParts(text, ranges, start, end);
  if (start > 0) parts.unshift({ text: "…" });
  if (end < text.length) parts.push({ text: "…" });
  return parts;
}
