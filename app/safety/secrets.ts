/**
 * Secret guard: every piece of user-written text passes `scanForSecrets` / `guardFields` before it is
 * stored. Quorum's users hold money; the two ways they lose it here are pasting a recovery phrase or a
 * private key into a public post. Pure module: no I/O, no framework, and NEVER any logging of what it
 * caught (nothing is written to the console), so a secret cannot leak through the logs either.
 *
 * Verdicts
 *   "block" – a checksum-verified secret, or a near miss (an almost-phrase is an exposed phrase: the
 *             missing or wrong word is found by trying the 2 048 candidates): refused outright.
 *   "warn"  – kept in the type for callers; the detector no longer returns it.
 *   "ok"    – nothing found.
 * `masked` is the input with each finding replaced, so a form can come back without the secret in it.
 *
 * Before phrase matching the text is "prepared" (same length, so offsets stay valid): full-width forms
 * folded to ASCII and every enumerator blanked — circled/parenthesised numbers, CJK numerals before a
 * word of another script or in brackets, 第N个, roman numerals with punctuation, "No. 3", Markdown "+".
 * Near misses (kind "mnemonic_unverified"): a separated run of ≥ 11 list words of one list that does not
 * read as prose (11 of 12, 23 of 24, half of 24, a failing checksum), where one token in any 11 may be a
 * typo (one edit from a list word, see typoMask); and ≥ 11 list words spread through a sentence with a
 * few filler words between them (detectSpread).
 *
 * ── Recovery phrases (BIP-39) ──────────────────────────────────────────────────────────────────────
 * All ten word lists shipped by @scure/bip39 are indexed once at module load (word → list bitmask +
 * index per list). Words are compared as BIP-39 does: NFKD, plus lower-casing (so "Abandon", "ABANDON"
 * and full-width "ａｂａｎｄｏｎ" match). For Spanish and French the BIP-39 spec says accents do not
 * distinguish words, so the accent-less spelling ("abaco" for "ábaco") is accepted as well.
 * Simplified and traditional Chinese share 1 275 characters, always at the same index, so they form one
 * "group" and a window is checked once for both.
 *
 * Tokens: a run of letters (+ combining marks) is a word; every Han character is a token of its own.
 * A "gap" (the text between two tokens) may join them into a run when it consists only of whitespace,
 * commas, semicolons, slashes, bullets, dashes, quotes, brackets and numbering ("1.", "1)", "1、", "(1)",
 * "#1", "1:"), is at most 40 characters long, and is not made of digits alone (so hex strings and
 * base58 blobs, whose letters are separated only by digits, never form runs). An EMPTY gap joins two Han
 * characters ("tight" — unspaced Chinese); an empty gap between Han and another script is a boundary.
 * Sentence punctuation (".", "?", "!", ":", "。") is NOT a phrase separator: prose sentences break runs.
 *
 * A "run" is a maximal sequence of tokens from the same list group joined by allowed gaps.
 *  1. Separated runs (no tight gap inside — Latin/Korean/Japanese words, or Han characters separated by
 *     spaces/commas/numbers) of ≥ 12 tokens: every window of 12/15/18/21/24 tokens whose words all belong
 *     to one list is checksum-tested; the first valid one makes the whole run one "mnemonic" finding
 *     (→ block; the whole run is masked). No valid window → one "mnemonic_unverified" finding (→ block).
 *     Windows in which ≥ 1/3 of the words are English function words ("you", "this", "can", "very"…,
 *     see ENGLISH_FUNCTION_WORDS) read as prose and are skipped; a run of prose windows only is not
 *     reported. English prose rarely gets there: "the", "is", "my", "I", "a", "to", "of", "and", "wallet",
 *     "support"… are not in the list, and sentence punctuation breaks a run.
 *  2. Unspaced Han windows (contain at least one tight gap). The 2 048-character Chinese list holds the
 *     most common characters, so ordinary Chinese prose is full of 12-character all-list runs, and a
 *     random window passes a 12-word checksum 1 time in 16. Two cheap prose detectors run first
 *     (details at COMMON_ZH_WORDS): a window containing a common Chinese word ("我们", "转账", "为什么"…)
 *     is prose; otherwise a rank score says how much more likely the characters are under a uniform
 *     draw (a phrase) than under Chinese text frequencies. With a valid checksum, a window is
 *       B1: exactly a whole clause — both ends are boundaries (text/line edge, punctuation, whitespace,
 *           another script) and it is 12/15/18/21/24 characters long: "mnemonic" (block) when the score
 *           is ≥ −2, or ≥ −6 with a phrase keyword (助记词/种子/seed/phrase/…) within 40 characters
 *           before or 20 after; "mnemonic_unverified" (block) for −6 ≤ score < −2 without keyword;
 *       B2: one end a boundary, the other glued to more Han text ("我的助记词是的一是…"): "mnemonic"
 *           when a keyword is near AND the score is ≥ 0;
 *       anything else (glued on both sides, i.e. inside a sentence): nothing.
 *     Without a valid checksum, only a whole clause of a phrase's length (or one less) near a keyword,
 *     with no common word and a score ≥ SCORE_NEAR_CLAUSE, is reported (near miss); inside a sentence
 *     a failed-checksum unspaced run is indistinguishable from prose and is never reported.
 *
 * ── Private keys ───────────────────────────────────────────────────────────────────────────────────
 *  - WIF: 51/52 base58 chars starting with 5/K/L (mainnet, version 0x80) or 9/c (testnet, 0xef), valid
 *    base58check (double SHA-256) checksum, 32-byte key (+ 0x01 compression flag for 52 chars) → block.
 *  - Extended private keys: 111 base58 chars, valid base58check, 78-byte payload whose key data starts
 *    with 0x00 (the BIP-32 marker of a private key) → block. This covers every SLIP-132 version
 *    (xprv/yprv/zprv/tprv/uprv/vprv/Yprv/Zprv/Uprv/Vprv, Ltpv…) without a prefix table; xpub & co. pass.
 *  - 64-hex (optionally 0x) — or a 128-hex seed — is blocked ONLY when the text calls it a key: the
 *    nearest keyword within 40 characters before it, on the same line and in the same sentence
 *    ("private key", "privkey", "priv key", "secret", "seed", "key:", "key =", "私钥", "密钥", "秘钥",
 *    "助记词", …) must be a key word and not a transaction word ("txid", "hash", "交易", "哈希",
 *    "block", "address", "public key", …). A value alone on its line may take its label from the end
 *    of the previous line ("private key:"). Without any keyword before it, the 30 characters after it
 *    (same line, same sentence) are checked the same way.
 *    The label may also be the nearest non-blank line above when it calls something a key and ends like
 *    a label ("… private key of the old account:", "旧账户的私钥：").
 *    A bare 64-hex value is a transaction hash and stays allowed.
 *  - Keys in pieces: alphanumeric runs joined across short gaps (spaces, a dash, one line break) are
 *    checked the same way when the joined length is a key's ("KwDi BQ1m …", a hex key over two lines).
 *
 * Masks: each phrase word → "•••••" (each Han character → "•"), separators and numbering kept;
 * keys → their non-secret prefix ("5…", "K…", "xprv…", "0x…") + "[hidden]".
 *
 * Cost: one linear tokenisation; windows use prefix sums; a separated run stops at its first valid
 * window and memoises checksums by window content (repetitive input); SHA-256 runs only on windows
 * that passed every cheap filter. A 20 000-character post takes ~5–12 ms of CPU (npm run bench:detector).
 * Importing this module pulls in all BIP-39 word lists (~200 kB): use it on the server.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { createBase58check } from "@scure/base";
import { wordlist as czech } from "@scure/bip39/wordlists/czech.js";
import { wordlist as english } from "@scure/bip39/wordlists/english.js";
import { wordlist as french } from "@scure/bip39/wordlists/french.js";
import { wordlist as italian } from "@scure/bip39/wordlists/italian.js";
import { wordlist as japanese } from "@scure/bip39/wordlists/japanese.js";
import { wordlist as korean } from "@scure/bip39/wordlists/korean.js";
import { wordlist as portuguese } from "@scure/bip39/wordlists/portuguese.js";
import { wordlist as simplifiedChinese } from "@scure/bip39/wordlists/simplified-chinese.js";
import { wordlist as spanish } from "@scure/bip39/wordlists/spanish.js";
import { wordlist as traditionalChinese } from "@scure/bip39/wordlists/traditional-chinese.js";

export type SecretKind = "mnemonic" | "mnemonic_unverified" | "wif" | "xprv" | "hex_key";
export type SecretFinding = { kind: SecretKind; start: number; end: number }; // offsets into the input
export type GuardResult =
  | { verdict: "ok" }
  | { verdict: "warn"; findings: SecretFinding[]; masked: string } // needs explicit author override
  | { verdict: "block"; findings: SecretFinding[]; masked: string }; // refused outright
export type GuardVerdict = GuardResult["verdict"];

// ───────────────────────────── word index (built once) ─────────────────────────────

type ListDef = { words: readonly string[]; stripAccents: boolean; group: number };
// Groups: lists whose shared words have the same index are checked together (only the two Chinese lists).
const LISTS: readonly ListDef[] = [
  { words: english, stripAccents: false, group: 0 },
  { words: spanish, stripAccents: true, group: 1 },
  { words: french, stripAccents: true, group: 2 },
  { words: italian, stripAccents: false, group: 3 },
  { words: portuguese, stripAccents: false, group: 4 },
  { words: czech, stripAccents: false, group: 5 },
  { words: japanese, stripAccents: false, group: 6 },
  { words: korean, stripAccents: false, group: 7 },
  { words: simplifiedChinese, stripAccents: false, group: 8 },
  { words: traditionalChinese, stripAccents: false, group: 8 },
];
const GROUP_COUNT = 9;
const HAN_GROUP = 8;
const GROUP_MASKS: readonly number[] = Array.from({ length: GROUP_COUNT }, (_, g) =>
  LISTS.reduce((m, l, i) => (l.group === g ? m | (1 << i) : m), 0)
);

/** mask: bit i set when the word is in LISTS[i]; groupIndex[g]: its index in group g (-1 if absent). */
type WordEntry = { mask: number; groupIndex: Int16Array };
const WORDS = new Map<string, WordEntry>();

