/**
 * The one Markdown renderer of Quorum: marked (GFM) -> sanitize-html allowlist -> link-host suffixes.
 *
 * Posts are rendered once, at write time, and the stored HTML is served as-is, so everything here is
 * about what a hostile author can make that HTML do (nothing active, no disguised links) and about what
 * a hostile body can make the *server* do while rendering it (nothing slow, nothing that throws).
 *
 * Pipeline (renderMarkdown):
 *   1. normalise: NFC, CRLF -> LF, NUL -> U+FFFD, clip to MAX_BODY_LENGTH;
 *   2. lex with a bounded lexer (BoundedTokenizer, BoundedLexer): container nesting is capped
 *      inside the tokenizer itself (deeper content is left flat, as text), and each construct on
 *      which marked is superlinear has a budget or a window (tables, emphasis, setext headings,
 *      lazy lines in lists and quotes, e-mail-ish runs); see the comments at each;
 *   3. render with our own renderer overrides: raw HTML is shown as text, URLs are checked and
 *      canonicalised, headings are demoted, code-block languages restricted, links and images
 *      counted against a budget;
 *   4. sanitize-html with a strict allowlist (the real security boundary, in case step 3 misses);
 *   5. after sanitising, every external link whose text is not its own URL gets a
 *      `<span class="link-host">(host)</span>` suffix, and every link to a host that is not trusted
 *      (see app/safety/links.server.ts) a `<span class="link-warning">` mark, so neither can be forged.
 * Images come only from this site (root-relative) or QUORUM_IMAGE_HOSTS; others become plain links.
 * A post whose HTML would have more than MAX_HTML_TAGS tags, and any exception, falls back to the
 * escaped text in a <p>.
 */
import { domainToASCII } from "node:url";
import { Lexer, Marked, Tokenizer, type Token, type Tokens } from "marked";
import sanitizeHtml from "sanitize-html";
import { hostUnder, imageHosts, trustedLinkHosts } from "~/safety/links.server";

/** Characters (JS string length after NFC normalisation and CRLF -> LF, like a textarea's maxlength). */
// The body limit is shared with the forms (which run in the browser too): one definition.
import { MAX_BODY_LENGTH } from "~/domain/limits";
export { MAX_BODY_LENGTH };
/**
 * Block nesting: blockquotes + list levels. Real posts rarely go past 4 or 5 (a quoted reply
 * quoting a nested list); 12 leaves room for that while keeping marked's per-level recursion and
 * re-lexing (each level re-lexes its whole content) to a small, fixed factor.
 */
export const MAX_NESTING_DEPTH = 12;

export type MarkdownProblem = { code: "too_long"; max: number } | { code: "too_deep"; max: number };

/**
 * Cells in all tables of one post. A wide reference table is a few hundred; this is about ten
 * times that. Cells are the cheapest way to make a lot of HTML elements, see BoundedTokenizer.table.
 */
const MAX_TABLE_CELLS = 2_000;
/** Lines of text (underline included) a setext heading may span, see BoundedTokenizer.lheading. */
const SETEXT_MAX_LINES = 20;
/** Lazy continuation lines per list, see BoundedTokenizer.list. */
const MAX_LAZY_LINES = 100;
/** Lazy-continuation chunks per blockquote, see BoundedTokenizer.blockquote. */
const MAX_QUOTE_CHUNKS = 50;
/**
 * Characters of emphasis/strikethrough delimiter scanning per post (see BoundedTokenizer.emStrong).
 * Ordinary emphasis costs about its own length plus EMPHASIS_TOKEN_COST, so this is over a
 * thousand emphasised phrases.
 */
const EMPHASIS_SCAN_BUDGET = 40_000;
/** Charged per emphasis found, on top of its length: its content is lexed again on its own. */
const EMPHASIS_TOKEN_COST = 32;
/**
 * Links and images rendered per post, and the total length of their URLs and titles: a reference
 * definition can be used thousands of times (`[a]` is 3 characters, its URL up to the whole body),
 * so without this 20 000 characters can expand to megabytes of HTML. Past either budget, links
 * show as their text and images as their alt text. Both are far beyond any real post.
 */
const MAX_LINKS = 500;
const MAX_LINK_CHARS = 50_000;
/**
 * Steps of marked's block lexer (about one per block at any nesting level: paragraph, heading,
 * list item, blank line), see BoundedTokenizer.space. A 20 000-character post of headings, lists,
 * quotes, tables and code uses under 1 000, as does a list of a thousand items.
 */
const MAX_BLOCK_STEPS = 5_000;
/**
 * Tags (opening and closing) in marked's output above which a post is shown as plain escaped text
 * instead: sanitising costs a few microseconds per element, and 20 000 characters can make over
 * 20 000 elements (`#` lines, `-` lines, `*a*` runs). A long, heavily formatted real post has a
 * few thousand; a table at the cell budget about 4 500.
 */
