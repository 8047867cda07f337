/**
 * The ONE search tokenizer, used both to build the full-text index and to turn a user's query
 * into a PostgreSQL tsquery. Pure (no I/O). The SQL side uses the built-in `'simple'` text-search
 * configuration (no stemming, no stop words, lower-casing only), so everything language-aware
 * happens here, with the same code at index time and at query time.
 *
 * SQL contract (what the relevance simulation in tests/unit/search-relevance-sim.test.ts assumes,
 * and what it was checked against on PostgreSQL 18 / PGlite):
 *   tsv = setweight(to_tsvector('simple', toIndexText(title)), 'A')
 *      || setweight(to_tsvector('simple', toIndexText(body)), 'D')
 *   WHERE tsv @@ to_tsquery('simple', toTsQuery(q))   -- skip the search when toTsQuery returns null
 *   ORDER BY ts_rank(tsv, to_tsquery('simple', toTsQuery(q)))   -- default weights, normalization 0
 *   + for each word of latinQueryWords(q) whose tsquery matches no document at all:
 *     candidates with strict_word_similarity(word, title) >= 0.3, that similarity added to the score.
 * Normalization 1 (log length) or 2 (length) made the fixture worse (91 % / 81 % vs 96.5 %).
 *
 * Index side (`tokenize`, `toIndexText`):
 *  1. Bound the input (MAX_INDEX_LENGTH chars) and normalise: NFKC (full-width "ＵＳＤＴ" → "USDT",
 *     ideographic space → space, "①" → "1"), lower case, accents stripped from Latin letters only
 *     ("café" → "cafe"; kana voicing marks stay), zero-width characters removed ("U\u200BSDT" →
 *     "usdt"), letter-hyphen-digit joined ("ERC-20" → "erc20"), "1,000.50" → "1000.50".
 *  2. Split with Intl.Segmenter('zh', {granularity: 'word'}); punctuation, symbols and emoji
 *     (segments that are not word-like) are dropped.
 *  3. Non-CJK words: apostrophes removed ("don't" → "dont"), then split on anything that is not a
 *     letter or digit (".", "_", "@", combining marks), except numbers like "3.2.0" / "1.5", which stay
 *     one token. Pure ASCII-letter words go through `stem` (light English suffix stripping). "trc20",
 *     "usdt", "2fa", "0x71c7…" stay intact. Every token is therefore exactly one lexeme for
 *     PostgreSQL's default parser (checked: the lexemes of to_tsvector('simple', toIndexText(x))
 *     are exactly tokenize(x) for the whole fixture).
 *  4. CJK runs (Han, Hiragana, Katakana; consecutive CJK segments merged back into one run) become
 *     overlapping character BIGRAMS ("转账失败" → 转账 账失 失败; a one-character run stays a
 *     unigram). Node's ICU dictionary does not know many wallet words (充值 → 充|值, 提现 → 提|现,
 *     客服 → 客|服, 到账 → 到|账, 助记词 → 助|记|词), so segmenter words as lexemes make recall depend
 *     on the segmenter's luck. Measured on the fixture (57 queries, share with all expected posts in
 *     the top 3): bigrams 96.5 % (MRR 0.87); "index segmenter words + bigrams, query with segmenter
 *     words" 89.5 % (MRR 0.84); bigrams + unigrams 96.5 % but MRR 0.85.
 *
 * Query side (`toTsQuery`): the same normalisation and split, then
 *  - stop words are removed: English function words, and Chinese function words as found by the
 *    segmenter (为什么 我的 了 被 怎么 没有 一直…). A CJK run is cut at its stop words BEFORE making
 *    bigrams, so "为什么我的资产被冻结了" queries 资产 | 冻结 and "充值没到账" / "没到账 充值" both
 *    query 充值 | 到账 (MRR 0.87 vs 0.84 with plain bigrams of the whole run). A one-character piece
 *    left between stop words keeps its neighbours ("钱被盗了" → 钱被 | 被盗 | 盗了). A query made only
 *    of stop words keeps them; a query made only of lone CJK characters searches them as prefixes
 *    ('币':* matches the bigrams 币安, 币种…).
 *  - OR semantics: every term is OR-ed and ts_rank orders the matches (documents matching more terms,
 *    and matching them in the title, come first). AND cannot work with CJK bigrams: a natural question
 *    contains bigrams that straddle words ("值没") and excludes every document (AND: 37 % on the fixture).
 *  - prefix: the LAST Latin word (≥ 3 chars) becomes a prefix `:*` ("withdr" finds "withdraw",
 *    "authentic" finds "authenticator"); a trailing fragment of a suffix the stemmer strips is dropped
 *    first ("pendin" → 'pend':*, "withdrawa" → 'withdraw':*). Not for numbers or CJK.
 *  - synonyms: SYNONYMS (below) are applied to the QUERY only, as extra OR-ed terms; the index is never
 *    rewritten. See SYNONYMS for the two restrictions that keep them from hurting precision.
 *  - safety: every operand is a single-quoted lexeme (quotes and backslashes escaped, though lexemes
 *    only ever contain letters and digits, plus "." inside numbers) joined by " | ", so
 *    `& | ! : * ( ) ' \ " <-> <1>` typed by a user never reach the tsquery parser as syntax; at most
 *    MAX_QUERY_TERMS operands, from the first MAX_QUERY_LENGTH characters. `null` = nothing to search.
 *
 * Typo tolerance for Latin text is done in SQL with pg_trgm on titles: `latinQueryWords` gives each
 * Latin word of the query (normalised, NOT stemmed, no stop words) with the one-term tsquery that
 * toTsQuery uses for it; only words whose tsquery matches no document need the trigram fallback.
 */