function addWord(key: string, list: number, index: number): void {
  let e = WORDS.get(key);
  if (!e) {
    e = { mask: 0, groupIndex: new Int16Array(GROUP_COUNT).fill(-1) };
    WORDS.set(key, e);
  }
  e.mask |= 1 << list;
  // Within the Chinese group a shared character has the same index in both lists (checked in tests).
  e.groupIndex[LISTS[list].group] = index;
}

const COMBINING_MARKS = /\p{M}/gu;
LISTS.forEach((l, li) => {
  l.words.forEach((w, i) => {
    const key = w.normalize("NFKD").toLowerCase(); // @scure/bip39 lists are already NFKD
    addWord(key, li, i);
    if (l.stripAccents) {
      const bare = key.replace(COMBINING_MARKS, "");
      if (bare !== key) addWord(bare, li, i); // unique within the list (BIP-39 spec for es/fr)
    }
  });
});

// eslint-disable-next-line no-control-regex
const ASCII_RE = /^[\x00-\x7f]*$/;
// Prose repeats its words: look-ups of short tokens are remembered (bounded; emptied when full).
const LOOKUP_CACHE = new Map<string, WordEntry | null>();
const TYPO_CACHE = new Map<string, number>();
const CACHE_LIMIT = 50_000;

function lookupWord(token: string): WordEntry | undefined {
  // Fast paths where NFKD is the identity: ASCII, and single unified Han ideographs (U+4E00–U+9FFF).
  if (token.length === 1) {
    const c = token.charCodeAt(0);
    if (c >= 0x4e00 && c <= 0x9fff) return WORDS.get(token);
  }
  const hit = LOOKUP_CACHE.get(token);
  if (hit !== undefined) return hit ?? undefined;
  const e = WORDS.get(ASCII_RE.test(token) ? token.toLowerCase() : token.normalize("NFKD").toLowerCase());
  if (token.length <= 16) {
    if (LOOKUP_CACHE.size >= CACHE_LIMIT) LOOKUP_CACHE.clear();
    LOOKUP_CACHE.set(token, e ?? null);
  }
  return e;
}

// ── Near misses: a word one typo away from a list word ──
// A person copying a phrase by hand misspells a word; the phrase is exposed all the same. A token that
// is not a list word but is one edit (insertion, deletion, substitution, swap of neighbours) from a
// list word of ≥ 4 letters (three-letter words: a letter changed or two swapped) may stand in for one
// word of a run. Looked up through the list words with
// one letter deleted (symmetric deletion). Very common English words that are not list words ("your",
// "with", "from"…) never stand in: they are what prose is made of.
const DELETIONS = new Map<string, number>(); // list word minus one letter → list mask
for (const [key, e] of WORDS) {
  if (key.length < 4 || e.mask & GROUP_MASKS[HAN_GROUP]) continue;
  for (let i = 0; i < key.length; i++) {
    const d = key.slice(0, i) + key.slice(i + 1);
    DELETIONS.set(d, (DELETIONS.get(d) ?? 0) | e.mask);
  }
}
const NOT_TYPOS: ReadonlySet<string> = new Set(
  (
    "your yours with from were been their them then than would could should which what whom whose " +
    "here there these those does done doing into onto unto said says sent dont cant wont isnt didnt " +
    "doesnt wasnt have having thanks thank hello help helps wallet wallets phrase phrases words word " +
    "seed seeds keys backup recover restore import export account balance address token tokens coin " +
    "coins send sending sends sent fees gas swap swaps app apps support official admin team mine ours " +
    "theirs yourself myself when where while why how who over every very many much more most some " +
    "such each both only also just even ever still else"
  ).split(" ")
);

// Three-letter words: one letter changed or two swapped (compared directly: a deletion index of
// two-letter strings would match words two edits away).
const THREE_LETTER: { key: string; mask: number }[] = [];
for (const [key, e] of WORDS) if (key.length === 3 && !(e.mask & GROUP_MASKS[HAN_GROUP])) THREE_LETTER.push({ key, mask: e.mask });
const NOT_TYPOS_3: ReadonlySet<string> = new Set(
  (
    "the and for are but not had her was our day get has him his how man new now old see two way who " +
    "boy did its let put say she too use yes yet why via per etc app eth btc usd fee gas nft dex cex " +
    "bsc trx sol dai ton pls thx plz omg lol"
  ).split(" ")
);

/** Lists (bitmask) in which the normalised token is one edit from a word, 0 if none. */
function typoMask(key: string, exact: number): number {
  if (key.length === 3 && !NOT_TYPOS_3.has(key)) {
    let m3 = 0;
    for (const w of THREE_LETTER) {
      const k = w.key;
      const diff = (k[0] !== key[0] ? 1 : 0) + (k[1] !== key[1] ? 1 : 0) + (k[2] !== key[2] ? 1 : 0);
      const swapped =
        (k[0] === key[1] && k[1] === key[0] && k[2] === key[2]) || (k[0] === key[0] && k[1] === key[2] && k[2] === key[1]);
      if (diff === 1 || swapped) m3 |= w.mask;
    }
    return m3 & ~exact & ~GROUP_MASKS[HAN_GROUP];
  }
  if (key.length < 4 || key.length > 12 || NOT_TYPOS.has(key)) return 0;
  let m = DELETIONS.get(key) ?? 0; // a letter missing
  for (let i = 0; i < key.length; i++) {
    const d = key.slice(0, i) + key.slice(i + 1);
    if (d.length >= 4) m |= WORDS.get(d)?.mask ?? 0; // a letter too many
    m |= DELETIONS.get(d) ?? 0; // a letter wrong, or two swapped
  }
  return m & ~exact & ~GROUP_MASKS[HAN_GROUP];
}