const MAX_HTML_TAGS = 10_000;
/** Default excerpt length: about what search engines show of a meta description. */
const DEFAULT_EXCERPT_LENGTH = 160;
const LINK_REL = "nofollow ugc noopener noreferrer";

/* ------------------------------------------------------------------------------------------------
 * Normalisation
 * ---------------------------------------------------------------------------------------------- */

function normalise(md: unknown): string {
  if (typeof md !== "string") return "";
  return md.normalize("NFC").replace(/\r\n?/g, "\n").replace(/\0/g, "\uFFFD");
}

/** Cut to at most `max` UTF-16 units without splitting a surrogate pair. */
function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  const c = s.charCodeAt(max - 1);
  return s.slice(0, c >= 0xd800 && c <= 0xdbff ? max - 1 : max);
}

/* ------------------------------------------------------------------------------------------------
 * Bounded lexing
 * ---------------------------------------------------------------------------------------------- */

/** Thrown out of the lexer when a post has more block structure than is worth rendering. */
class TooManyBlocks extends Error {}

/**
 * marked's tokenizer with bounds; one instance per lex, since depth and budgets are per document.
 *
 * Nesting is capped where marked actually recurses: its blockquote and list tokenizers lex their
 * content recursively (also when blockquote re-parses a nested child for lazy lines), so counting
 * live calls of these two methods is exactly marked's nesting depth. At the cap they report "no
 * match" and the line falls through to the paragraph/text tokenizers, i.e. the `>` or `-` markers
 * beyond the cap are shown as text. The other overrides bound marked's superlinear cases.
 */
class BoundedTokenizer extends Tokenizer {
  private depth = 0;
  private readonly maxDepth: number;
  private tableCellsLeft = MAX_TABLE_CELLS;
  private scanLeft = EMPHASIS_SCAN_BUDGET;
  private blockSteps = 0;
  private lastIndexSrc = "";
  private readonly lastIndexes = new Map<string, number>();

  constructor(maxDepth: number) {
    super();
    this.maxDepth = maxDepth;
  }

  /**
   * marked pads every body row to the header's width, so a 1 000-column header followed by a few
   * thousand one-character lines is millions of cells (10 KB of Markdown -> 30 MB of HTML, seconds).
   * Tables are charged against a per-document cell budget, estimated from marked's own table regex
   * before any cell is built. A table that does not fit is shown as its source in a code block:
   * content kept, nothing built. (Refusing it instead would be quadratic: marked would then try the
   * table-like lines one at a time, rescanning all the rows after each.)
   */
  override table(src: string): Tokens.Table | undefined {
    const match = this.rules.block.table.exec(src);
    if (!match) return undefined;
    const columns = match[2].split("|").length; // delimiter row; >= the real column count
    const rows = 1 + (match[3] ? match[3].split("\n").length : 0);
    if (columns * rows > this.tableCellsLeft) {
      const code: Tokens.Code = { type: "code", raw: match[0], text: match[0].replace(/\n+$/, "") };
      return code as unknown as Tokens.Table; // the lexer takes any token from any tokenizer
    }
    const table = super.table(src);
    if (table) this.tableCellsLeft -= table.header.length * (1 + table.rows.length);
    return table;
  }

  /**
   * Every step of marked's block loop starts here (at every nesting level), so this counts block
   * work. Past MAX_BLOCK_STEPS the lex is abandoned and the post shown as escaped text: thousands of
   * one-line paragraphs, headings or list items cost marked and sanitize-html several microseconds
   * each, with nothing to gain from formatting them.
   */
  override space(src: string): Tokens.Space | undefined {
    if (++this.blockSteps > MAX_BLOCK_STEPS) throw new TooManyBlocks();
    return super.space(src);
  }

  /**
   * marked lexes a blockquote in chunks that end where a quoted line is followed by an unquoted
   * (lazy continuation) line, and after each chunk ending in a nested list or quote it re-parses that
   * child together with *all* remaining lines. Alternating lines (`> - a` / `b` repeated) are
   * therefore quadratic: 0.4 s for 20 000 characters. A blockquote keeps at most MAX_QUOTE_CHUNKS
   * chunks; the rest continues as the following blocks (the lazy line at the cut becomes a
   * paragraph, the next quoted line starts a new blockquote).
   */
  override blockquote(src: string): Tokens.Blockquote | undefined {
    return this.nested(() => super.blockquote(cutQuoteChunks(src)));
  }

  /**
   * marked appends each lazy continuation line (unindented text that still belongs to an item's
   * paragraph) to the item and re-reads the whole item so far, so an item followed by thousands of
   * such lines is quadratic. A list keeps at most MAX_LAZY_LINES of them; after that it ends and the
   * following text is an ordinary paragraph.
   */
  override list(src: string): Tokens.List | undefined {
    return this.nested(() => super.list(cutLazyLines(src)));
  }