/** Longest query (in UTF-16 code units) looked at; the rest is ignored. */
export const MAX_QUERY_LENGTH = 200;
/** Longest text (title or body, in UTF-16 code units) indexed; the rest is ignored. */
export const MAX_INDEX_LENGTH = 20_000;
/** Tokens longer than this are dropped (a 0x + 64 hex digits transaction hash still fits). */
export const MAX_TOKEN_LENGTH = 100;
/** At most this many distinct lexemes in one tsquery (bounds the work PostgreSQL does). */
export const MAX_QUERY_TERMS = 48;

/**
 * Query-side synonym groups for this wallet's support forum (no maintained library covers this
 * vocabulary). Members are written as users type them and go through the same tokenizer ("2FA",
 * "two-factor" and "谷歌验证" are all fine). When a query contains the tokens of any member (as a
 * contiguous sequence), the other members' tokens are OR-ed into the query, except:
 *  - a Latin member of several words ("top up", "seed phrase") only TRIGGERS its group and is never
 *    added: ts_rank scores each operand on its own, so "top" or "up" alone would match unrelated posts;
 *  - Chinese members are only added to queries that contain Chinese (an English query is not
 *    flooded with Chinese posts: "frozen account kyc" must find the English thread first).
 * Inflections (withdraw/withdrawal, deposit/deposited) are the stemmer's job, not this table's.
 */
export const SYNONYMS: readonly (readonly string[])[] = [
  ["提现", "提币"],
  ["充值", "充币", "入金"],
  ["到账", "入账", "到帐"],
  ["2fa", "双重认证", "两步验证", "二次验证", "谷歌验证", "two factor", "google authenticator"],
  ["kyc", "实名认证", "身份认证", "identity verification"],
  ["deposit", "top up", "topup"],
  ["withdraw", "cash out"],
  ["freeze", "frozen", "froze", "冻结"],
  ["recovery phrase", "seed phrase", "secret phrase", "mnemonic", "助记词"],
  ["手续费", "矿工费", "燃料费"],
  ["骗子", "诈骗", "骗局"],
  ["scam", "scammer", "fraud"],
  ["短信", "sms"],
  ["闪退", "崩溃"],
  ["crash", "crashes", "crashing"],
  ["tron", "波场"],
  ["password", "passcode"],
  ["receive", "arrive", "credit"],
];

