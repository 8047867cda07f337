import { beforeAll, describe, expect, it } from "vitest";
import { BLOWUP_BOUND_MS, fastestOf } from "../support/complexity";
import {
  MAX_BODY_LENGTH,
  MAX_NESTING_DEPTH,
  checkMarkdown,
  excerpt,
  linkHosts,
  renderMarkdown,
} from "../../app/content/markdown.server";

const REL = "nofollow ugc noopener noreferrer";

// This file is about rendering in general: every example host is trusted here, so links carry no
// warning mark and images stay images. tests/unit/markdown-links.test.ts covers the host rules.
process.env.QUORUM_LINK_ALLOWLIST = "example,invalid,test";
process.env.QUORUM_IMAGE_HOSTS = "example,invalid,test";

/* ------------------------------------------------------------------------------------------------
 * An independent check that rendered HTML is inert.
 *
 * Text in the output is always escaped (`<` as `&lt;`), so every literal `<` starts a real tag. We
 * parse every tag with a strict regular expression, check it against the allowlist (tag, attribute
 * names, URL schemes after decoding entities and dropping the tab/newline characters browsers
 * ignore, class values, rel), and fail on any `<` that is not part of a tag we understood. Text
 * content may legitimately say "javascript:" or "onerror=" (a user quoting an attack); only markup
 * matters.
 * ---------------------------------------------------------------------------------------------- */