  /**
   * Setext headings: at every block start marked scans ahead for an `===`/`---` underline. Inside
   * list items text is lexed a line at a time, so a long item (`- a` then thousands of continuation
   * lines) rescans the rest of the item for every line: quadratic, 0.8 s for 20 000 characters. A
   * heading's text may span at most SETEXT_MAX_LINES lines (any real one is a single line), so the
   * scan is limited to that window.
   */
  override lheading(src: string): Tokens.Heading | undefined {
    let end = -1;
    for (let line = 0; line < SETEXT_MAX_LINES; line++) {
      end = src.indexOf("\n", end + 1);
      if (end < 0) return super.lheading(src);
    }
    return super.lheading(src.slice(0, end));
  }

  /*
   * Emphasis and strikethrough: for each opening delimiter, marked scans forward (up to the last
   * delimiter of the same kind) for its closer. Openers that never close rescan the rest of the
   * paragraph each time, which is quadratic: `__2) !` repeated takes 3 s for 20 000 characters.
   * That scanning is charged against a per-document budget, a match by its length (plus a fixed
   * cost for lexing its content separately) and a miss by the distance to the last delimiter it
   * could have closed with; once the budget is spent, delimiters stay literal text. Only
   * pathological bodies come anywhere near it.
   */
  override emStrong(src: string, maskedSrc: string, prevChar = ""): Tokens.Em | Tokens.Strong | undefined {
    // marked's own early exits (no opener here, or an intraword `_`) scan nothing: not charged.
    const open = this.rules.inline.emStrongLDelim.exec(src);
    if (!open || !(open[1] || open[2] || open[3] || open[4])) return undefined;
    if (open[4] && this.rules.other.unicodeAlphaNumeric.test(prevChar)) return undefined;
    return this.scanned(src, maskedSrc, () => super.emStrong(src, maskedSrc, prevChar));
  }

  override del(src: string, maskedSrc: string, prevChar = ""): Tokens.Del | undefined {
    if (!this.rules.inline.delLDelim.test(src)) return undefined;
    return this.scanned(src, maskedSrc, () => super.del(src, maskedSrc, prevChar));
  }

  private scanned<T extends { raw: string }>(src: string, maskedSrc: string, tokenize: () => T | undefined): T | undefined {
    if (this.scanLeft <= 0) return undefined;
    const token = tokenize();
    if (token) this.scanLeft -= token.raw.length + EMPHASIS_TOKEN_COST;
    else this.scanLeft -= Math.max(0, this.lastIndexIn(maskedSrc, src[0]) - (maskedSrc.length - src.length));
    return token;
  }

  /** `maskedSrc.lastIndexOf(ch)`, remembered per inline run so that many misses stay linear. */
  private lastIndexIn(maskedSrc: string, ch: string): number {
    if (this.lastIndexSrc !== maskedSrc) {
      this.lastIndexSrc = maskedSrc;
      this.lastIndexes.clear();
    }
    let index = this.lastIndexes.get(ch);
    if (index === undefined) this.lastIndexes.set(ch, (index = maskedSrc.lastIndexOf(ch)));
    return index;
  }

  private nested<T>(tokenize: () => T | undefined): T | undefined {
    if (this.depth >= this.maxDepth) return undefined;
    this.depth++;
    try {
      return tokenize();
    } finally {
      this.depth--;
    }
  }
}

/*
 * Why inline runs need defusing: at every token start, marked's inline `text` rule and GFM `url`
 * rule look ahead over the following run of e-mail-ish characters to see whether it ends in "@"
 * (an e-mail autolink). A token starts at the stop characters `_ * ~ ! `` ` inside such a run, so a
 * long run with many of them (`_a_a…`, `a_b_a_b_…`, `a**a**…`, `*_*_…`, `!!!…`) costs
 * O(run length x stops): ~0.8 s for 20 000 characters of `_a`. In a run that is both long and
 * stop-dense we backslash-escape the stop characters: `\_` renders as a literal `_`, so the visible
 * text is unchanged (only emphasis inside that one run is lost), and `\` is not an e-mail
 * character, so each look-ahead now ends at the next escape. Runs left alone are either short
 * (<= LONG_RUN) or have <= MAX_RUN_STOPS stops, which bounds the look-ahead work to about
 * LONG_RUN x stops + MAX_RUN_STOPS x length. Applied to inline sources only: code blocks are
 * never touched.
 */