// ───────────────────────────── tokenisation ─────────────────────────────

/**
 * The text as the phrase rules see it, SAME LENGTH as the input (offsets stay valid for masking):
 * full-width ASCII forms → ASCII, the ideographic space → a space, and every enumerator a person may
 * put before a word blanked to spaces — circled/parenthesised numbers (①, ⑴, ⒈, ❶, ㈠, ㊀), CJK
 * numerals in brackets or before a word of another script ("（十二）", "一、abandon", "第3个：", "第十一"), roman numerals with
 * punctuation ("iv.", "(ii)", "xii)"), "No. 3", "Word 3:", "词3：", "第三个词是", HTML tags, and the
 * Markdown "+" marker. Plain digits with
 * punctuation ("1.", "(1)", "1、") are gaps already (GAP_RE).
 */
const CN_NUM = "[一二三四五六七八九十廿零〇两]";
// Every alternative starts with a definite character (fast scanning); what came before the match is
// checked in enumeratorBlank.
const ENUMERATOR_RE = new RegExp(
  [
    "[\\u2460-\\u24ff\\u2776-\\u2793\\u3220-\\u3229\\u3251-\\u325f\\u3280-\\u3289\\u32b1-\\u32bf]",
    `第\\s*(?:\\p{Nd}{1,2}|${CN_NUM}{1,3})\\s*[个個位]?\\s*(?:助记词|助記詞|单词|單詞|[词詞字])?\\s*(?:[是为為][:：]?|[:：、.．)）=])?`,
    `(?:助记词|助記詞|单词|單詞|[词詞])\\s*#?(?:\\p{Nd}{1,2}|${CN_NUM}{1,3})\\s*(?:[是为為][:：]?|[:：、.．)）=])`,
    "(?<word>(?:[Ww]ord|WORD)\\s*(?:#|[Nn]o\\.?)?\\s*\\p{Nd}{1,2}\\s*[:：.)=-]?)",
    "<\\/?[A-Za-z][A-Za-z0-9]{0,10}(?:\\s[^<>]{0,60})?\\/?>",
    `[(（]${CN_NUM}{1,3}[)）]`,
    // Before a word of another script only: in a Chinese phrase "一" and "十" are words themselves.
    `(?<cn>${CN_NUM}{1,3})[、.．:：)）]?\\s*(?=(?!\\p{Script=Han})\\p{L})`,
    "(?<ro>[(（]?(?:[ivx]{1,5}|[IVX]{1,5})[.．)）:：])(?=\\s|\\p{L}|$)",
    "(?<no>(?:No|no|NO|Nr|nr)\\.?\\s?)(?=\\p{Nd})",
    "(?<plus>\\n[ \\t]*\\+)(?=[ \\t])",
  ].join("|"),
  "gu"
);
const ROMAN_RE = /^[(（]?(?:x{0,2}(?:ix|iv|v?i{0,3})|X{0,2}(?:IX|IV|V?I{0,3}))[.．)）:：]$/;
const HAN_CHAR_RE = /\p{Script=Han}/u;
const LETTER_OR_NUMBER_RE = /[\p{L}\p{N}]/u;