const ALLOWED: Record<string, string[]> = {
  p: [], br: [], hr: [], h3: [], h4: [], h5: [], h6: [], strong: [], em: [], del: [], pre: [],
  blockquote: [], ul: [], li: [], table: [], thead: [], tbody: [], tr: [],
  code: ["class"], ol: ["start"], th: ["class"], td: ["class"], span: ["class", "aria-hidden"],
  a: ["href", "title", "rel"],
  img: ["src", "alt", "title", "loading", "referrerpolicy"],
  input: ["type", "checked", "disabled"],
};
const CLASS_VALUE = /^(?:language-[a-z0-9+#-]+|align-(?:left|center|right)|link-host|link-warning)$/;

const fromCodePoint = (cp: number) => (cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : "\ufffd");

function decodeAttr(value: string): string {
  return value
    .replace(/&#x([0-9a-f]+);?/gi, (_, h: string) => fromCodePoint(Number.parseInt(h, 16)))
    .replace(/&#(\d+);?/g, (_, d: string) => fromCodePoint(Number(d)))
    .replace(/&(amp|lt|gt|quot|apos|colon|tab|newline);/gi, (_, n: string) =>
      ({ amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", colon: ":", tab: "\t", newline: "\n" })[n.toLowerCase()] ?? "",
    );
}

function activeContent(html: string): string[] {
  const problems: string[] = [];
  const TAG = /<\/([a-zA-Z][a-zA-Z0-9]*)\s*>|<([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^\s"'<>/=]+(?:="[^"<>]*")?)*)\s*\/?>/g;
  const rest = html.replace(TAG, (whole: string, close: string | undefined, open: string | undefined, attrs = "") => {
    const tag = (close ?? open ?? "").toLowerCase();
    if (!(tag in ALLOWED)) problems.push(`tag <${tag}>`);
    if (open === undefined) return "";
    // the simple checks, on the markup outside (quoted, escaped) attribute values
    const names = whole.replace(/="[^"]*"/g, '=""');
    if (/\son[a-z]+\s*=/i.test(names)) problems.push(`event handler in ${whole}`);
    if (/\sstyle\s*=/i.test(names)) problems.push(`style in ${whole}`);
    const seen = new Map<string, string>();
    for (const [, rawName, rawValue = ""] of attrs.matchAll(/\s+([^\s"'<>/=]+)(?:="([^"]*)")?/g)) {
      const name = rawName.toLowerCase();
      const value = decodeAttr(rawValue);
      seen.set(name, value);
      if (!ALLOWED[tag]?.includes(name)) problems.push(`attribute ${name} on <${tag}>`);
      if (name === "href" || name === "src") {
        const url = value.replace(/[\t\n\r]/g, "").trim();
        if (/^(?:javascript|vbscript|data|livescript):/i.test(url)) problems.push(`script URL in ${whole}`);
        const ok = name === "src" ? /^https:\/\//i.test(url) : /^(?:https?:\/\/|mailto:|\/(?![/\\]))/i.test(url);
        if (!ok) problems.push(`${name}="${rawValue}" on <${tag}>`);
      }
      if (name === "class" && !CLASS_VALUE.test(value)) problems.push(`class="${value}"`);
    }
    if (tag === "a" && seen.get("rel") !== REL) problems.push(`<a> without rel="${REL}"`);
    if (tag === "input" && seen.get("type") !== "checkbox") problems.push("non-checkbox input");
    if (tag === "img" && seen.get("loading") !== "lazy") problems.push("img without loading=lazy");
    return "";
  });
  if (rest.includes("<")) problems.push(`unparsed markup near: ${rest.slice(rest.indexOf("<"), rest.indexOf("<") + 60)}`);
  return problems;
}

/** Visible text of rendered HTML, for checking that bounding measures did not lose content. */
function textOf(html: string): string {
  return decodeAttr(html.replace(/<span class="link-(?:host|warning)"[^<>]*>[^<]*<\/span>/g, "").replace(/<[^>]*>/g, ""));
}

const count = (html: string, needle: string) => html.split(needle).length - 1;

/** See tests/support/complexity.ts: a guard against blow-ups, not a speed target. */
const timed = fastestOf;

beforeAll(() => {
  // The time bound below is about the renderer's own cost, not the JIT compiling marked and
  // sanitize-html on first use (which a long-running server pays once).
  const sample = "# T\n\n> q *e* **s** ~~d~~ `c` [l](https://a.example) <https://b.example> www.c.example\n\n" +
    "- [x] t\n1. o\n\n|a|b|\n|:-|-:|\n|1|2|\n\n```js\nx\n```\n![i](https://i.example/a.png) 中文 😀 <b>&amp;</b>";
  for (let i = 0; i < 20; i++) renderMarkdown(sample.repeat(1 + (i % 4)));
});

/* ------------------------------------------------------------------------------------------------ */

describe("the inertness check itself", () => {
  it.each([
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<img src="https://ok.example/a.png" onerror="alert(1)" loading="lazy">',
    `<a href="javascript:alert(1)" rel="${REL}">x</a>`,
    `<a href="&#106;avascript:alert(1)" rel="${REL}">x</a>`,
    `<a href="java&#9;script:alert(1)" rel="${REL}">x</a>`,
    `<a href="//evil.example" rel="${REL}">x</a>`,
    '<a href="https://ok.example">no rel</a>',
    '<p style="color:red">x</p>',
    "<svg onload=alert(1)>",
    "<iframe src=https://evil.example></iframe>",
    '<img src="http://insecure.example/a.png" loading="lazy">',
    '<code class="language-x onclick">x</code>',
    "<p>unclosed <img",
  ])("flags %s", (html) => {
    expect(activeContent(html)).not.toEqual([]);
  });
});

/* ------------------------------------------------------------------------------------------------ */

describe("renderMarkdown: ordinary posts", () => {
  const post = [
    "# 钱包备份 Wallet backup",
    "",
    "请先**备份助记词**，然后再升级。Please *back up* your seed first.",
    "第二行 second line",
    "",
    "```js",
    'const wallet = await open("备份");',
    "if (a < b && c) {}",
    "```",
    "",
    "| 步骤 Step | 说明 Notes | # |",
    "|:--|:-:|--:|",
    "| 1 | 打开设置 `Settings` | 2 |",
    "",
    "详情见 [官方支持](https://support.wallet.example/backup?lang=zh&x=1)。",
    "Also see https://docs.wallet.example/faq and /t/42 and [the FAQ](/faq/seed).",
    "",
    "- [x] 已备份",
    "- [ ] ~~未完成~~",
    "",
    "3. three",
    "4. four",
    "",
    "> quoted 引用",
    "",
    "![logo](https://img.wallet.example/logo.png \"Logo\")",
  ].join("\n");
  const html = renderMarkdown(post);

  it("renders headings demoted below the page title", () => {
    expect(html).toContain("<h3>钱包备份 Wallet backup</h3>");
    expect(renderMarkdown("## two\n### three\n###### six")).toBe("<h4>two</h4>\n<h5>three</h5>\n<h6>six</h6>\n");
  });

  it("renders emphasis and GitHub-style line breaks", () => {
    expect(html).toContain("<p>请先<strong>备份助记词</strong>，然后再升级。Please <em>back up</em> your seed first.<br />第二行 second line</p>");
  });

  it("renders fenced code with an escaped body and a language class", () => {
    expect(html).toContain(
      '<pre><code class="language-js">const wallet = await open("备份");\nif (a &lt; b &amp;&amp; c) {}\n</code></pre>',
    );
  });

  it("renders GFM tables with alignment as classes, not inline styles", () => {
    expect(html).toContain('<th class="align-left">步骤 Step</th>');
    expect(html).toContain('<th class="align-center">说明 Notes</th>');
    expect(html).toContain('<td class="align-right">2</td>');
    expect(html).toContain('<td class="align-center">打开设置 <code>Settings</code></td>');
    expect(html).not.toContain("style=");
    expect(html).not.toContain("align=");
  });

  it("renders links with rel, without target, and with the destination host", () => {
    expect(html).toContain(
      `详情见 <a href="https://support.wallet.example/backup?lang=zh&amp;x=1" rel="${REL}">官方支持</a>` +
        '<span class="link-host">(support.wallet.example)</span>。',
    );
    // an autolink already shows its destination; site-relative links stay on the site
    expect(html).toContain(`<a href="https://docs.wallet.example/faq" rel="${REL}">https://docs.wallet.example/faq</a> and /t/42`);
    expect(html).toContain(`<a href="/faq/seed" rel="${REL}">the FAQ</a>.`);
    expect(count(html, '<span class="link-host">')).toBe(1);
  });

  it("renders task lists, ordered list starts, strikethrough, quotes and images", () => {
    expect(html).toContain('<li><input type="checkbox" disabled checked /> 已备份</li>');
    expect(html).toContain('<li><input type="checkbox" disabled /> <del>未完成</del></li>');
    expect(html).toContain('<ol start="3">\n<li>three</li>\n<li>four</li>\n</ol>');
    expect(html).toContain("<blockquote>\n<p>quoted 引用</p>\n</blockquote>");
    expect(html).toContain(
      '<img src="https://img.wallet.example/logo.png" alt="logo" title="Logo" loading="lazy" referrerpolicy="no-referrer" />',
    );
  });

  it("produces only allowlisted markup", () => {
    expect(activeContent(html)).toEqual([]);
  });

  it("renders a long, heavily formatted post in full, without hitting any budget", () => {
    const section = [
      "## Restoring a wallet from its recovery phrase",
      "",
      "If your phone was lost, restore the wallet on a new device. **Never** type the phrase into a",
      "website; the app is the *only* place for it. See [the FAQ](https://support.wallet.example/faq) or /t/42.",
      "",
      "1. Install the app from the official store.",
      "2. Choose *Restore* and enter the 12 or 24 words:",
      "   - in the original order,",
      "   - in lower case.",
      "3. Wait for the sync to finish.",
      "",
      "> I restored mine and the balance showed 0 at first.",
      "> > It needs a full sync, give it a few minutes.",
      "",
      "| Network | Fee | Time |",
      "|:--|--:|:-:|",
      "| Bitcoin | 0.0001 | 10 min |",
      "| Ethereum | 0.002 | 1 min |",
      "",
      "```bash",
      "wallet-cli restore --words 24",
      "```",
      "",
      "",
    ].join("\n");
    const sections = Math.floor(MAX_BODY_LENGTH / section.length);
    const long = section.repeat(sections);
    const { result: out, ms } = timed(() => renderMarkdown(long));
    expect(ms).toBeLessThan(BLOWUP_BOUND_MS);
    expect(count(out, "<h4>Restoring a wallet from its recovery phrase</h4>")).toBe(sections);
    expect(count(out, "<table>")).toBe(sections);
    expect(count(out, '<pre><code class="language-bash">')).toBe(sections);
    expect(count(out, "<blockquote>")).toBe(2 * sections);
    expect(count(out, '<span class="link-host">(support.wallet.example)</span>')).toBe(sections);
    expect(count(out, "<strong>Never</strong>")).toBe(sections);
  });

  it("restricts code block languages to language-[a-z0-9+#-]+", () => {
    expect(renderMarkdown("```C++\nx\n```")).toBe('<pre><code class="language-c++">x\n</code></pre>\n');
    expect(renderMarkdown("```c# extra words\nx\n```")).toBe('<pre><code class="language-c#">x\n</code></pre>\n');
    for (const info of ['js" onclick="alert(1)', "<script>", "a_b", "x.y", "{.js}"]) {
      expect(renderMarkdown("```" + info + "\nx\n```")).toBe("<pre><code>x\n</code></pre>\n");
    }
  });

  it("shows raw HTML as the text the author typed", () => {
    expect(renderMarkdown("my balance shows <balance> as 0")).toBe("<p>my balance shows &lt;balance&gt; as 0</p>\n");
    expect(renderMarkdown("<div>\nhi\n</div>")).toBe("<p>&lt;div&gt;<br />hi<br />&lt;/div&gt;</p>\n");
  });

  it("renders empty and whitespace-only bodies as nothing", () => {
    expect(renderMarkdown("")).toBe("");
    expect(renderMarkdown(" \n\n\t")).toBe("");
  });

  it("never throws, whatever it is handed", () => {
    for (const odd of [undefined, null, 42, {}, "\ud800", "\u0000", "\uffff\ufffe", "a\r\nb\rc"]) {
      expect(typeof renderMarkdown(odd as unknown as string)).toBe("string");
    }
    expect(renderMarkdown("a\r\nb")).toBe("<p>a<br />b</p>\n");
  });
});

/* ------------------------------------------------------------------------------------------------ */

describe("renderMarkdown: hostile input", () => {
  const attacks: [string, string][] = [
    ["script tag", "<script>alert(1)</script>"],
    ["script tag inline", "hello <script src=https://evil.example/x.js></script> world"],
    ["split script tag", "<scr<script>ipt>alert(1)</scr</script>ipt>"],
    ["img onerror", "<img src=x onerror=alert(1)>"],
    ["img onerror quoted", '<img src="https://ok.example/a.png" onerror="alert(1)">'],
    ["javascript link", "[x](javascript:alert(1))"],
    ["mixed-case javascript link", "[x](JaVaScRiPt:alert(1))"],
    ["entity-encoded javascript link", "[x](&#106;avascript:alert(1))"],
    ["hex-entity javascript link", "[x](&#x6A;&#x61;vascript:alert(1))"],
    ["zero-padded entity without semicolon", "[x](&#0000106avascript:alert(1))"],
    ["named-entity colon", "[x](javascript&colon;alert(1))"],
    ["entity tab inside scheme", "[x](java&#9;script:alert(1))"],
    ["entity newline inside scheme", "[x](java&#10;script:alert(1))"],
    ["angle-bracket destination", "[x](<javascript:alert(1)>)"],
    ["leading space", "[x]( javascript:alert(1) )"],
    ["control character prefix", "[x](\u0001javascript:alert(1))"],
    ["vbscript link", "[x](vbscript:msgbox(1))"],
    ["data link", "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"],
    ["raw data anchor", '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">click</a>'],
    ["raw javascript anchor", '<a href="javascript:alert(1)">click</a>'],
    ["raw anchor with target", '<a href="https://evil.example" target="_blank">x</a>'],
    ["reference definition", "[x][a]\n\n[a]: javascript:alert(1)"],
    ["reference definition with title", '[x][a]\n\n[a]: https://ok.example "t" onmouseover="alert(1)"'],
    ["autolink javascript", "<javascript:alert(1)>"],
    ["autolink with quote", '<https://ok.example/" onmouseover="alert(1)>'],
    ["link title breakout", '[x](https://ok.example "a\\" onmouseover=\\"alert(1)")'],
    ["href quote breakout", '[x](https://ok.example/a"onmouseover="alert(1))'],
    ["svg onload", "<svg onload=alert(1)>"],
    ["svg in paragraph", "text <svg><script>alert(1)</script></svg>"],
    ["iframe", '<iframe src="https://evil.example"></iframe>'],
    ["iframe srcdoc", '<iframe srcdoc="<script>alert(1)</script>"></iframe>'],
    ["style attribute", '<p style="background:url(javascript:alert(1))">x</p>'],
    ["style element", "<style>body{display:none}</style>"],
    ["details ontoggle", "<details open ontoggle=alert(1)><summary>x</summary></details>"],
    ["markdown image javascript", "![x](javascript:alert(1))"],
    ["markdown image data", "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)"],
    ["markdown image http", "![x](http://insecure.example/a.png)"],
    ["image alt breakout", '![x" onerror="alert(1)](https://ok.example/a.png)'],
    ["html inside link text", "[<img src=x onerror=alert(1)>](https://ok.example)"],
    ["html inside emphasis", "**<img src=x onerror=alert(1)>**"],
    ["html inside table", "|a|\n|-|\n|<img src=x onerror=alert(1)>|"],
    ["html inside nested containers", "> - > <a href=\"javascript:alert(1)\">x</a>"],
    ["code span", "`<script>alert(1)</script>`"],
    ["comment", "<!--<img src=x onerror=alert(1)>-->"],
    ["noscript mutation", '<noscript><p title="</noscript><img src=x onerror=alert(1)>">'],
    ["math mutation", "<math><mtext></table><mglyph><style><img src=x onerror=alert(1)>"],
    ["form action", "<form action=javascript:alert(1)><button>x</button></form>"],
    ["object and embed", '<object data="javascript:alert(1)"></object><embed src="javascript:alert(1)">'],
    ["base and meta", '<base href="javascript:/"><meta http-equiv="refresh" content="0;url=javascript:alert(1)">'],
    ["input autofocus", "<input onfocus=alert(1) autofocus>"],
    ["task list with html", "- [ ] <input onfocus=alert(1) autofocus>"],
    ["protocol-relative link", "[x](//evil.example/path)"],
    ["backslash protocol-relative link", "[x](/\\evil.example/path)"],
    ["dom clobbering", '<a id="csrf" name="csrf">x</a><img name="body">'],
    ["forged link-host suffix", '[support](https://evil.example)<span class="link-host">(wallet.example)</span>'],
    ["markdown link wrapping html link", '[<a href="javascript:alert(1)">x</a>](https://ok.example)'],
    ["nested link via autolink", "[a <https://inner.example> b](javascript:alert(1))"],
  ];

  it.each(attacks)("%s: nothing active survives", (_name, input) => {
    const html = renderMarkdown(input);
    expect(activeContent(html)).toEqual([]);
    expect(html).not.toMatch(/<(?:script|iframe|svg|style|details|object|embed|form|base|meta|math)\b/i);
  });

  it("drops unsafe link targets but keeps the link text", () => {
    for (const target of [
      "javascript:alert(1)", "JaVaScRiPt:alert(1)", "&#106;avascript:alert(1)", "&#x6A;&#x61;vascript:alert(1)",
      "&#0000106avascript:alert(1)", "javascript&colon;alert(1)", "java&#9;script:alert(1)", "java&#10;script:alert(1)",
      "<javascript:alert(1)>", " javascript:alert(1) ", "vbscript:msgbox(1)", "data:text/html;base64,PHNjcmlwdD4=",
      "//evil.example/path", "/\\evil.example/path", "relative/path", "#fragment", "ftp://files.example/x",
    ]) {
      expect(renderMarkdown(`[x](${target})`), target).toBe("<p>x</p>\n");
    }
    expect(renderMarkdown("[x][a]\n\n[a]: javascript:alert(1)")).toBe("<p>x</p>\n");
  });

  it("keeps images only for https sources", () => {
    expect(renderMarkdown("![x](javascript:alert(1))")).toBe("<p>x</p>\n");
    expect(renderMarkdown("![plain http](http://insecure.example/a.png)")).toBe("<p>plain http</p>\n");
    expect(renderMarkdown('![a " b](https://ok.example/a.png)')).toBe(
      '<p><img src="https://ok.example/a.png" alt="a &quot; b" loading="lazy" referrerpolicy="no-referrer" /></p>\n',
    );
  });

  it("shows quoted attacks as text", () => {
    expect(renderMarkdown("<img src=x onerror=alert(1)>")).toBe("<p>&lt;img src=x onerror=alert(1)&gt;</p>\n");
    expect(renderMarkdown('<a href="https://evil.example" target="_blank">x</a>')).toContain("&lt;a href=");
  });

  it("never renders a forged link-host suffix", () => {
    const html = renderMarkdown('[support](https://evil.example)<span class="link-host">(wallet.example)</span>');
    expect(count(html, '<span class="link-host">')).toBe(1);
    expect(html).toContain('<span class="link-host">(evil.example)</span>&lt;span');
  });

  it("never nests links", () => {
    const html = renderMarkdown("[a <https://inner.example> b](https://outer.example)");
    expect(count(html, "<a ")).toBe(1);
    expect(html).toContain(">a https://inner.example b</a>");
  });
});

/* ------------------------------------------------------------------------------------------------ */

describe("link hosts", () => {
  const suffix = (host: string) => `<span class="link-host">(${host})</span>`;

  it("shows the real host when the text pretends to be another site", () => {
    expect(renderMarkdown("[wallet support](https://evil.example/x)")).toBe(
      `<p><a href="https://evil.example/x" rel="${REL}">wallet support</a>${suffix("evil.example")}</p>\n`,
    );
    expect(renderMarkdown("[https://wallet.example/login](https://evil.example/login)")).toContain(suffix("evil.example"));
    expect(renderMarkdown("[wallet.example](https://wallet.example.evil.example)")).toContain(suffix("wallet.example.evil.example"));
    expect(renderMarkdown("[mail us](mailto:help@Evil.Example)")).toContain(suffix("evil.example"));
  });

  it("omits the suffix when the text is the destination", () => {
    for (const md of [
      "https://wallet.example/help",
      "<https://wallet.example/help>",
      "www.wallet.example",
      "[https://wallet.example/](https://wallet.example/)",
      "[wallet.example](https://wallet.example)",
      "help@wallet.example",
      "[see the FAQ](/faq)",
    ]) {
      expect(renderMarkdown(md)).not.toContain("link-host");
    }
  });

  it("always shows the host of a URL with credentials in it", () => {
    const html = renderMarkdown("https://wallet.example@evil.example/login");
    expect(html).toContain(suffix("evil.example"));
  });

  it("shows internationalised hosts as punycode, which exposes look-alike letters", () => {
    // Cyrillic "р", "а", "у" in an address that reads as paypal.com
    expect(renderMarkdown("[PayPal](https://\u0440\u0430\u0443\u0440\u0430l.com/)")).toContain(suffix("xn--l-7sba6dbr.com"));
  });

  it("linkHosts lists every link and image host, lower-cased, once", () => {
    const md = [
      "[a](https://A.Example/x) ![i](https://img.example/a.png) <https://auto.example/p>",
      "www.Www-Host.example and [r][ref] and mail@Mail.Example and [again](https://a.example/y)",
      "[proto](//protocol-relative.example) [bad](javascript:alert(1)) [local](/t/1) ![old](http://http-img.example/x.png)",
      "",
      "> - nested [deep](https://deep.example)",
      "",
      "[ref]: https://Ref.Example/z",
    ].join("\n");
    expect(linkHosts(md).sort()).toEqual(
      [
        "a.example", "img.example", "auto.example", "www.www-host.example", "ref.example", "mail.example",
        "protocol-relative.example", "http-img.example", "deep.example",
      ].sort(),
    );
    expect(linkHosts("no links here, not even evil.example")).toEqual([]);
    expect(linkHosts(undefined as unknown as string)).toEqual([]);
  });
});

/* ------------------------------------------------------------------------------------------------ */

describe("checkMarkdown", () => {
  const tooDeep = { code: "too_deep", max: MAX_NESTING_DEPTH };
  const D = MAX_NESTING_DEPTH;

  it("accepts ordinary posts", () => {
    expect(checkMarkdown("")).toBeNull();
    expect(checkMarkdown("# Hello\n\n> quoted\n> > twice\n\n- a\n  - b\n    - c\n\n```\n> > > > > > > > > > > > > > in code\n```")).toBeNull();
  });

  it("limits the length after NFC normalisation and CRLF folding", () => {
    expect(checkMarkdown("a".repeat(MAX_BODY_LENGTH))).toBeNull();
    expect(checkMarkdown("a".repeat(MAX_BODY_LENGTH + 1))).toEqual({ code: "too_long", max: MAX_BODY_LENGTH });
    expect(checkMarkdown("e\u0301".repeat(MAX_BODY_LENGTH / 2 + 1))).toBeNull(); // é: 2 units in NFD, 1 in NFC
    expect(checkMarkdown("ab\r\n".repeat(MAX_BODY_LENGTH / 3))).toBeNull(); // a textarea's CRLF counts as one
    expect(checkMarkdown("😀".repeat(MAX_BODY_LENGTH / 2 + 1))).toEqual({ code: "too_long", max: MAX_BODY_LENGTH });
  });

  // [name, Markdown nested n levels deep]
  const styles: [string, (n: number) => string][] = [
    ["> > >", (n) => "> ".repeat(n) + "x"],
    [">>>", (n) => ">".repeat(n) + "x"],
    ["- - -", (n) => "- ".repeat(n) + "x"],
    ["1. 1. 1.", (n) => "1. ".repeat(n) + "x"],
    ["* > * >", (n) => Array.from({ length: n }, (_, i) => (i % 2 ? "> " : "* ")).join("") + "x"],
    ["indented lists", (n) => Array.from({ length: n }, (_, i) => " ".repeat(2 * i) + "- item").join("\n")],
    ["indented ordered lists", (n) => Array.from({ length: n }, (_, i) => " ".repeat(3 * i) + "1. item").join("\n")],
    ["quotes line by line", (n) => Array.from({ length: n }, (_, i) => "> ".repeat(i + 1) + "line").join("\n")],
    ["quotes inside list items", (n) => "- a\n" + Array.from({ length: n - 1 }, (_, i) => "  " + "> ".repeat(i + 1) + "q").join("\n")],
    ["lists inside quotes", (n) => Array.from({ length: n - 1 }, (_, i) => "> " + " ".repeat(2 * i) + "- item").join("\n")],
  ];

  it.each(styles)("%s: MAX_NESTING_DEPTH levels pass, one more is too deep", (_name, nest) => {
    expect(checkMarkdown(nest(D))).toBeNull();
    expect(checkMarkdown(nest(D + 1))).toEqual(tooDeep);
    expect(nest(100).length).toBeLessThanOrEqual(MAX_BODY_LENGTH);
    expect(checkMarkdown(nest(100))).toEqual(tooDeep);
    // and what passes the check renders exactly that deep
    expect(renderMarkdown(nest(D)).match(/<(?:blockquote|ul|ol)[ >]/g)).toHaveLength(D);
  });

  it("refuses thousands of levels quickly", () => {
    for (const md of [">".repeat(MAX_BODY_LENGTH), "> ".repeat(MAX_BODY_LENGTH / 2), "- ".repeat(5000) + "x", "1. ".repeat(6000)]) {
      const { result, ms } = timed(() => checkMarkdown(md));
      expect(result).toEqual(tooDeep);
      expect(ms).toBeLessThan(BLOWUP_BOUND_MS);
    }
  });

  it("renderMarkdown flattens what is too deep instead of recursing", () => {
    const html = renderMarkdown("> ".repeat(5000) + "deep");
    expect(count(html, "<blockquote>")).toBe(D);
    expect(html).toContain("&gt; &gt; &gt;");
    expect(html).toContain("deep");
    const list = renderMarkdown("- ".repeat(5000) + "deep");
    expect(count(list, "<ul>")).toBe(D);
  });
});

/* ------------------------------------------------------------------------------------------------ */

describe("bounded rendering of pathological input", () => {
  const N = MAX_BODY_LENGTH;
  const fill = (unit: string, n = N) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n);

  /** Deterministic PRNG (mulberry32) so the random mixes are the same on every run. */
  function prng(seed: number) {
    return () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const PIECES = [
    "> ", ">", "- ", "* ", "+ ", "1. ", "2) ", "  ", "    ", "\t", "a", "b c", "*", "**", "_", "__", "~", "~~",
    "[", "]", "(", ")", "](", "![", "\n", "\n\n", "|", "|-|", "`", "```", "#", "=", "---", "<", "</", "<a ",
    "http://", "www.", "@", ".", "&", "&amp;", "\\", "[x]: https://a.example\n", "[x]", "[ ] ", "中文", "😀",
    ":", "!", '"', "'", "-", "<https://a.example>", "a@b.example", "x_y", "<div>", "&#", "<!--",
  ];
  /** A random "motif" repeated with noise: pathological inputs are repetitive, pure noise rarely is. */
  function randomMix(seed: number): string {
    const random = prng(seed);
    const pick = () => PIECES[Math.floor(random() * PIECES.length)];
    const motif = Array.from({ length: 1 + Math.floor(random() * 6) }, pick).join("");
    let s = "";
    while (s.length < N) s += random() < 0.9 ? motif : pick();
    return s.slice(0, N);
  }
  function indentedList(ordered: boolean): string {
    let s = "";
    for (let i = 0; ; i++) {
      const line = " ".repeat((ordered ? 3 : 2) * i) + (ordered ? "1. x\n" : "- x\n");
      if (s.length + line.length > N) return s;
      s += line;
    }
  }

  const inputs: [string, string][] = [
    ["20 000 '>'", ">".repeat(N)],
    ["'> ' repeated", fill("> ")],
    ["'> ' lines with lazy continuation", fill("> a\nb\n")],
    ["12-deep quotes with lazy lines", fill("> ".repeat(12) + "a\nb\n")],
    ["quoted list items with lazy lines", fill("> - a\nb\n")],
    ["list item with thousands of lazy lines", "- a\n" + fill("b\n", N - 4)],
    ["list item with thousands of continuation lines", "1. a\n" + fill("   b\n", N - 5)],
    ["table-like lines", fill("|-|\n")],
    ["list items of reference definitions", fill("- [x]: a\n|")],
    ["'- ' repeated (5000 levels)", fill("- ", 10_000) + "x"],
    ["'- a ' repeated", fill("- a ")],
    ["'1. ' repeated (5000 levels)", fill("1. ", 15_000) + "x"],
    ["'* > ' repeated", fill("* > ")],
    ["'+ 1) ' repeated", fill("+ 1) ")],
    ["indentation-nested list, as deep as fits", indentedList(false)],
    ["indentation-nested ordered list", indentedList(true)],
    ["empty list items", fill("-\n")],
    ["'*' run", "*".repeat(N)],
    ["'_' run", "_".repeat(N)],
    ["'**a' repeated", fill("**a")],
    ["'*a' repeated", fill("*a")],
    ["'_a' repeated", fill("_a")],
    ["'a_b_' repeated", fill("a_b_")],
    ["'a**' repeated", fill("a**")],
    ["'*_' repeated", fill("*_")],
    ["'~_' repeated", fill("~_")],
    ["'`!' repeated", fill("`!")],
    ["'**__' repeated", fill("**__")],
    ["'__2) !' repeated (unclosed openers)", fill("__2) !")],
    ["'*b c#(\"' repeated", fill('*b c#("')],
    ["'~b c=+ =[' repeated (unclosed strikethrough)", fill("~b c=+ =[")],
    ["'~~a' repeated", fill("~~a")],
    ["'[' run", "[".repeat(N)],
    ["'[a](' repeated", fill("[a](")],
    ["'[a](b)' repeated", fill("[a](b)")],
    ["'[]' repeated", fill("[]")],
    ["'<' run", "<".repeat(N)],
    ["'<a ' repeated", fill("<a ")],
    ["'<http://a' repeated", fill("<http://a")],
    ["'`' run", "`".repeat(N)],
    ["'`a' repeated", fill("`a")],
    ["'``a`' repeated", fill("``a`")],
    ["'www.' run", fill("www.")],
    ["'www.a.a.a…'", "www." + fill("a.", N - 4)],
    ["'www.a_a_a…'", "www.a" + fill("_a", N - 5)],
    ["'http://a.' repeated", fill("http://a.")],
    ["'https://a_a_a…'", "https://a" + fill("_a", N - 9)],
    ["e-mail-ish run", fill("a@a.")],
    ["link label with a long underscore run", "[https://a" + fill("_a", N - 20) + "](x)"],
    ["'!' run", "!".repeat(N)],
    ["'![' repeated", fill("![")],
    ["'![a](' repeated", fill("![a](")],
    ["'[![' repeated", fill("[![")],
    ["'!!['", fill("!![")],
    ["table with thousands of columns", "|" + fill("a|", 9000) + "\n|" + fill("-|", 9000) + "\n|" + fill("b|", 1990)],
    ["table whose rows are padded to a wide header", ("|" + "a|".repeat(1000) + "\n|" + "-|".repeat(1000) + "\n" + "a\n".repeat(8000)).slice(0, N)],
    ["many padded tables", fill("|a|b|c|d|e|f|g|h|i|j|\n|-|-|-|-|-|-|-|-|-|-|\n" + "a\n".repeat(40) + "\n")],
    ["table with thousands of rows", "|a|b|\n|-|-|\n" + fill("|x|y|\n", N - 12)],
    ["reference link used thousands of times", ("[a]: https://a.example/" + "p".repeat(10_000) + ' "' + "t".repeat(3000) + '"\n\n' + "[a]".repeat(3000)).slice(0, N)],
    ["reference image used thousands of times", ("[a]: https://a.example/" + "p".repeat(10_000) + "\n\n" + "![a]".repeat(3000)).slice(0, N)],
    ["reference labels", ("[a]: https://a.example\n\n" + fill("[[a]")).slice(0, N)],
    ["'[a]: ' repeated", fill("[a]: ")],
    ["autolinks", fill("<https://a.example> ")],
    ["link destination of spaces", "[x](<https://a.example/" + " ".repeat(N - 30) + "b>)"],
    ["link text of slashes", "[" + "/".repeat(N - 30) + "a](https://a.example)"],
    ["one very long URL", "https://a.example/" + fill("a/_b?c=d&", N - 18)],
    ["bare URLs", fill("https://a.example/c ")],
    ["setext headings", fill("a\n=\n")],
    ["'#' lines", fill("#\n")],
    ["fences", fill("```\n")],
    ["line breaks", fill("a\n")],
    ["'&' run", "&".repeat(N)],
    ["'&#' repeated", fill("&#")],
    ["'&amp;' repeated", fill("&amp;")],
    ["backslashes", "\\".repeat(N)],
    ["html tags", fill("<b>x</b>")],
    ["20 000 chars of CJK", fill("中文字符测试钱包备份助记词")],
    ["emoji", fill("😀👍🏽🇨🇳👨‍👩‍👧")],
    ["CJK, emoji and Markdown mixed", fill("**钱包** 😀 _备份_ [链接](https://a.example) `代码` > ")],
    ["newlines", "\n".repeat(N)],
    ["spaces", " ".repeat(N)],
    ["tabs", "\t".repeat(N)],
    ...Array.from({ length: 16 }, (_, i): [string, string] => [`random mix #${i + 1}`, randomMix(i + 1)]),
  ];

  it.each(inputs)("%s", (_name, md) => {
    expect(md.length).toBeLessThanOrEqual(MAX_BODY_LENGTH);
    const check = timed(() => checkMarkdown(md));
    expect(check.result === null || check.result.code === "too_deep").toBe(true);
    expect(check.ms).toBeLessThan(BLOWUP_BOUND_MS);
    const { result: html, ms } = timed(() => renderMarkdown(md));
    expect(typeof html).toBe("string");
    expect(ms).toBeLessThan(BLOWUP_BOUND_MS);
    expect(activeContent(html)).toEqual([]);
  });

  it("keeps the visible text of runs it defuses", () => {
    for (const md of [fill("_a"), fill("a_b_"), fill("a**"), fill("__2) !")]) {
      expect(textOf(renderMarkdown(md)).trim()).toBe(md.trim());
    }
  });

  it("renders a bounded number of table cells and links", () => {
    const padded = inputs.find(([name]) => name.startsWith("table whose rows"))![1];
    expect(count(renderMarkdown(padded), "<td")).toBe(0); // the table does not fit, shown as text
    expect(count(renderMarkdown(inputs.find(([name]) => name === "many padded tables")![1]), "<td")).toBeLessThanOrEqual(2000);
    const refs = renderMarkdown(inputs.find(([name]) => name === "reference link used thousands of times")![1]);
    expect(count(refs, "<a ")).toBeGreaterThan(0);
    expect(refs.length).toBeLessThan(200_000);
    const many = renderMarkdown(fill("[a](https://a.example) "));
    expect(count(many, "<a ")).toBe(500);
  });

  it("shows a post with thousands of blocks or elements as escaped text", () => {
    const blocks = "# title\n\n" + "#\n".repeat(9000) + "[x](https://evil.example) *not em*";
    expect(checkMarkdown(blocks)).toBeNull();
    const html = renderMarkdown(blocks);
    expect(html.startsWith("<p># title<br><br>#<br>#<br>")).toBe(true);
    expect(html.endsWith("[x](https://evil.example) *not em*</p>")).toBe(true);
    expect(linkHosts(blocks)).toEqual(["evil.example"]); // still seen by the blocked-domain check
    const elements = renderMarkdown(fill("`a`\n")); // 5 000 code spans and line breaks
    expect(elements).not.toContain("<code>");
    expect(elements.startsWith("<p>`a`<br>`a`<br>")).toBe(true);
  });

  it("truncates a body over the limit rather than rendering all of it", () => {
    const html = renderMarkdown("a".repeat(MAX_BODY_LENGTH) + "TAIL");
    expect(html).not.toContain("TAIL");
    expect(count(html, "a")).toBe(MAX_BODY_LENGTH);
  });
});

/* ------------------------------------------------------------------------------------------------ */

describe("excerpt", () => {
  it("strips tags, decodes entities and collapses whitespace", () => {
    const html = renderMarkdown("# Title\n\nSome **bold** & <raw> text\n\n- one\n- two\n\n[link](https://evil.example)");
    expect(excerpt(html)).toBe("Title Some bold & <raw> text one two link (evil.example)");
  });

  it("keeps words whole inside the limit and marks the cut", () => {
    const text = "The quick brown fox jumps over the lazy dog";
    expect(excerpt(`<p>${text}</p>`, 100)).toBe(text);
    expect(excerpt(`<p>${text}</p>`, 20)).toBe("The quick brown fox…");
    expect(excerpt(`<p>${text}</p>`, 20).length).toBeLessThanOrEqual(20);
    expect(excerpt("<p>" + "中".repeat(300) + "</p>")).toBe("中".repeat(159) + "…");
  });

  it("never splits an emoji or exceeds n", () => {
    for (let n = 1; n < 12; n++) {
      const out = excerpt("<p>" + "😀".repeat(20) + "</p>", n);
      expect(out.length).toBeLessThanOrEqual(n);
      expect(out).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    }
  });

  it("handles odd input", () => {
    expect(excerpt("")).toBe("");
    expect(excerpt("<p>x</p>", 0)).toBe("");
    expect(excerpt("a < b <<<<" + "<".repeat(50_000))).toHaveLength(160);
  });
});