const LONG_RUN = 256;
const MAX_RUN_STOPS = 32;
/** marked's e-mail local-part class (the wider of the two look-aheads). */
const EMAILISH_RUN = new RegExp(`[A-Za-z0-9.!#$%&'*+/=?_\`{|}~-]{${LONG_RUN + 1},}`, "g");
const STOP_CHAR = /[!`*_~]/;

/**
 * Token starts marked makes inside a run: at every `!`, and at every run of the same `` ` * _ ~ ``
 * character (a delimiter or code-span fence is taken whole).
 */
function countStops(run: string): number {
  let stops = 0;
  for (let i = 0; i < run.length; i++) {
    const ch = run[i];
    if (STOP_CHAR.test(ch) && (ch === "!" || ch !== run[i - 1])) stops++;
  }
  return stops;
}

function defuseInline(src: string): string {
  if (src.length <= LONG_RUN) return src;
  return src.replace(EMAILISH_RUN, (run: string, offset: number) => {
    if (countStops(run) <= MAX_RUN_STOPS) return run;
    // An odd number of backslashes right before the run already escapes its first character.
    let slashes = 0;
    while (offset - slashes - 1 >= 0 && src[offset - slashes - 1] === "\\") slashes++;
    let out = "";
    for (let i = 0; i < run.length; i++) {
      const ch = run[i];
      out += STOP_CHAR.test(ch) && !(i === 0 && slashes % 2 === 1) ? "\\" + ch : ch;
    }
    return out;
  });
}

/** Index of the first character at or after `at` that is not a space or tab. */
function skipBlanks(src: string, at: number): number {
  let i = at;
  while (i < src.length && (src.charCodeAt(i) === 32 || src.charCodeAt(i) === 9)) i++;
  return i;
}

/** Line end (index of "\n", or the length) for the line starting at `at`. */
function lineEnd(src: string, at: number): number {
  const eol = src.indexOf("\n", at);
  return eol < 0 ? src.length : eol;
}

/** Whether the line starting at `at` is a quoted line (marked's blockquoteStart: ` {0,3}>`). */
function isQuoted(src: string, at: number): boolean {
  let i = at;
  while (i < at + 3 && src[i] === " ") i++;
  return src[i] === ">";
}

/**
 * The prefix of `src` that a blockquote starting here may take: all of it, unless the quote has
 * more than MAX_QUOTE_CHUNKS chunks (see BoundedTokenizer.blockquote). Scans only as far as the
 * quote can reach: an unquoted blank line always ends it.
 */
function cutQuoteChunks(src: string): string {
  if (!isQuoted(src, 0)) return src;
  let chunks = 1;
  let previousQuoted = false;
  for (let at = 0; at < src.length; ) {
    const eol = lineEnd(src, at);
    const quoted = isQuoted(src, at);
    if (!quoted && skipBlanks(src, at) >= eol) return src;
    if (previousQuoted && !quoted && ++chunks > MAX_QUOTE_CHUNKS) return src.slice(0, at);
    previousQuoted = quoted;
    at = eol + 1;
  }
  return src;
}

const LIST_START = /^ {0,3}(?:[*+-]|\d{1,9}[.)])(?:[ \t]|\n|$)/;
/** A bullet at lastIndex (sticky). */
const BULLET_AT = /(?:[*+-]|\d{1,9}[.)])(?=[ \t\n]|$)/y;

/**
 * The prefix of `src` that a list starting here may take: all of it, unless it has more than
 * MAX_LAZY_LINES lazy continuation lines (see BoundedTokenizer.list). Scans only as far as the list
 * can reach: after a blank line, an unindented line that is not a bullet ends it.
 */
function cutLazyLines(src: string): string {
  if (!LIST_START.test(src)) return src;
  let lazy = 0;
  let previousBlank = false;
  for (let at = src.indexOf("\n") + 1; at > 0 && at < src.length; ) {
    const eol = lineEnd(src, at);
    const first = skipBlanks(src, at);
    const blank = first >= eol;
    BULLET_AT.lastIndex = at;
    if (!blank && first === at && !BULLET_AT.test(src)) {
      if (previousBlank) return src;
      if (++lazy > MAX_LAZY_LINES) return src.slice(0, at);
    }
    previousBlank = blank;
    at = eol + 1;
  }
  return src;
}

class BoundedLexer extends Lexer {
  override inlineTokens(src: string, tokens?: Token[]): Token[] {
    return super.inlineTokens(defuseInline(src), tokens);
  }
}

/* ------------------------------------------------------------------------------------------------
 * URLs
 * ---------------------------------------------------------------------------------------------- */

const NAMED_ENTITIES: Record<string, string> = {
  amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0", colon: ":", sol: "/",
  bsol: "\\", tab: "\t", newline: "\n", lpar: "(", rpar: ")", num: "#", percnt: "%",
  quest: "?", equals: "=", period: ".", commat: "@",
};