/** English function words ignored in queries (never at index time). */
const EN_STOP = new Set(
  (
    "a an the and or but if so of to in on at by for from with about as into than then too very " +
    "i me my mine we us our you your he him his she her it its they them their this that these those " +
    "is are was were be been being am do does did doing done have has had having " +
    "can could should would will shall may might must " +
    "how what why when where which who whom whose there here " +
    "please help hi hello hey thanks thank pls plz any some just still not no yet also " +
    "get got anyone someone something anything " +
    "dont doesnt didnt cant cannot wont isnt arent wasnt havent hasnt couldnt wouldnt shouldnt im ive"
  ).split(" "),
);

/**
 * Chinese function words ignored in queries, matched against Intl.Segmenter words (never at index
 * time). Only whole segments are removed, so 没 is dropped from 没|到|账 but 没收 stays.
 */
const ZH_STOP = new Set(
  (
    "的 了 吗 呢 吧 啊 呀 哦 嘛 么 着 过 " +
    "我 你 您 他 她 它 我们 你们 他们 我的 你的 自己 " +
    "是 在 有 和 与 及 或 或者 就 都 也 还 又 很 太 更 " +
    "为什么 为何 什么 怎么 怎么办 怎样 怎么样 如何 哪里 哪 谁 啥 咋 办 " +
    "请问 请 问 一下 一直 一直在 已经 还是 是不是 能不能 可不可以 可以 能 会 要 想 " +
    "没 没有 不 被 把 给 让 这 那 这个 那个 一个 个 中 "
  )
    .trim()
    .split(/\s+/),
);

const SEGMENTER = new Intl.Segmenter("zh", { granularity: "word" });
const CJK_CHAR = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3005\u3006\u30fc]/u;
const CJK_RUNS = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3005\u3006\u30fc]+|[^\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3005\u3006\u30fc]+/gu;
const NUMBER_TOKEN = /^\d+(?:\.\d+)+$/;
const GROUPED_NUMBER = /^\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;

/** Cut to at most `max` UTF-16 code units without leaving half a surrogate pair. */
function bound(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return cut;
}

/**
 * NFKC, lower case, accents stripped from Latin letters only, zero-width characters removed,
 * "erc-20" → "erc20". Exported for the SQL side (e.g. to normalise a title for pg_trgm).
 */
export function normalizeText(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\u00ad\u180e\u200b-\u200f\u2060-\u2064\ufeff]/g, "")
    .normalize("NFD")
    .replace(/(\p{Script=Latin})\p{M}+/gu, "$1")
    .normalize("NFC")
    .replace(/(\p{L})[-\u2010\u2011](?=\d)/gu, "$1");
}

/**
 * A tiny, documented English suffix stripper (no stemmer library is installed). Only for words made
 * of ASCII letters, longer than 3 characters. Applied identically at index and query time, so the
 * output only has to be consistent, not a real word:
 *  - plural / 3rd person: -sses → -ss, -ies → -y, -s → "" (not after s, u, i: "address", "status", "this")
 *  - past / progressive: -ied → -y, -ed / -ing → "" when a vowel remains (not -eed: "seed", "speed"),
 *    then a doubled final consonant is undone ("stopped" → "stop", "transferring" → "transfer")
 *  - adjective/noun: -al → "" when ≥ 5 letters remain ("withdrawal" → "withdraw", "approval" → "approv")
 *  - final silent -e → "" when ≥ 3 letters remain and not -ee ("change"/"changed"/"changing" → "chang")
 */
export function stem(word: string): string {
  if (word.length <= 3 || !/^[a-z]+$/.test(word)) return word;
  let w = word;
  if (w.endsWith("sses")) w = w.slice(0, -2);
  else if (w.endsWith("ies") && w.length > 4) w = w.slice(0, -3) + "y";
  else if (w.endsWith("s") && !/[sui]s$/.test(w)) w = w.slice(0, -1);

  let stripped = false;
  if (w.endsWith("ied") && w.length > 4) w = w.slice(0, -3) + "y";
  else if (w.endsWith("eed")) {
    /* seed, speed, need, agreed: keep */
  } else if (w.endsWith("ed") && w.length - 2 >= 3 && /[aeiouy]/.test(w.slice(0, -2))) {
    w = w.slice(0, -2);
    stripped = true;
  } else if (w.endsWith("ing") && w.length - 3 >= 3 && /[aeiouy]/.test(w.slice(0, -3))) {
    w = w.slice(0, -3);
    stripped = true;
  }
  if (stripped && /([^aeiouylsz])\1$/.test(w)) w = w.slice(0, -1);

  if (w.endsWith("al") && w.length - 2 >= 5) w = w.slice(0, -2);
  if (w.endsWith("e") && !w.endsWith("ee") && w.length - 1 >= 3) w = w.slice(0, -1);
  return w;
}