function enumeratorBlank(m: string, at: number, s: string, groups: Record<string, string | undefined>): string {
  const before = at > 0 ? s[at - 1] : "";
  if (groups.cn !== undefined && before && HAN_CHAR_RE.test(before)) return m;
  if (groups.ro !== undefined) {
    if (!ROMAN_RE.test(groups.ro) || (before && LETTER_OR_NUMBER_RE.test(before)) || groups.ro.length !== m.length) return m;
    if (groups.ro[0] !== "(" && groups.ro[0] !== "（" && /[(（]/.test(before)) return m;
  }
  if ((groups.no !== undefined || groups.word !== undefined) && before && LETTER_OR_NUMBER_RE.test(before)) return m;
  // Blanked to spaces (line breaks kept), so an enumerator never joins the letters it precedes.
  return m.replace(/[^\s]/g, " ");
}

const FULL_WIDTH_RE = /[\uff01-\uff5e\u3000]/g;
function preparePhraseText(text: string): string {
  const s = text.replace(FULL_WIDTH_RE, (c) => (c === "\u3000" ? " " : String.fromCharCode(c.charCodeAt(0) - 0xfee0)));
  return s.replace(ENUMERATOR_RE, (m: string, ...rest: unknown[]) => {
    const groups = rest[rest.length - 1] as Record<string, string | undefined>;
    const at = rest[rest.length - 3] as number;
    return enumeratorBlank(m, at, s, groups);
  });
}

const TOKEN_RE = /(\p{Script=Han})|(?:(?!\p{Script=Han})[\p{L}\p{M}])+/gu;
/** Separator characters and numbering ("1.", "(1)", "#1", "1、", "1:") allowed between phrase words. */
const GAP_RE =
  /^(?:[\s\u200b-\u200d\ufeff,，、;；|/\\·•・*+=&~^→»›\-–—_"'“”‘’`«»()[\]{}（）【】「」『』《》<>]|#?\p{Nd}{1,2}[.．)）:：、\]】\-]?)+$/u;
const GAP_MAX = 40;
/** Symbols, emoji, brackets, quotes, dashes and spaces ("abandon 🔹 ability", "### 2"): no sentence end. */
const SYMBOL_GAP_RE = /^(?:[\p{S}\p{Pd}\p{Ps}\p{Pe}\p{Pi}\p{Pf}\p{Pc}\p{Zs}\s\u200b-\u200d\ufe0f#*&@%,，、;；|/\\"'`]|#?\p{Nd}{1,2}(?=\s))+$/u;

function gapJoins(gap: string): boolean {
  if (gap.length > GAP_MAX) return false;
  // Three digits in a row is never numbering (and this keeps GAP_RE's backtracking bounded).
  if (/\p{Nd}{3}/u.test(gap)) return false;
  if (!/[^\p{Nd}]/u.test(gap)) return false; // digits only: inside a hex/base58 blob
  if (gap === "." || gap === "·") return true; // "abandon.ability.able": no sentence ends without a space
  return GAP_RE.test(gap) || SYMBOL_GAP_RE.test(gap);
}

type Tokens = {
  count: number;
  start: Int32Array;
  end: Int32Array;
  entry: (WordEntry | undefined)[];
  han: Uint8Array;
  /** gap before token i may join tokens i-1 and i into a run (tight gaps included) */
  joins: Uint8Array;
  /** gap before token i is empty and both tokens are Han (unspaced Chinese) */
  tight: Uint8Array;
  /** tokens i-1 and i are tight and form a common Chinese word */
  commonPair: Uint8Array;
  /** 1: an English function word (see ENGLISH_FUNCTION_WORDS), 2: a support-vocabulary word */
  functionWord: Uint8Array;
  /** lists in which the token is one typo from a word (see typoMask), -1 until asked (typoOf) */
  typo: Int32Array;
};

function tokenize(text: string): Tokens {
  const starts: number[] = [];
  const ends: number[] = [];
  const hans: number[] = [];
  for (const m of text.matchAll(TOKEN_RE)) {
    starts.push(m.index);
    ends.push(m.index + m[0].length);
    hans.push(m[1] !== undefined ? 1 : 0);
  }
  const n = starts.length;
  const t: Tokens = {
    count: n,
    start: Int32Array.from(starts),
    end: Int32Array.from(ends),
    entry: new Array(n),
    han: Uint8Array.from(hans),
    joins: new Uint8Array(n),
    tight: new Uint8Array(n),
    commonPair: new Uint8Array(n),
    functionWord: new Uint8Array(n),
    typo: new Int32Array(n).fill(-1),
  };
  for (let i = 0; i < n; i++) {
    const word = text.slice(starts[i], ends[i]);
    t.entry[i] = lookupWord(word);
    if (t.entry[i]) {
      const lower = word.toLowerCase();
      if (ENGLISH_FUNCTION_WORDS.has(lower)) t.functionWord[i] = 1;
      else if (ENGLISH_SUPPORT_WORDS.has(lower)) t.functionWord[i] = 2;
    }
    if (i === 0) continue;
    if (ends[i - 1] === starts[i]) {
      if (hans[i - 1] && hans[i]) {
        t.tight[i] = t.joins[i] = 1;
        if (COMMON_ZH_BIGRAMS.has(text.slice(starts[i - 1], ends[i]))) t.commonPair[i] = 1;
      }
    } else if (gapJoins(text.slice(ends[i - 1], starts[i]))) {
      t.joins[i] = 1;
    }
  }
  return t;
}

/** Computed on demand: only tokens next to a run of list words are ever asked about. */
function typoOf(text: string, t: Tokens, q: number): number {
  let m = t.typo[q];
  if (m < 0) {
    const len = t.end[q] - t.start[q];
    if (t.han[q] || len < 3 || len > 12) m = 0;
    else {
      const word = text.slice(t.start[q], t.end[q]);
      const cached = TYPO_CACHE.get(word);
      if (cached !== undefined) m = cached;
      else {
        m = typoMask(word.normalize("NFKD").toLowerCase(), t.entry[q]?.mask ?? 0);
        if (TYPO_CACHE.size >= CACHE_LIMIT) TYPO_CACHE.clear();
        TYPO_CACHE.set(word, m);
      }
    }
    t.typo[q] = m;
  }
  return m;
}

// ───────────────────────────── checksum ─────────────────────────────

const PHRASE_LENGTHS = [12, 15, 18, 21, 24] as const;
const MIN_PHRASE = 12;
/** 11 of 12 words are as good as 12: the last one is found by trying the 2 048 candidates. */
const MIN_NEAR = 11;
const entropyBuf = new Uint8Array(33);

/** BIP-39 checksum of the word indices idx[from .. from+n) (n ∈ PHRASE_LENGTHS). */
function checksumValid(idx: Int16Array, from: number, n: number): boolean {
  const entLen = (n / 3) * 4;
  let carry = 0;
  let bits = 0;
  let pos = 0;
  for (let k = from; k < from + n; k++) {
    carry = (carry << 11) | idx[k];
    bits += 11;
    while (bits >= 8) {
      bits -= 8;
      entropyBuf[pos++] = (carry >>> bits) & 0xff;
    }
    carry &= (1 << bits) - 1;
  }
  // 11n bits = 8·entLen entropy bits + n/3 checksum bits; after the loop pos·8 + bits = 11n, so the
  // checksum is the bytes written past entLen followed by the `bits` left in carry.
  const csBits = n / 3;
  let cs = 0;
  for (let p = entLen; p < pos; p++) cs = (cs << 8) | entropyBuf[p];
  cs = (cs << bits) | carry; // exactly csBits wide
  const hash = sha256(entropyBuf.subarray(0, entLen));
  return hash[0] >>> (8 - csBits) === cs;
}

// ───────────────────────────── phrase detection ─────────────────────────────

// ── Telling an unspaced Chinese phrase from Chinese prose ──
// 1. Prose is made of words. A window containing one of these very common words (general vocabulary
//    plus wallet-support vocabulary) as two adjacent characters is prose. A random 12-character
//    phrase contains one of these ~330 words with probability ≈ 0.05 % (24 characters: ≈ 0.1 %).
//    Traditional forms are derived through the two BIP-39 Chinese lists, which are aligned index by
//    index (simplified[i] ↔ traditional[i]).
// 2. The list is frequency-ordered, so prose characters sit at low indexes while a phrase's characters
//    are uniform over 0..2047. Per character, log(P_uniform / P_prose) with a Zipf-like model
//    P_prose(rank) ≈ 0.21 / (rank + 20) (fitted on support-forum text) gives ln((rank + 20) / 430);
//    the window's score is the sum. Random 12-word phrases score ≥ −2 in ~99.6 % of cases, ≥ 0 in
//    ~98 %; prose windows score ≥ 0 ~1 % of the time.
const COMMON_ZH_WORDS =
  "我们 你们 他们 她们 自己 大家 什么 怎么 怎样 为什么 为何 哪里 哪个 这个 那个 这些 那些 这样 那样 这里 那里 " +
  "一个 一下 一些 一直 一样 一定 一起 一次 一共 没有 不是 就是 还是 但是 可是 因为 所以 如果 虽然 而且 或者 然后 " +
  "已经 现在 今天 昨天 明天 刚才 之前 之后 以后 以前 时候 时间 小时 分钟 可以 可能 应该 需要 知道 觉得 希望 认为 " +
  "发现 看到 看看 请问 请帮 帮忙 帮我 帮助 谢谢 感谢 麻烦 问题 问一 办法 方法 原因 情况 结果 东西 事情 地方 不能 " +
  "不会 不要 不用 不行 不了 不到 不知 没法 还有 还能 还要 只有 只能 都是 也是 也不 又是 就会 才能 会不 是不 能不 " +
  "有没 多少 几个 很多 非常 特别 比较 真的 其实 然而 直接 马上 立即 突然 终于 到底 究竟 是否 出现 显示 提示 操作 " +
  "使用 用户 朋友 客户 官方 客服 平台 网站 网络 手机 电脑 应用 软件 版本 更新 升级 安装 下载 登录 注册 账号 账户 " +
  "帐号 密码 验证 认证 绑定 设置 开启 关闭 打开 点击 输入 选择 确认 取消 成功 失败 错误 异常 正常 完成 处理 解决 " +
  "联系 回复 等待 没到 到账 充值 提现 提币 转账 转出 转入 转给 转到 收款 付款 支付 手续费 矿工 钱包 地址 余额 资产 " +
  "冻结 解冻 交易 哈希 区块 链上 节点 同步 代币 合约 授权 兑换 闪兑 质押 收益 能量 带宽 助记 私钥 公钥 备份 恢复 " +
  "导入 导出 创建 删除 丢失 被盗 骗子 诈骗 钓鱼 安全 风险 保存 金额 数量 价格 行情 市场 交易所 比特 以太 波场 币安 " +
  "美元 人民币 银行 现金 公司 工作 生活 中国 国家 世界 社会 发展 经济 有点 有人 别人 对方 我的 你的 他的 我也 我在 " +
  "我是 我想 我要 我把 我已 给我 让我 大佬 各位 新手 老师 教程 以上 以下 上面 下面 里面 外面 前面 后面 的话 的是 " +
  "了一 好的 好像 几天 几次 两个 三个 第一 第二 最后 最近 目前 当前 本来 原来 后来 起来 出来 回来 过来 进去 出去 " +
  "下来 开始 继续 重新 再次 多次 每次 每天 任何 所有 全部 部分 其他 另外 只是 不过 甚至 即使 无法 不可 能否";
const COMMON_ZH_BIGRAMS: ReadonlySet<string> = (() => {
  const toTraditional = new Map(simplifiedChinese.map((c, i) => [c, traditionalChinese[i]]));
  const set = new Set<string>();
  for (const w of COMMON_ZH_WORDS.split(" ")) {
    const chars = [...w];
    for (let i = 0; i + 1 < chars.length; i++) {
      set.add(chars[i] + chars[i + 1]);
      set.add((toTraditional.get(chars[i]) ?? chars[i]) + (toTraditional.get(chars[i + 1]) ?? chars[i + 1]));
    }
  }
  return set;
})();
const RANK_LLR = Float64Array.from({ length: 2048 }, (_, r) => Math.log((r + 20) / 430));
/** Whole-clause window: blocked from this score on, even without a phrase keyword nearby. */
const SCORE_ALIGNED = -2;
/** Below this, even a whole clause next to a keyword is text (random 12-word phrases: ≈ 0.02 % score lower). */
const SCORE_FLOOR = -6;
/** Unspaced near miss (no checksum): a whole clause near a keyword needs this score per 12 characters. */
const SCORE_NEAR_CLAUSE = 0;
/** Window glued on one side to more Han text: needs a keyword AND this score. */
const SCORE_GLUED = 0;

// ── Telling an English phrase from English prose ──
// English prose can contain 12+ consecutive list words ("Thank you very much, can you check this account
// balance again today please"). Prose is carried by function words; a phrase draws its words uniformly.
// A window in which at least a third of the words are from this set (74 of the 2 048 list words, so a
// random 12-word phrase reaches 4 of them with probability ≈ 0.07 %) reads as prose and is skipped:
// a run whose windows all read as prose is not reported (its 1-in-16 checksum coincidences included).
const ENGLISH_FUNCTION_WORDS: ReadonlySet<string> = new Set(
  (
    "you that they this have what all when can there will about then like into more now also just very " +
    "much any because before between never still again only over same such since until want need please " +
    "thank know already always someone where sure okay either else must often once rather soon today " +
    "together under upon above across almost among around away behind below enough off toward other use " +
    "make come give tell try"
  ).split(" ")
);
// Near misses (no checksum to confirm them) need more caution: support posts are also dense with these
// list words, which count as prose markers in the windows that are not checksum-tested.
const ENGLISH_SUPPORT_WORDS: ReadonlySet<string> = new Set(
  (
    "account balance good great work nice job help check service transfer fee network token coin " +
    "address phone update version problem issue receive swap gas exchange price market time day month " +
    "year people person friend family thing way wrong right first next answer question post forum team " +
    "staff card cash code error message screen click open close window page link mail number amount " +
    "total cost trade trust safe security private public key seed phrase word report ready wait " +
    "confirm success slow delay hour minute second"
  ).split(" ")
);
const ENGLISH_GROUP = 0;
const prosyWindow = (functionWords: number, length: number): boolean => functionWords * 3 >= length;

const CONTEXT_BEFORE = 40;
const CONTEXT_AFTER = 20;
const PHRASE_CONTEXT_RE =
  /助记词|助記詞|助记|助記|记忆词|記憶詞|恢复词|恢復詞|恢复短语|種子|种子|私钥|私鑰|密钥|密鑰|秘钥|秘鑰|备份|備份|mnemonic|seed|phrase|recovery|backup|secret|\bwords\b/giu;

/**
 * Checksum results of the windows of one run, memoised by content (a double polynomial hash of the word
 * indices), so that a long repetitive run ("abandon abandon …", "的 的 的 …") costs one SHA-256 per
 * distinct window instead of one per position.
 */
class WindowMemo {
  private static readonly P1 = 67_108_859; // primes < 2^26: products with B stay below 2^53
  private static readonly P2 = 67_108_837;
  private static readonly B = 2_053;
  private static readonly POW1 = WindowMemo.powers(WindowMemo.P1);
  private static readonly POW2 = WindowMemo.powers(WindowMemo.P2);
  private static powers(p: number): Float64Array {
    const pw = new Float64Array(25);
    pw[0] = 1;
    for (let i = 1; i < pw.length; i++) pw[i] = (pw[i - 1] * WindowMemo.B) % p;
    return pw;
  }
  private readonly h1: Float64Array;
  private readonly h2: Float64Array;
  private readonly seen = new Map<number, Map<number, boolean>>(); // length → content key → valid
  constructor(private readonly idx: Int16Array, private readonly from: number, to: number) {
    const { P1, P2, B } = WindowMemo;
    this.h1 = new Float64Array(to - from + 1);
    this.h2 = new Float64Array(to - from + 1);
    for (let q = from; q < to; q++) {
      const v = idx[q] + 1;
      this.h1[q - from + 1] = (this.h1[q - from] * B + v) % P1;
      this.h2[q - from + 1] = (this.h2[q - from] * B + v) % P2;
    }
  }
  valid(a: number, L: number): boolean {
    const { P1, P2, POW1, POW2 } = WindowMemo;
    const r = a - this.from;
    const x1 = (((this.h1[r + L] - ((this.h1[r] * POW1[L]) % P1)) % P1) + P1) % P1;
    const x2 = (((this.h2[r + L] - ((this.h2[r] * POW2[L]) % P2)) % P2) + P2) % P2;
    const key = x1 * P2 + x2; // < 2^52: exact in a double
    let byKey = this.seen.get(L);
    if (!byKey) this.seen.set(L, (byKey = new Map()));
    let v = byKey.get(key);
    if (v === undefined) {
      v = checksumValid(this.idx, a, L);
      byKey.set(key, v);
    }
    return v;
  }
}

type Span = { start: number; end: number }; // token indices, end exclusive

function detectPhrases(
  text: string,
  t: Tokens,
  out: SecretFinding[],
  tokenKinds: Map<number, "word" | "han">
): void {
  const n = t.count;
  if (n < MIN_NEAR) return;
  let contextPositions: number[] | null = null; // keyword match offsets, computed lazily
  const nearKeyword = (from: number, to: number): boolean => {
    if (!contextPositions) contextPositions = [...text.matchAll(PHRASE_CONTEXT_RE)].map((m) => m.index);
    for (const p of contextPositions) if (p >= from - CONTEXT_BEFORE && p <= to + CONTEXT_AFTER) return true;
    return false;
  };

  detectSpread(text, t, out, tokenKinds, nearKeyword);
  const idx = new Int16Array(n);
  const isTypo = new Uint8Array(n);
  for (let g = 0; g < GROUP_COUNT; g++) {
    const gmask = GROUP_MASKS[g];
    const member = (q: number) => ((t.entry[q]?.mask ?? 0) & gmask) !== 0;
    // A stand-in for one word: a typo of a list word, or — among separated Han characters — any Han
    // character (a wrong character in a spaced Chinese phrase).
    const typoIn = (q: number) =>
      g === HAN_GROUP
        ? t.han[q] === 1 && !t.tight[q] && !(q + 1 < n && t.tight[q + 1])
        : (typoOf(text, t, q) & gmask) !== 0;
    let i = 0;
    while (i < n) {
      if (!member(i)) {
        i++;
        continue;
      }
      let j = i + 1;
      let prevTypo = false;
      while (j < n && t.joins[j]) {
        if (member(j)) prevTypo = false;
        else if (!prevTypo && typoIn(j)) prevTypo = true;
        else break;
        j++;
      }
      if (j - i >= MIN_NEAR) {
        for (let k = i; k < j; k++) {
          const gi = t.entry[k]?.groupIndex[g] ?? -1;
          isTypo[k] = gi < 0 ? 1 : 0;
          idx[k] = gi < 0 ? 0 : gi;
        }
        scanRun(g, { start: i, end: j });
      }
      i = j;
    }
  }

  function scanRun(g: number, run: Span): void {
    const gmask = GROUP_MASKS[g];
    const listBits: number[] = [];
    for (let b = 0; b < LISTS.length; b++) if (gmask & (1 << b)) listBits.push(b);
    const len = run.end - run.start;
    // inList[b][k]: how many of the run's first k tokens are in list b, a typo counting as in every
    // list it is one edit from (window membership in O(1)); typos[k]: how many are typos.
    const tokenMask = (q: number) =>
      (t.entry[q]?.mask ?? 0) | (isTypo[q] ? (g === HAN_GROUP ? gmask : t.typo[q]) : 0);
    const inList = listBits.map((b) => {
      const p = new Int32Array(len + 1);
      for (let k = 0; k < len; k++) p[k + 1] = p[k] + (tokenMask(run.start + k) & (1 << b) ? 1 : 0);
      return p;
    });
    const typos = new Int32Array(len + 1);
    for (let k = 0; k < len; k++) typos[k + 1] = typos[k] + isTypo[run.start + k];
    const typosIn = (from: number, cnt: number) => typos[from - run.start + cnt] - typos[from - run.start];
    const oneList = (from: number, cnt: number): boolean =>
      inList.some((p) => p[from - run.start + cnt] - p[from - run.start] === cnt);

    /**
     * Tokens [s, k) form a separated run of ≥ 11 list words (at most one typo in any 11): "mnemonic"
     * as soon as one typo-free window is a valid phrase that does not read as English prose, else
     * "mnemonic_unverified" — 11 of 12 words, a failing checksum, half of a 24-word phrase, a typo:
     * exposed all the same — or nothing when every window reads as prose.
     */
    function scanSeparated(s: number, k: number): SecretKind | null {
      const fw = new Int32Array(k - s + 1); // function words
      const pw = new Int32Array(k - s + 1); // 2 per function word, 1 per support word
      if (g === ENGLISH_GROUP)
        for (let q = s; q < k; q++) {
          fw[q - s + 1] = fw[q - s] + (t.functionWord[q] === 1 ? 1 : 0);
          pw[q - s + 1] = pw[q - s] + (t.functionWord[q] === 1 ? 2 : t.functionWord[q] === 2 ? 1 : 0);
        }
      // Spaced Chinese ("我 想 问 一 下 这 个 钱 包"): neighbours forming a common word mark prose (pw).
      if (g === HAN_GROUP)
        for (let q = s; q < k; q++) {
          const common = q > s && COMMON_ZH_BIGRAMS.has(text.slice(t.start[q - 1], t.end[q - 1]) + text.slice(t.start[q], t.end[q]));
          pw[q - s + 1] = pw[q - s] + (common ? 2 * MIN_NEAR : 0);
        }
      const memo = new WindowMemo(idx, s, k);
      let near = false;
      for (let a = s; a + MIN_NEAR <= k; a++) {
        // Support words count half: prose if function words + support words / 2 ≥ a third of the window.
        const pairs = g === HAN_GROUP ? 1 : 0; // Han: marks sit on the second character of a pair
        if (!near && !prosyWindow(pw[a - s + MIN_NEAR] - pw[a - s + pairs], 2 * MIN_NEAR) && typosIn(a, MIN_NEAR) <= 1)
          near = oneList(a, MIN_NEAR);
        for (const L of PHRASE_LENGTHS) {
          if (a + L > k) break;
          if (prosyWindow(fw[a - s + L] - fw[a - s], L) || typosIn(a, L) > 0) continue;
          if (oneList(a, L) && memo.valid(a, L)) return "mnemonic";
        }
      }
      return near ? "mnemonic_unverified" : null;
    }

    // 1. Separated sub-runs: maximal stretches of "loose" tokens, i.e. tokens glued to no Han neighbour
    //    (a Han character glued to another belongs to unspaced text, handled in 2.).
    const loose = (q: number): boolean => !t.tight[q] && !(q + 1 < n && t.tight[q + 1]);
    let s = run.start;
    while (s < run.end) {
      if (!loose(s)) {
        s++;
        continue;
      }
      let k = s + 1;
      while (k < run.end && loose(k)) k++;
      if (k - s >= MIN_NEAR) {
        const kind = scanSeparated(s, k);
        if (kind) {
          out.push({ kind, start: t.start[s], end: t.end[k - 1] });
          for (let q = s; q < k; q++) tokenKinds.set(q, t.han[q] ? "han" : "word");
        }
      }
      s = k;
    }

    // 2. Unspaced Han windows.
    if (g !== HAN_GROUP) return;
    const tightPrefix = new Int32Array(len + 1);
    const commonPrefix = new Int32Array(len + 1);
    const scorePrefix = new Float64Array(len + 1);
    for (let k = 0; k < len; k++) {
      const q = run.start + k;
      tightPrefix[k + 1] = tightPrefix[k] + (k > 0 && t.tight[q] ? 1 : 0);
      commonPrefix[k + 1] = commonPrefix[k] + (k > 0 && t.commonPair[q] ? 1 : 0);
      scorePrefix[k + 1] = scorePrefix[k] + RANK_LLR[idx[q]];
    }
    if (tightPrefix[len] === 0) return;
    let coveredUntil = -1; // token index: windows ending at or before it add nothing
    for (let a = run.start; a + MIN_PHRASE <= run.end; a++) {
      const alignedStart = !t.tight[a];
      for (let li = PHRASE_LENGTHS.length - 1; li >= 0; li--) {
        const L = PHRASE_LENGTHS[li];
        const z = a + L; // exclusive end
        if (z > run.end || z - 1 <= coveredUntil) continue;
        const r0 = a - run.start;
        // Pairs strictly inside the window are those ending at tokens a+1 .. z-1.
        if (tightPrefix[r0 + L] - tightPrefix[r0 + 1] === 0) continue; // no tight gap: handled in 1.
        const alignedEnd = z >= n || !t.tight[z];
        if (!alignedStart && !alignedEnd) continue;
        if (commonPrefix[r0 + L] - commonPrefix[r0 + 1] > 0) continue; // contains a common word: prose
        if (typosIn(a, L) > 0) continue; // a stand-in has no index to checksum
        const score = scorePrefix[r0 + L] - scorePrefix[r0];
        let kind: SecretKind;
        if (alignedStart && alignedEnd) {
          if (score < SCORE_FLOOR) continue;
          if (score >= SCORE_ALIGNED || nearKeyword(t.start[a], t.end[z - 1])) kind = "mnemonic";
          else kind = "mnemonic_unverified"; // checksum-valid whole clause that still reads a bit like text
        } else if (score >= SCORE_GLUED && nearKeyword(t.start[a], t.end[z - 1])) kind = "mnemonic";
        else continue;
        if (!oneList(a, L) || !checksumValid(idx, a, L)) continue;
        out.push({ kind, start: t.start[a], end: t.end[z - 1] });
        for (let q = a; q < z; q++) tokenKinds.set(q, t.han[q] ? "han" : "word");
        if (kind === "mnemonic") coveredUntil = z - 1;
      }
    }
    // Unspaced near misses: only a whole clause (both ends boundaries) of a phrase's length or one
    // less, called a phrase nearby ("助记词：…"), that reads as drawn at random (score) and holds no
    // common word. Without the checksum, the keyword and the clause shape are the evidence.
    for (let a = run.start; a + MIN_NEAR <= run.end; a++) {
      if (t.tight[a]) continue;
      for (const L of NEAR_CLAUSE_LENGTHS) {
        const z = a + L;
        if (z > run.end) break;
        if (z - 1 <= coveredUntil || (z < n && t.tight[z])) continue;
        const r0 = a - run.start;
        if (tightPrefix[r0 + L] - tightPrefix[r0 + 1] === 0) continue;
        if (commonPrefix[r0 + L] - commonPrefix[r0 + 1] > 0 || typosIn(a, L) > 0) continue;
        if ((scorePrefix[r0 + L] - scorePrefix[r0]) * (MIN_PHRASE / L) < SCORE_NEAR_CLAUSE) continue;
        if (!oneList(a, L) || !nearKeyword(t.start[a], t.end[z - 1])) continue;
        out.push({ kind: "mnemonic_unverified", start: t.start[a], end: t.end[z - 1] });
        for (let q = a; q < z; q++) tokenKinds.set(q, "han");
        coveredUntil = z - 1;
      }
    }
  }
}
/** Clause lengths of an unspaced near miss: a phrase's length, or one word short. */
const NEAR_CLAUSE_LENGTHS = [11, 12, 14, 15, 17, 18, 20, 21, 23, 24] as const;

// ── Words spread through a sentence ──
// "my words: abandon, then ability, and able, also about …": the list words of a phrase with a few filler
// words between them. Anchors are list words that are not English function words; a chain
// of ≥ 11 anchors of one list with at most SPREAD_FILL other tokens between neighbours and no sentence
// end inside is a spread phrase when anchors make up at least SPREAD_DENSITY of its tokens, or
// SPREAD_DENSITY_KEYWORD with a phrase keyword near. Prose rarely strings 12 rare list words together
// without function words or a full stop; such a chain is reported as a near miss.
const SPREAD_MIN = 11;
const SPREAD_FILL = 3;
const SPREAD_DENSITY = 0.6;
const SPREAD_DENSITY_KEYWORD = 0.35;
const SENTENCE_BREAK_RE = /[.?!。？！](?:\s|$)|[。？！]|\n\s*\n/u;

function detectSpread(
  text: string,
  t: Tokens,
  out: SecretFinding[],
  tokenKinds: Map<number, "word" | "han">,
  nearKeyword: (from: number, to: number) => boolean
): void {
  const n = t.count;
  for (let g = 0; g < GROUP_COUNT; g++) {
    if (g === HAN_GROUP) continue;
    const gmask = GROUP_MASKS[g];
    const anchor = (q: number) =>
      ((t.entry[q]?.mask ?? 0) & gmask) !== 0 && (g !== ENGLISH_GROUP || t.functionWord[q] !== 1);
    let chain: number[] = [];
    const flush = () => {
      if (chain.length >= SPREAD_MIN) {
        const a = chain[0];
        const z = chain[chain.length - 1];
        const density = chain.length / (z - a + 1);
        const oneList = LISTS.some(
          (_, b) => gmask & (1 << b) && chain.filter((q) => t.entry[q]!.mask & (1 << b)).length >= SPREAD_MIN
        );
        // A phrase rarely repeats a word; prose does ("check the fee, check the address, check …").
        const distinct = new Set(chain.map((q) => text.slice(t.start[q], t.end[q]).toLowerCase())).size;
        // Support vocabulary ("open, coin, amount, confirm, fee, address") is how steps are written; a
        // random phrase holds about one such word in 24.
        const support = new Set(
          chain.filter((q) => t.functionWord[q] === 2).map((q) => text.slice(t.start[q], t.end[q]).toLowerCase())
        ).size; // distinct: a repeated "next" is a filler
        if (
          oneList &&
          distinct >= SPREAD_MIN &&
          support * 4 < chain.length &&
          density < 1 && // no filler at all: a plain run, handled by the phrase rules
          (density >= SPREAD_DENSITY ||
            (density >= SPREAD_DENSITY_KEYWORD && nearKeyword(t.start[a], t.end[z])))
        ) {
          out.push({ kind: "mnemonic_unverified", start: t.start[a], end: t.end[z] });
          for (const q of chain) tokenKinds.set(q, "word");
        }
      }
      chain = [];
    };
    for (let q = 0; q < n; q++) {
      if (!anchor(q)) continue;
      if (chain.length) {
        const last = chain[chain.length - 1];
        if (q - last - 1 > SPREAD_FILL || SENTENCE_BREAK_RE.test(text.slice(t.end[last], t.start[q]))) flush();
      }
      chain.push(q);
    }
    flush();
  }
}

// ───────────────────────────── private keys ─────────────────────────────

const b58check = createBase58check(sha256);
const BASE58_RE = /^[1-9A-HJ-NP-Za-km-z]+$/;
const HEX_RE = /^(?:0[xX])?(?:[0-9a-fA-F]{64}|[0-9a-fA-F]{128})$/;
const ALNUM_RUN_RE = /[0-9A-Za-z]+/g;

// Words calling a hex value a key, and words calling it something harmless. Nearest one wins.
const KEY_WORDS_RE =
  /private[\s_-]*key|priv[\s_-]*key|privkey|secret|seed|mnemonic|\bwif\b|\bprv\b|(?<!\bpub(?:lic)?[\s_-]*)\bkey\s*(?:is\s*)?[:=：]|\bpk\s*[:=：]|私钥|私鑰|私匙|密钥|密鑰|秘钥|秘鑰|助记词|助記詞|种子|種子/giu;
const NOT_KEY_WORDS_RE =
  /\btx(?:id|n)?\b|hash|哈希|transaction|交易|\bblock\b|区块|區塊|public|\bpub\b|pubkey|公钥|公鑰|address|地址|合约|合約|contract|订单|訂單|\border\b|signature|签名|簽名|scan\b|explorer|浏览器|瀏覽器/giu;
const HEX_CONTEXT_BEFORE = 40;
const SENTENCE_END_RE = /[.?!。？！](?=\s|$)|[。？！]/gu;
const HEX_CONTEXT_AFTER = 30;

function lastMatchEnd(re: RegExp, s: string): number {
  let last = -1;
  for (const m of s.matchAll(re)) last = m.index + m[0].length;
  return last;
}
function firstMatchStart(re: RegExp, s: string): number {
  re.lastIndex = 0;
  const m = re.exec(s);
  re.lastIndex = 0;
  return m ? m.index : -1;
}

function hexCalledKey(text: string, start: number, end: number): boolean {
  const lineStart = text.lastIndexOf("\n", start - 1) + 1;
  // Context is the same line, the last 40 characters, and the same sentence: in "did I leak my seed
  // phrase? <tx hash>" the question mark separates the key word from the value.
  const window = text.slice(Math.max(lineStart, start - HEX_CONTEXT_BEFORE), start);
  const cut = lastMatchEnd(SENTENCE_END_RE, window);
  const before = cut < 0 ? window : window.slice(cut);
  const pos = lastMatchEnd(KEY_WORDS_RE, before);
  const neg = lastMatchEnd(NOT_KEY_WORDS_RE, before);
  if (pos >= 0 || neg >= 0) return pos > neg;
  // Alone on its line: the nearest non-blank line above may be its label, in any language: when it
  // ENDS with the key word ("private key:") or calls something a key and ends like a label ("… private
  // key of the old account:", "旧账户的私钥（备份）：") — so "my private key is safe.\n<tx hash>" passes.
  if (lineStart > 0 && /^\s*$/.test(window)) {
    let prevEnd = lineStart - 1;
    let prevStart = text.lastIndexOf("\n", prevEnd - 1) + 1;
    for (let skip = 0; skip < 2 && prevStart > 0 && /^\s*$/.test(text.slice(prevStart, prevEnd)); skip++) {
      prevEnd = prevStart - 1;
      prevStart = text.lastIndexOf("\n", prevEnd - 1) + 1;
    }
    let prev = text.slice(Math.max(prevStart, prevEnd - 2 * HEX_CONTEXT_BEFORE), prevEnd).trimEnd();
    const cutPrev = lastMatchEnd(SENTENCE_END_RE, prev); // "…my private key? Here is what I see:"
    if (cutPrev >= 0) prev = prev.slice(cutPrev);
    const p = lastMatchEnd(KEY_WORDS_RE, prev);
    if (p >= 0 && p > lastMatchEnd(NOT_KEY_WORDS_RE, prev)) {
      if (/^[\s:：=\-]*$/.test(prev.slice(p))) return true;
      if (/(?:[:：=＝]|->|→|\bis|\bare|是|为|為|如下|below)\s*[:：]?$/iu.test(prev)) return true;
    }
  }
  let lineEnd = text.indexOf("\n", end);
  if (lineEnd < 0) lineEnd = text.length;
  let after = text.slice(end, Math.min(lineEnd, end + HEX_CONTEXT_AFTER));
  const stop = firstMatchStart(SENTENCE_END_RE, after);
  if (stop >= 0) after = after.slice(0, stop);
  const pos2 = firstMatchStart(KEY_WORDS_RE, after);
  if (pos2 < 0) return false;
  const neg2 = firstMatchStart(NOT_KEY_WORDS_RE, after);
  return neg2 < 0 || pos2 < neg2;
}

function decodeB58check(s: string): Uint8Array | null {
  try {
    return b58check.decode(s);
  } catch {
    return null;
  }
}

/** The key a candidate string is, or null (checksums and the BIP-32 private marker decide). */
function keyKind(text: string, v: string, start: number, end: number): SecretKind | null {
  if ((v.length >= 64 && v.length <= 66) || (v.length >= 128 && v.length <= 130))
    return HEX_RE.test(v) && hexCalledKey(text, start, end) ? "hex_key" : null;
  if ((v.length === 51 || v.length === 52) && "5KL9c".includes(v[0]) && BASE58_RE.test(v)) {
    const p = decodeB58check(v);
    if (p && (p[0] === 0x80 || p[0] === 0xef) && (p.length === 33 || (p.length === 34 && p[33] === 0x01)))
      return "wif";
    return null;
  }
  if (v.length === 111 && BASE58_RE.test(v)) {
    const p = decodeB58check(v);
    // BIP-32 serialisation: 4 version, 1 depth, 4 fingerprint, 4 child, 32 chain code, 33 key data;
    // private key data is 0x00 || k.
    if (p && p.length === 78 && p[45] === 0x00) return "xprv";
  }
  return null;
}

// A key written in pieces: groups separated by spaces, a dash, dot, underscore, bar or slash
// ("KwDi BQ1m …", "KwDi-BQ1m"), or broken over lines.
const KEY_PIECE_GAP_RE = /^(?:[ \t\u3000]{1,3}|[ \t]*[-_.|/·][ \t]*|[ \t]*\r?\n[ \t]*)$/;
const HEX_PIECE_RE = /^(?:0[xX])?[0-9a-fA-F]+$/;
const KEY_LENGTHS = new Set([51, 52, 64, 66, 111, 128, 130]);

function detectKeys(text: string, out: SecretFinding[]): void {
  const runs = [...text.matchAll(ALNUM_RUN_RE)];
  for (let i = 0; i < runs.length; i++) {
    const m = runs[i];
    const start = m.index;
    const kind = keyKind(text, m[0], start, start + m[0].length);
    if (kind) {
      out.push({ kind, start, end: start + m[0].length });
      continue;
    }
    // Pieces: join the following runs while the gaps are piece gaps and the result stays hex or base58.
    const first = m[0];
    let hex = HEX_PIECE_RE.test(first);
    let b58 = "5KL9cxtyzuvYZUVLM".includes(first[0]) && BASE58_RE.test(first);
    if (!hex && !b58) continue;
    let joined = first;
    let digits = hex ? first.replace(/^0[xX]/, "").replace(/[^0-9]/g, "").length : 0;
    for (let j = i + 1; j < runs.length && joined.length < 130; j++) {
      const prevEnd = runs[j - 1].index + runs[j - 1][0].length;
      if (!KEY_PIECE_GAP_RE.test(text.slice(prevEnd, runs[j].index))) break;
      const piece = runs[j][0];
      hex = hex && /^[0-9a-fA-F]+$/.test(piece);
      b58 = b58 && BASE58_RE.test(piece);
      if (!hex && !b58) break;
      joined += piece;
      if (hex) digits += piece.replace(/[^0-9]/g, "").length;
      if (!KEY_LENGTHS.has(joined.length)) continue;
      // Words made of the letters a–f ("a bad cafe") are hex too: a real key has digits.
      if (hex && !b58 && digits < 8) continue;
      const end = runs[j].index + piece.length;
      const k = keyKind(text, joined, start, end);
      if (k && (k !== "hex_key" || digits >= 8)) {
        out.push({ kind: k, start, end });
        i = j;
        break;
      }
    }
  }
}

// ───────────────────────────── masking & API ─────────────────────────────

const WORD_MASK = "•••••";
const HAN_MASK = "•";

function keyMask(kind: SecretKind, v: string): string {
  if (kind === "xprv") return `${v.slice(0, 4)}…[hidden]`; // version prefix: not secret
  if (kind === "wif") return `${v[0]}…[hidden]`; // first char is fixed by version/compression
  return `${/^0x/i.test(v) ? v.slice(0, 2) : ""}…[hidden]`;
}

/**
 * Runs found in different list groups (English/French share 100 words) or by both phrase rules may
 * overlap: report their union once, "mnemonic" winning over "mnemonic_unverified".
 */
function mergePhraseFindings(found: SecretFinding[]): SecretFinding[] {
  found.sort((a, b) => a.start - b.start);
  const merged: SecretFinding[] = [];
  for (const f of found) {
    const last = merged[merged.length - 1];
    if (last && f.start < last.end) {
      last.end = Math.max(last.end, f.end);
      if (f.kind === "mnemonic") last.kind = "mnemonic";
    } else merged.push({ ...f });
  }
  return merged;
}

// A near miss (mnemonic_unverified) is refused like a verified phrase: the author removes it and posts.
const BLOCKING: ReadonlySet<SecretKind> = new Set(["mnemonic", "mnemonic_unverified", "wif", "xprv", "hex_key"]);

export function scanForSecrets(text: string): GuardResult {
  if (!text) return { verdict: "ok" };
  const findings: SecretFinding[] = [];
  detectKeys(text, findings);
  const prepared = preparePhraseText(text);
  const t = tokenize(prepared);
  const tokenKinds = new Map<number, "word" | "han">();
  const phrases: SecretFinding[] = [];
  detectPhrases(prepared, t, phrases, tokenKinds);
  findings.push(...mergePhraseFindings(phrases));
  if (findings.length === 0) return { verdict: "ok" };
  findings.sort((a, b) => a.start - b.start || b.end - a.end);

  // Replacement operations: key findings as a whole, phrase findings token by token.
  type Op = { start: number; end: number; text: string };
  const ops: Op[] = [];
  for (const f of findings) {
    if (f.kind === "wif" || f.kind === "xprv" || f.kind === "hex_key")
      ops.push({ start: f.start, end: f.end, text: keyMask(f.kind, text.slice(f.start, f.end)) });
  }
  for (const [k, kind] of tokenKinds)
    ops.push({ start: t.start[k], end: t.end[k], text: kind === "han" ? HAN_MASK : WORD_MASK });
  ops.sort((a, b) => a.start - b.start || b.end - a.end);
  let masked = "";
  let pos = 0;
  for (const op of ops) {
    if (op.start < pos) {
      // Overlaps an earlier replacement: just extend what is hidden.
      if (op.end > pos) pos = op.end;
      continue;
    }
    masked += text.slice(pos, op.start) + op.text;
    pos = op.end;
  }
  masked += text.slice(pos);

  const verdict = findings.some((f) => BLOCKING.has(f.kind)) ? "block" : "warn";
  return { verdict, findings, masked };
}

const VERDICT_RANK: Record<GuardVerdict, number> = { ok: 0, warn: 1, block: 2 };

/** Scans several fields at once (e.g. title + body); worst verdict wins; masked per field. */
export function guardFields<T extends Record<string, string>>(
  fields: T
): { verdict: GuardVerdict; findings: Record<keyof T, SecretFinding[]>; masked: T } {
  let verdict: GuardVerdict = "ok";
  const findings = {} as Record<keyof T, SecretFinding[]>;
  const masked = { ...fields };
  for (const key of Object.keys(fields) as (keyof T)[]) {
    const r = scanForSecrets(fields[key]);
    if (VERDICT_RANK[r.verdict] > VERDICT_RANK[verdict]) verdict = r.verdict;
    if (r.verdict === "ok") {
      findings[key] = [];
    } else {
      findings[key] = r.findings;
      masked[key] = r.masked as T[keyof T];
    }
  }
  return { verdict, findings, masked };
}