/**
 * Decode character references (numeric, and the named ones relevant to URLs and text). marked
 * leaves `&#106;avascript:` in link destinations as-is and its own renderer would let the browser
 * decode it, so URLs are decoded here before their scheme is judged, then re-escaped on output.
 */
function decodeEntities(s: string): string {
  if (!s.includes("&")) return s;
  return s.replace(/&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]{2,8}));/g, (whole, dec, hex, name) => {
    if (name !== undefined) return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
    const cp = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex, 16);
    return cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ? "\ufffd" : String.fromCodePoint(cp);
  });
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * What a browser would make of an href before scheme detection: tabs and newlines anywhere are
 * dropped and leading/trailing C0 controls and spaces trimmed (`java\nscript:` is `javascript:`).
 */
function cleanUrl(raw: string): string {
  const url = decodeEntities(raw).replace(/[\t\n\r]/g, "");
  // Trimmed by hand: `[\u0000-\u0020]+$` would be quadratic on a long run of inner spaces.
  let start = 0;
  let end = url.length;
  while (start < end && url.charCodeAt(start) <= 0x20) start++;
  while (end > start && url.charCodeAt(end - 1) <= 0x20) end--;
  return url.slice(start, end);
}

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):/;

/**
 * Allowed link targets, canonicalised: http(s) through the WHATWG URL parser (so `https:\\evil.x`
 * becomes the `https://evil.x/` the browser would visit, and IDN hosts become punycode), mailto,
 * and root-relative paths on this site. Everything else (javascript:, data:, vbscript:, unknown
 * schemes, control characters inside the scheme, `//host`, `/\host`) is refused: null.
 */
function safeLinkUrl(raw: string): string | null {
  const url = cleanUrl(raw);
  const scheme = SCHEME.exec(url)?.[1].toLowerCase();
  if (scheme === undefined) return /^\/(?![/\\])/.test(url) ? url : null;
  if (scheme === "mailto") return /^mailto:[^@\s]+@[^@\s]+$/i.test(url) ? url : null;
  if (scheme !== "http" && scheme !== "https") return null;
  try {
    return new URL(url).href;
  } catch {
    return null;
  }
}

/** Images: root-relative paths on this site, or https (no mixed content, no data:, no `//host`). */
function safeImageUrl(raw: string): string | null {
  const url = cleanUrl(raw);
  if (!SCHEME.test(url)) return /^\/(?![/\\])/.test(url) ? url : null;
  if (SCHEME.exec(url)?.[1].toLowerCase() !== "https") return null;
  try {
    return new URL(url).href;
  } catch {
    return null;
  }
}

const RELATIVE_BASE = "https://relative.invalid/";

/** Lower-cased (punycode) host a cleaned URL points at, or "" (relative path, unparseable, no host). */
function hostOf(url: string): string {
  if (/^mailto:/i.test(url)) {
    const domain = url.slice(url.lastIndexOf("@") + 1).split("?")[0];
    return url.includes("@") ? domainToASCII(domain).toLowerCase() : "";
  }
  try {
    // Resolving against a base also catches what browsers treat as protocol-relative (`//h`, `/\h`).
    const host = new URL(url, RELATIVE_BASE).hostname.toLowerCase();
    return host === "relative.invalid" ? "" : host;
  } catch {
    return "";
  }
}

/* ------------------------------------------------------------------------------------------------
 * marked instance and renderer
 * ---------------------------------------------------------------------------------------------- */

const marked = new Marked({ gfm: true, breaks: true, async: false });

/**
 * Per-render state of the renderer overrides below, reset by renderMarkdown (rendering is
 * synchronous, so there is only ever one render in progress).
 */
const render = {
  /** >0 while rendering a link's text: marked can nest an autolink in a link (`[a <https://b>](c)`). */
  linkNesting: 0,
  linksLeft: MAX_LINKS,
  linkCharsLeft: MAX_LINK_CHARS,
  imageHosts: [] as string[],
};

function resetRender(): void {
  render.imageHosts = imageHosts();
  render.linkNesting = 0;
  render.linksLeft = MAX_LINKS;
  render.linkCharsLeft = MAX_LINK_CHARS;
}

/**
 * Charge one link or image against the per-post budgets; false when it must be shown as text.
 * Called before the URL is examined, so an over-budget link costs nothing more.
 */
function takeLink(href: string, title: string | null | undefined): boolean {
  const chars = href.length + (title?.length ?? 0);
  if (render.linksLeft <= 0 || render.linkCharsLeft < chars) return false;
  render.linksLeft--;
  render.linkCharsLeft -= chars;
  return true;
}