type Piece =
  | { kind: "word"; surface: string; token: string }
  /** A CJK run; `words` are the segmenter's words inside it (used for query-side stop words). */
  | { kind: "cjk"; text: string; words: string[] };

/** Normalise and split into Latin/other words and CJK runs, in order. */
function pieces(raw: string, max: number): Piece[] {
  const text = normalizeText(bound(raw, max));
  const out: Piece[] = [];
  let run: { text: string; words: string[] } | null = null;
  const flush = () => {
    if (run) out.push({ kind: "cjk", text: run.text, words: run.words });
    run = null;
  };
  for (const seg of SEGMENTER.segment(text)) {
    if (!seg.isWordLike) {
      flush();
      continue;
    }
    // A segment may mix scripts; split it into CJK / non-CJK parts.
    for (const part of seg.segment.match(CJK_RUNS) ?? []) {
      if (CJK_CHAR.test(part)) {
        // Han-script symbols (CJK radicals, category So) are not letters for PostgreSQL: they end a run.
        part.split(/(\P{L}+)/u).forEach((sub, i) => {
          if (i % 2 === 1) return flush();
          if (!sub) return;
          if (!run) run = { text: "", words: [] };
          run.text += sub;
          run.words.push(sub);
        });
        continue;
      }
      flush();
      let s = part.replace(/['\u2019\u02bc]/g, "");
      if (GROUPED_NUMBER.test(s)) s = s.replace(/,/g, "");
      // Letters and digits only: PostgreSQL's parser ends a word at anything else (combining marks
      // included), so a token never splits into two lexemes (and never into a phrase in to_tsquery).
      const words = NUMBER_TOKEN.test(s) ? [s] : s.split(/[^\p{L}\p{N}]+/u);
      for (const w of words) {
        if (!w || w.length > MAX_TOKEN_LENGTH) continue;
        if (!/[\p{L}\p{N}]/u.test(w)) continue;
        out.push({ kind: "word", surface: w, token: stem(w) });
      }
    }
  }
  flush();
  return out;
}

/** Overlapping character bigrams of a CJK run; a single character is kept as is. */
function bigrams(run: string): string[] {
  const chars = Array.from(run);
  if (chars.length === 1) return chars;
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
  return out;
}

/**
 * The index tokens of a text, in order, duplicates kept: normalised + stemmed words, CJK bigrams.
 * Input is bounded to MAX_INDEX_LENGTH characters.
 */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const p of pieces(text, MAX_INDEX_LENGTH)) {
    if (p.kind === "word") out.push(p.token);
    else out.push(...bigrams(p.text));
  }
  return out;
}

/** The string to feed to `to_tsvector('simple', $1)`: tokens joined by spaces. */
export function toIndexText(text: string): string {
  return tokenize(text).join(" ");
}

/** One query term: a lexeme, and whether it is a prefix (`:*`). */
export type QueryTerm = { lexeme: string; prefix: boolean };
/** A query term and the concept (query word, or CJK part) it comes from. */
type Term = QueryTerm & { concept?: number };
/** A CJK part's terms: all of its bigrams (`all`), or either neighbour bigram of a lone character. */
type CjkConcept = { terms: Term[]; all: boolean };

/**
 * Query terms of one CJK run: the run is cut at stop words and each remaining part gives its bigrams.
 * A part of one character keeps its context: it gives the bigrams it forms with its neighbours in
 * the run ("钱被盗了" → 钱被, 被盗, 盗了), so the content character is not lost. A run that is a single
 * character on its own gives nothing here (too vague); see `queryTerms` for a query that has nothing else.
 */
function cjkQueryTerms(run: { text: string; words: string[] }, dropStop: boolean): CjkConcept[] {
  const chars = Array.from(run.text);
  if (chars.length === 1) return [];
  if (!dropStop) return [{ terms: bigrams(run.text).map((lexeme) => ({ lexeme, prefix: false })), all: true }];
  const out: CjkConcept[] = [];
  let start = 0; // index in chars of the current word
  let part: [number, number] | null = null; // [from, to) char range of the current part
  const emit = () => {
    if (!part) return;
    const [from, to] = part;
    const terms: Term[] = [];
    if (to - from >= 2) {
      for (let i = from; i + 1 < to; i++) terms.push({ lexeme: chars[i] + chars[i + 1], prefix: false });
    } else {
      if (from > 0) terms.push({ lexeme: chars[from - 1] + chars[from], prefix: false });
      if (to < chars.length) terms.push({ lexeme: chars[from] + chars[to], prefix: false });
    }
    if (terms.length) out.push({ terms, all: to - from >= 2 });
    part = null;
  };
  for (const w of run.words) {
    const len = Array.from(w).length;
    if (ZH_STOP.has(w)) emit();
    else part = part ? [part[0], start + len] : [start, start + len];
    start += len;
  }
  emit();
  return out;
}

/** Terms of a query as a flat, ordered list (before synonyms), plus Latin words for typo handling. */
function queryTerms(query: string): { terms: Term[]; latin: { word: string; term: Term }[]; conceptAll: boolean[] } {
  const ps = pieces(query, MAX_QUERY_LENGTH);
  const build = (dropStop: boolean) => {
    const terms: Term[] = [];
    const latin: { word: string; term: Term }[] = [];
    // Per concept: whether all of its terms are needed (a CJK part's bigrams) or any (a lone character).
    const conceptAll: boolean[] = [];
    let lastWord = -1;
    for (const p of ps) {
      if (p.kind === "word") {
        if (dropStop && EN_STOP.has(p.surface)) continue;
        const term = { lexeme: p.token, prefix: false, concept: conceptAll.push(true) - 1 };
        terms.push(term);
        if (/\p{L}/u.test(p.surface)) {
          latin.push({ word: p.surface, term });
          lastWord = terms.length - 1;
        } else lastWord = -1;
      } else {
        for (const c of cjkQueryTerms(p, dropStop)) {
          const concept = conceptAll.push(c.all) - 1;
          terms.push(...c.terms.map((t) => ({ ...t, concept })));
        }
        lastWord = -1;
      }
    }
    // The last token, if it is a Latin word, is treated as a possibly unfinished word.
    if (lastWord >= 0 && lastWord === terms.length - 1) {
      const t = terms[lastWord];
      const prefix = prefixOf(latin[latin.length - 1].word, t.lexeme);
      if (prefix) {
        t.lexeme = prefix;
        t.prefix = true;
      }
    }
    return { terms, latin, conceptAll };
  };
  const strict = build(true);
  if (strict.terms.length > 0) return strict;
  // Nothing but stop words: keep everything.
  const loose = build(false);
  if (loose.terms.length > 0) return loose;
  // Only lone CJK characters: prefixes, so '币':* finds the bigrams 币安, 币种…
  const singles: Term[] = [];
  for (const p of ps) if (p.kind === "cjk") singles.push({ lexeme: p.text, prefix: true, concept: singles.length });
  return { terms: singles, latin: [], conceptAll: singles.map(() => true) };
}

/**
 * Prefix to use for an unfinished last word, or null if it is too short. Starts from the stem and
 * drops a trailing fragment of a suffix the stemmer would strip once the word is complete
 * ("pendin" → "pend", "withdrawa" → "withdraw", "updat" stays).
 */
function prefixOf(surface: string, stemmed: string): string | null {
  let p = stemmed;
  if (p === surface && /^[a-z]+$/.test(p)) {
    const m = /(in|i|a|e)$/.exec(p);
    if (m && p.length - m[1].length >= 4) p = p.slice(0, -m[1].length);
  }
  return p.length >= 3 ? p : null;
}