marked.use({
  renderer: {
    // Raw HTML is shown as the text the author typed, never passed through (a support forum gets
    // many "my wallet shows <balance> as 0" posts; the allowlist below would drop it silently).
    html(token) {
      const text = escapeHtml(token.text);
      return token.block ? `<p>${text.trimEnd().replace(/\n/g, "<br>")}</p>\n` : text;
    },
    // h1/h2 would out-shout the page title: shift every level down by two.
    heading({ tokens, depth }) {
      const level = Math.min(6, depth + 2);
      return `<h${level}>${this.parser.parseInline(tokens)}</h${level}>\n`;
    },
    code({ text, lang }) {
      const language = (lang ?? "").trim().split(/\s/, 1)[0].toLowerCase();
      const cls = /^[a-z0-9+#-]{1,32}$/.test(language) ? ` class="language-${language}"` : "";
      const body = text ? text.replace(/\n$/, "") + "\n" : "";
      return `<pre><code${cls}>${escapeHtml(body)}</code></pre>\n`;
    },
    link({ href, title, text, tokens, autolink }) {
      const nested = render.linkNesting > 0;
      let inner: string;
      render.linkNesting++;
      try {
        inner = autolink ? escapeHtml(text) : this.parser.parseInline(tokens);
      } finally {
        render.linkNesting--;
      }
      const url = nested || !takeLink(href, title) ? null : safeLinkUrl(href);
      if (url === null) return inner;
      const titleAttr = title ? ` title="${escapeHtml(decodeEntities(title))}"` : "";
      return `<a href="${escapeHtml(url)}"${titleAttr}>${inner}</a>`;
    },
    image({ href, title, text, tokens }) {
      const alt = decodeEntities(tokens ? this.parser.parseInline(tokens, this.parser.textRenderer) : text);
      const url = takeLink(href, title) ? safeImageUrl(href) : null;
      if (url === null) return escapeHtml(alt);
      // A picture from anywhere else could be a copy of the staff badge: show where it is instead.
      if (!url.startsWith("/") && !hostUnder(hostOf(url), render.imageHosts)) {
        return render.linkNesting > 0 ? escapeHtml(url) : `<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>`;
      }
      const titleAttr = title ? ` title="${escapeHtml(decodeEntities(title))}"` : "";
      return `<img src="${escapeHtml(url)}" alt="${escapeHtml(alt)}"${titleAttr}>`;
    },
  },
});

/** Lex `src` (already normalised) with a fresh bounded tokenizer; `blocksOnly` skips inline lexing. */
function lex(src: string, maxDepth: number, blocksOnly = false): Token[] {
  const lexer = new BoundedLexer({ ...marked.defaults, tokenizer: new BoundedTokenizer(maxDepth) });
  return blocksOnly ? lexer.blockTokens(src) : lexer.lex(src);
}

/** Deepest blockquote/list nesting in a token tree (list items are not a level of their own). */
function nestingDepth(tokens: Token[]): number {
  let max = 0;
  for (const token of tokens) {
    if (token.type === "blockquote") {
      max = Math.max(max, 1 + nestingDepth((token as Tokens.Blockquote).tokens));
    } else if (token.type === "list") {
      for (const item of (token as Tokens.List).items) max = Math.max(max, 1 + nestingDepth(item.tokens));
    }
  }
  return max;
}

/* ------------------------------------------------------------------------------------------------
 * Sanitising
 * ---------------------------------------------------------------------------------------------- */

const ALIGN_CLASSES = ["align-left", "align-center", "align-right"];

function tableCell(tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag {
  const cls = `align-${attribs.align}`;
  return { tagName, attribs: ALIGN_CLASSES.includes(cls) ? { class: cls } : {} };
}

const SANITIZE_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    "p", "br", "hr", "h3", "h4", "h5", "h6", "strong", "em", "del", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th", "td", "input",
  ],
  allowedAttributes: {
    a: ["href", "title", "rel"],
    img: ["src", "alt", "title", "loading", "referrerpolicy"],
    ol: ["start"],
    input: ["type", "checked", "disabled"],
  },
  allowedClasses: {
    code: [/^language-[a-z0-9+#-]+$/],
    th: ALIGN_CLASSES,
    td: ALIGN_CLASSES,
  },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesByTag: { img: ["https"] },
  allowedSchemesAppliedToAttributes: ["href", "src"],
  allowProtocolRelative: false,
  disallowedTagsMode: "discard",
  transformTags: {
    a: (tagName, attribs) => ({
      tagName,
      attribs: {
        ...(attribs.href ? { href: attribs.href } : {}),
        ...(attribs.title ? { title: attribs.title } : {}),
        rel: LINK_REL,
      },
    }),
    img: (tagName, attribs) => ({
      tagName,
      attribs: {
        src: attribs.src ?? "",
        alt: attribs.alt ?? "",
        ...(attribs.title ? { title: attribs.title } : {}),
        loading: "lazy",
        referrerpolicy: "no-referrer",
      },
    }),
    input: (tagName, attribs) => ({
      tagName,
      attribs: { type: "checkbox", disabled: "", ...("checked" in attribs ? { checked: "" } : {}) },
    }),
    ol: (tagName, attribs) => {
      const kept: sanitizeHtml.Attributes = /^\d{1,9}$/.test(attribs.start ?? "") ? { start: attribs.start } : {};
      return { tagName, attribs: kept };
    },
    th: tableCell,
    td: tableCell,
  },
  // An <img> whose src was refused would be an empty box: drop it.
  exclusiveFilter: (frame) => frame.tag === "img" && !frame.attribs.src,
};

/* ------------------------------------------------------------------------------------------------
 * Link-host suffixes
 * ---------------------------------------------------------------------------------------------- */

/** True when the visible text already shows where the link goes (autolinks, pasted URLs). */
function textShowsDestination(text: string, href: string): boolean {
  try {
    const url = new URL(href);
    // "https://wallet.example@evil.example" shows the wrong host first: always add the suffix.
    if (url.username || url.password) return false;
  } catch {
    // mailto: and friends have no userinfo to worry about
  }
  const norm = (s: string) => {
    const t = s.trim().toLowerCase();
    let end = t.length;
    while (end > 0 && t[end - 1] === "/") end--; // by hand: `\/+$` is quadratic on inner runs
    return t.slice(0, end);
  };
  const t = norm(text);
  const h = norm(href);
  return t === h || t === h.replace(/^(?:https?:\/\/|mailto:)/, "");
}

const ANCHOR = /<a\b([^>]*)>([\s\S]*?)<\/a>/g;
const ATTRIBUTE = /\s([a-z-]+)="([^"]*)"/g;