/**
 * Token sequences of every synonym member, computed once. A Latin member of several words
 * ("top up", "seed phrase") only TRIGGERS its group: it is never added to a query, because
 * ts_rank scores each operand on its own and "top" or "up" alone would match unrelated posts.
 */
const SYNONYM_TERMS: { members: string[][]; added: string[][] }[] = SYNONYMS.map((group) => {
  const members = group.map((m) => tokenize(m));
  const added = members.filter((m) => m.length === 1 || m.every((t) => CJK_CHAR.test(t)));
  return { members, added };
});

function containsSequence(haystack: string[], needle: string[]): boolean {
  if (needle.length === 0 || needle.length > haystack.length) return false;
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/** Quote a lexeme for to_tsquery: single quotes doubled, backslashes doubled. */
function quote(lexeme: string): string {
  return "'" + lexeme.replace(/\\/g, "\\\\").replace(/'/g, "''") + "'";
}

function termText(t: Term): string {
  return quote(t.lexeme) + (t.prefix ? ":*" : "");
}

/**
 * The terms (with synonym expansions) that `toTsQuery` OR-s together, in that order: the query's own
 * terms first, then the synonyms. De-duplicated by lexeme like PostgreSQL's ts_rank does.
 */
export function queryLexemes(query: string): QueryTerm[] {
  return queryGroups(query).lexemes;
}

/**
 * The query's terms with their synonym expansions (see queryLexemes), and the same lexemes arranged
 * as "concepts": one group per query term, holding that term and the synonyms that a synonym group
 * containing it adds ("提现 到账" → [提现 提币] [到账 入账 到帐]). Groups feed `toTsQueryAll`.
 */
function queryGroups(query: string): QueryShape {
  // Pure and asked for many times per search (the tsqueries, then every hit's highlighting): the
  // latest queries are remembered; callers get copies of the terms.
  let hit = SHAPE_MEMO.get(query);
  if (!hit) {
    hit = computeQueryShape(query);
    if (SHAPE_MEMO.size >= 64) SHAPE_MEMO.delete(SHAPE_MEMO.keys().next().value!);
    SHAPE_MEMO.set(query, hit);
  }
  return { ...hit, lexemes: hit.lexemes.map((t) => ({ lexeme: t.lexeme, prefix: t.prefix })) };
}

/** The OR-ed lexemes, and the query's concepts as tsquery expressions (see toTsQueryAll). */
type QueryShape = { lexemes: QueryTerm[]; concepts: string[]; multiTermConcept: boolean };

const SHAPE_MEMO = new Map<string, QueryShape>();

function computeQueryShape(query: string): QueryShape {
  const { terms, conceptAll } = queryTerms(query);
  if (terms.length === 0) return { lexemes: [], concepts: [], multiTermConcept: false };
  // Synonyms: match members on the query's full (non-prefix) token sequence, stop words kept,
  // so "没到账" still contains the member "到账".
  const fullTokens = tokenize(bound(query, MAX_QUERY_LENGTH));
  // Chinese members are only added to queries that contain Chinese: an English query should not
  // be flooded with Chinese posts ("frozen account kyc" must find the English thread first).
  const queryHasCjk = fullTokens.some((t) => CJK_CHAR.test(t));
  const extra: Term[] = [];
  // Each query term with the synonyms added for it (by a synonym group one of whose members holds it).
  const withSynonyms: Term[][] = terms.map((t) => [t]);
  for (const { members, added } of SYNONYM_TERMS) {
    if (!members.some((m) => containsSequence(fullTokens, m))) continue;
    const adds: Term[] = [];
    for (const m of added) {
      if (!queryHasCjk && m.some((t) => CJK_CHAR.test(t))) continue;
      for (const lexeme of m) adds.push({ lexeme, prefix: false });
    }
    extra.push(...adds);
    terms.forEach((t, i) => {
      if (members.some((m) => m.includes(t.lexeme))) withSynonyms[i].push(...adds);
    });
  }
  const seen = new Set<string>();
  const out: Term[] = [];
  for (const t of [...terms, ...extra]) {
    // PostgreSQL's ranking de-duplicates operands by text (ignoring :*); so do we, keeping the first.
    if (seen.has(t.lexeme)) continue;
    seen.add(t.lexeme);
    out.push(t);
    if (out.length >= MAX_QUERY_TERMS) break;
  }
  // Concepts, from the bounded list only: a term with its synonyms is "(a | b)"; a concept joins its
  // terms with & (a CJK part's bigrams, or a word: one term) or | (a lone character's neighbours).
  const kept = new Map(out.map((t) => [t.lexeme, t]));
  const parts = new Map<number, string[]>();
  terms.forEach((t, i) => {
    const members = [...new Map(withSynonyms[i].filter((x) => kept.has(x.lexeme)).map((x) => [x.lexeme, kept.get(x.lexeme)!])).values()];
    if (members.length === 0) return;
    const text = members.length === 1 ? termText(members[0]) : "(" + members.map(termText).join(" | ") + ")";
    const list = parts.get(t.concept ?? -1 - i) ?? [];
    if (!list.includes(text)) list.push(text);
    parts.set(t.concept ?? -1 - i, list);
  });
  const concepts: string[] = [];
  const keys = new Set<string>();
  let multiTermConcept = false;
  for (const [concept, list] of parts) {
    const all = conceptAll[concept] ?? true;
    if (list.length > 1 && all) multiTermConcept = true;
    const text = list.length === 1 ? list[0] : "(" + list.join(all ? " & " : " | ") + ")";
    // A query naming two synonyms ("提现 提币") has one concept, however it was written.
    const key = text.replace(/[()]/g, "").split(/ [|&] /).sort().join("\n") + (all ? "&" : "|");
    if (keys.has(key)) continue;
    keys.add(key);
    concepts.push(text);
  }
  return { lexemes: out, concepts, multiTermConcept };
}

/**
 * The AND form of `toTsQuery`: every CONCEPT of the query must match — a word (with its synonyms), or
 * a Chinese part, all of whose bigrams must be there ("提现 到账" → ('提现' | '提币') & ('到账' | '入账' |
 * '到帐'); "账户冻结" → '账户' & '户冻' & ('冻结' | 'freeze' | …)). Null with fewer than two concepts.
 * Made of the same lexemes, so whatever it matches `toTsQuery` matches too. Search uses it only to FIND
 * candidates (app/models/search.server.ts); ranking stays OR + ts_rank, because AND alone fails
 * natural questions (see "OR semantics" above).
 */
export function toTsQueryAll(query: string): string | null {
  const { concepts } = queryGroups(query);
  return concepts.length >= 2 ? concepts.join(" & ") : null;
}

/**
 * "Any whole concept": the concepts OR-ed, so a Chinese part counts only when all of its bigrams
 * match ("账户冻结 身份验证" finds titles holding 账户冻结 or 身份验证, not any title with 验证). Null when
 * it would equal `toTsQuery` (no concept of several terms).
 */
export function toTsQueryAnyConcept(query: string): string | null {
  const { concepts, multiTermConcept } = queryGroups(query);
  return multiTermConcept ? concepts.join(" | ") : null;
}

/**
 * A safe tsquery string for `to_tsquery('simple', $1)`, or null when the query has no usable
 * terms. All terms are OR-ed; the last Latin word is a prefix; synonyms are OR-ed in.
 */
export function toTsQuery(query: string): string | null {
  const terms = queryLexemes(query);
  if (terms.length === 0) return null;
  return terms.map(termText).join(" | ");
}

/**
 * For pg_trgm typo tolerance: each Latin word of the query (normalised, NOT stemmed, stop words
 * removed, at least 3 characters) with the one-term tsquery that `toTsQuery` uses for it. The SQL
 * checks whether `tsquery` matches any document; for the words that match nothing, it adds title
 * similarity: `strict_word_similarity(word, title)` (≥ 0.3).
 */
export function latinQueryWords(query: string): { word: string; tsquery: string }[] {
  const { latin } = queryTerms(query);
  const seen = new Set<string>();
  const out: { word: string; tsquery: string }[] = [];
  for (const { word, term } of latin) {
    if (word.length < 3 || seen.has(word)) continue;
    seen.add(word);
    out.push({ word, tsquery: termText(term) });
  }
  return out;
}