/**
 * Runs on sanitised HTML, where `<a>` elements come only from our renderer, attribute values are
 * double-quoted with `"` escaped, and anchors are never nested, so a regular expression is exact.
 */
function addLinkHosts(html: string): string {
  const hosts = new Map<string, string>(); // the same href is often repeated (reference links)
  const trusted = trustedLinkHosts();
  return html.replace(ANCHOR, (whole: string, attrs: string, inner: string) => {
    let href = "";
    for (const [, name, value] of attrs.matchAll(ATTRIBUTE)) if (name === "href") href = decodeEntities(value);
    let host = hosts.get(href);
    if (host === undefined) hosts.set(href, (host = href ? hostOf(href) : ""));
    if (!host) return whole; // no link, or a path on this site
    // Marked language-free here; the post shows the translated warning (see LinkNotice).
    const warning = /^mailto:/i.test(href) || hostUnder(host, trusted) ? "" : LINK_WARNING_MARK;
    const text = decodeEntities(inner.replace(/<[^<>]*>/g, ""));
    if (textShowsDestination(text, href)) return whole + warning;
    return `${whole}<span class="link-host">(${escapeHtml(host)})</span>${warning}`;
  });
}

/** Beside a link to a host that is not trusted; sanitising drops any class an author writes, so only we make it. */
const LINK_WARNING_MARK = '<span class="link-warning" aria-hidden="true">⚠</span>';

const LINK_WARNING_RE = /<span class="link-warning" aria-hidden="true">⚠<\/span>/g;

/** Whether rendered HTML has a link marked as going to an untrusted host. */
export function hasUntrustedLink(html: string): boolean {
  return html.includes('<span class="link-warning"');
}

/* ------------------------------------------------------------------------------------------------
 * Public API
 * ---------------------------------------------------------------------------------------------- */

/** Checks user Markdown before it is stored; null when fine. Routes show a translated message from the code. */
export function checkMarkdown(md: string): MarkdownProblem | null {
  const src = normalise(md);
  if (src.length > MAX_BODY_LENGTH) return { code: "too_long", max: MAX_BODY_LENGTH };
  try {
    // The same tokenizer as rendering, allowed one level more, so "too deep" means exactly "the
    // renderer would have had to flatten something". The lexer is bounded, so this is cheap.
    if (nestingDepth(lex(src, MAX_NESTING_DEPTH + 1, true)) > MAX_NESTING_DEPTH) {
      return { code: "too_deep", max: MAX_NESTING_DEPTH };
    }
  } catch {
    // TooManyBlocks, or a marked failure: nothing the author can fix by nesting less, and
    // renderMarkdown shows such a post as escaped text.
  }
  return null;
}

/** marked (GFM) -> sanitize-html allowlist. Called once at write time; stored HTML is rendered as-is. Never throws. */
export function renderMarkdown(md: string): string {
  try {
    // Defensive: the body should have passed checkMarkdown, but rendering must stay bounded anyway.
    const src = clip(normalise(md), MAX_BODY_LENGTH);
    const tokens = lex(src, MAX_NESTING_DEPTH);
    resetRender();
    const html = marked.parser(tokens);
    if (countTags(html) > MAX_HTML_TAGS) return fallbackHtml(src);
    return addLinkHosts(sanitizeHtml(html, SANITIZE_OPTIONS));
  } catch {
    return fallbackHtml(md);
  }
}

/** Markup in marked's output: our renderer escapes every "<" in text, so each "<" is a tag. */
function countTags(html: string): number {
  let count = 0;
  for (let at = html.indexOf("<"); at >= 0; at = html.indexOf("<", at + 1)) count++;
  return count;
}

/** The body as escaped text with line breaks: for posts that cannot be rendered within bounds. */
function fallbackHtml(md: unknown): string {
  try {
    const text = clip(normalise(md), MAX_BODY_LENGTH).trim();
    return text ? `<p>${escapeHtml(text).replace(/\n/g, "<br>")}</p>` : "";
  } catch {
    return "";
  }
}

/** The host of anything in plain text that looks like a URL (`scheme://`, `//`, `www.`). */
const BARE_URL_HOST = /(?:\b[a-z][a-z0-9+.-]*:\/\/|\/\/|\b(?=www\.))(?:[^\s/?#@<>"'()[\]]*@)?([^\s/?#:<>"'()[\]\\]+)/gi;

/** Destinations (as written) of every link and image, lexed exactly like renderMarkdown; null if it cannot be lexed. */
function linkHrefs(src: string): string[] | null {
  const hrefs: string[] = [];
  try {
    marked.walkTokens(lex(src, MAX_NESTING_DEPTH), (token) => {
      if (token.type === "link" || token.type === "image") hrefs.push((token as Tokens.Link | Tokens.Image).href);
    });
  } catch {
    return null;
  }
  return hrefs;
}

/**
 * Lower-cased (punycode) hostnames of every link and image in the Markdown, deduplicated, in order
 * of appearance; for the blocked-domain check. Reference links and autolinks count. Hosts of links
 * the renderer would refuse (e.g. `ftp:`, `//host`) are included too: a blocklist should see them.
 */
export function linkHosts(md: string): string[] {
  const hosts = new Set<string>();
  const src = clip(normalise(md), MAX_BODY_LENGTH);
  const hrefs = linkHrefs(src);
  if (hrefs)
    for (const href of hrefs) {
      const host = hostOf(cleanUrl(href));
      if (host) hosts.add(host);
    }
  else {
    // A post that cannot be lexed within bounds is shown as text, but its URLs are still worth
    // checking: fall back to anything that looks like one.
    for (const [, host] of src.matchAll(BARE_URL_HOST)) {
      const ascii = domainToASCII(host);
      if (ascii) hosts.add(ascii.toLowerCase());
    }
  }
  return [...hosts];
}

/**
 * Absolute http(s) URLs of every link and image in the Markdown, canonicalised as rendered, in order
 * of appearance; for the phishing-link check (which also reads paths). Empty if it cannot be lexed
 * (then it is shown as text, with no link to follow).
 */
export function linkUrls(md: string): string[] {
  const urls = new Set<string>();
  for (const href of linkHrefs(clip(normalise(md), MAX_BODY_LENGTH)) ?? []) {
    const url = safeLinkUrl(href);
    if (url && /^https?:/i.test(url)) urls.add(url);
  }
  return [...urls];
}

/** Tags that separate words; any other tag (strong, em, a, code…) is removed without a gap. */
const BLOCK_TAG = /<\/?(?:p|br|hr|h[1-6]|li|ul|ol|blockquote|pre|table|thead|tbody|tr|th|td|div|span|img)\b[^<>]*>/gi;

/**
 * Plain-text excerpt of rendered HTML (tags stripped, entities decoded, whitespace collapsed), at
 * most n UTF-16 units including the trailing "…", cut at a word boundary when one is near. The
 * result is plain text: escape it when putting it into HTML (React and Remix meta do).
 */
export function excerpt(html: string, n: number = DEFAULT_EXCERPT_LENGTH): string {
  const max = Math.floor(n);
  if (typeof html !== "string" || !(max > 0)) return "";
  // `[^<>]*` rather than `[^>]*`: a stray "<" can then never make the scan quadratic.
  const text = decodeEntities(html.replace(LINK_WARNING_RE, "").replace(BLOCK_TAG, " ").replace(/<[^<>]*>/g, ""))
    .replace(/\s+/g, " ")
    .trim();
  if (text.length <= max) return text;
  let end = max - 1; // room for the ellipsis
  const c = text.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  const space = text.lastIndexOf(" ", end);
  if (space > end * 0.7) end = space; // prefer a word boundary unless it loses too much
  return text.slice(0, end).trimEnd() + "…";
}
