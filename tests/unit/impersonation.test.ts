/**
 * Nothing in a post may pass for staff or lead readers to a wallet drainer: image hosts, link
 * warnings, phishing links (official look-alikes, wallet-connect links) and the staff-like opening.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { hasUntrustedLink, renderMarkdown } from "../../app/content/markdown.server";
import { guardUserText } from "../../app/safety/guard.server";
import { isWalletConnectLink, lookalikeOf, phishingLink } from "../../app/safety/links.server";
import { imitatesStaff } from "../../app/safety/names";
import { ordinaryPosts } from "../fixtures/ordinary-posts";

const KEYS = ["QUORUM_IMAGE_HOSTS", "QUORUM_LINK_ALLOWLIST", "QUORUM_OFFICIAL_DOMAINS", "QUORUM_PUBLIC_URL"] as const;
const saved: Partial<Record<(typeof KEYS)[number], string | undefined>> = {};
beforeEach(() => {
  for (const k of KEYS) saved[k] = process.env[k];
  process.env.QUORUM_PUBLIC_URL = "https://forum.examplewallet.com";
  process.env.QUORUM_OFFICIAL_DOMAINS = "examplewallet.com, examplewallet.io";
  process.env.QUORUM_LINK_ALLOWLIST = "github.com";
  process.env.QUORUM_IMAGE_HOSTS = "img.examplewallet.com";
});
afterEach(() => {
  for (const k of KEYS) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

const WARNING = '<span class="link-warning" aria-hidden="true">⚠</span>';

describe("images in posts", () => {
  it("keeps images from this site and the image allowlist", () => {
    expect(renderMarkdown("![logo](/static/logo.png)")).toContain('<img src="/static/logo.png" alt="logo"');
    expect(renderMarkdown("![x](https://img.examplewallet.com/a.png)")).toContain('<img src="https://img.examplewallet.com/a.png"');
    expect(renderMarkdown("![x](https://cdn.img.examplewallet.com/a.png)")).toContain("<img ");
  });

  it("shows any other image as a plain link with its URL visible", () => {
    const html = renderMarkdown("![Staff badge](https://evil.example/badge.png)");
    expect(html).not.toContain("<img");
    expect(html).toContain('<a href="https://evil.example/badge.png" rel="nofollow ugc noopener noreferrer">https://evil.example/badge.png</a>');
    expect(html).toContain(WARNING);
    // inside a link, no nested anchor: the URL as text
    const nested = renderMarkdown("[![b](https://evil.example/b.png)](https://examplewallet.com)");
    expect(nested.split("<a ").length - 1).toBe(1);
    expect(nested).toContain("https://evil.example/b.png");
  });

  it("still refuses unsafe image URLs, and protocol-relative ones", () => {
    expect(renderMarkdown("![x](//evil.example/a.png)")).toBe("<p>x</p>\n");
    expect(renderMarkdown("![x](http://img.examplewallet.com/a.png)")).toBe("<p>x</p>\n");
    expect(renderMarkdown("![x](javascript:alert(1))")).toBe("<p>x</p>\n");
  });

  it("with no allowlist, only relative images stay images", () => {
    delete process.env.QUORUM_IMAGE_HOSTS;
    expect(renderMarkdown("![x](https://img.examplewallet.com/a.png)")).not.toContain("<img");
    expect(renderMarkdown("![x](/a.png)")).toContain("<img");
  });
});

describe("link warnings", () => {
  it("marks links to untrusted hosts, not to our own, official or allowlisted ones", () => {
    const cases: [string, boolean][] = [
      ["[help](https://evil.example/login)", true],
      ["https://random-blog.example/post", true],
      ["[faq](/faq)", false],
      ["https://forum.examplewallet.com/t/1", false],
      ["[docs](https://docs.examplewallet.io/x)", false],
      ["https://github.com/org/repo", false],
      ["[mail](mailto:help@evil.example)", false],
    ];
    for (const [md, warned] of cases) {
      const html = renderMarkdown(md);
      expect(html.includes(WARNING), md).toBe(warned);
      expect(hasUntrustedLink(html), md).toBe(warned);
    }
  });

  it("puts the mark right after the link and its host, and no author can forge it", () => {
    expect(renderMarkdown("[support](https://evil.example/x)")).toBe(
      '<p><a href="https://evil.example/x" rel="nofollow ugc noopener noreferrer">support</a><span class="link-host">(evil.example)</span>' +
        `${WARNING}</p>\n`,
    );
    const forged = renderMarkdown('<span class="link-warning" aria-hidden="true">⚠</span> hi');
    expect(hasUntrustedLink(forged)).toBe(false);
  });
});

describe("look-alike domains of the official ones", () => {
  const table: [string, string | null][] = [
    ["examplewallet.com", null],
    ["help.examplewallet.com", null],
    ["examplewallet.io", null],
    ["examplewallet.net", "examplewallet.com"], // the name on another TLD
    ["examp1ewallet.com", "examplewallet.com"], // leet
    ["exarnplewallet.com", "examplewallet.com"], // rn for m
    ["xn--exmplewallet-y9j.com", "examplewallet.com"], // Cyrillic а, in punycode
    ["examplewalet.com", "examplewallet.com"], // one letter dropped
    ["examplewallte.com", "examplewallet.com"], // two letters swapped
    ["examplewallet-support.com", "examplewallet.com"],
    ["verify-examplewallet.app", "examplewallet.com"],
    ["examplewallet.com.login-check.example", "examplewallet.com"],
    ["examplewalletsupport.net", "examplewallet.com"],
    ["forum.examplewallet.com", null],
    ["forurn.examplewallet.com", null], // under the official domain: the owner's
    ["etherscan.io", null],
    ["github.com", null],
    ["wallet.example", null],
    ["otherwallet.com", null],
    ["example.com", null],
  ];
  it.each(table)("%s → %s", (host, expected) => {
    const official = ["examplewallet.com", "examplewallet.io"];
    expect(lookalikeOf(host, official)).toBe(expected);
  });

  it("official brands too short to judge are skipped", () => {
    expect(lookalikeOf("abd.com", ["abc.com"])).toBeNull();
  });
});

describe("wallet-connect and approve links", () => {
  const refused = [
    "https://walletconnect-sync.example/",
    "https://app.example/walletconnect",
    "https://connect-wallet.example/start",
    "https://dapp.example/wallet/connect",
    "https://claim-airdrop.example/token",
    "https://example.app/claim?x=1&wallet=1".replace("?x=1&wallet=1", "/wallet"),
    "https://nft-approve.example/",
    "https://rectify-wallet.example/",
    "https://validate.example/defi/wallets",
    "https://airdrops.example/metamask",
  ];
  const passed = [
    "https://etherscan.io/tx/0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060",
    "https://github.com/bitcoin/bips/blob/master/bip-0039.mediawiki",
    "https://support.ledger.com/article/how-to-verify-your-wallet-address",
    "https://revoke.cash/token-approvals",
    "https://ethereum.org/en/wallets/find-wallet/",
    "https://metamask.io/download/",
    "https://shop.example/claim-your-refund",
    "https://docs.example/approve-a-pull-request",
    "https://blog.example/posts?topic=claim+wallet",
  ];
  it.each(refused)("refuses %s", (url) => expect(isWalletConnectLink(url)).toBe(true));
  it.each(passed)("lets %s through", (url) => expect(isWalletConnectLink(url)).toBe(false));

  it("never for a trusted host", () => {
    expect(phishingLink("https://docs.examplewallet.com/connect-wallet")).toBeNull();
    expect(phishingLink("https://walletconnect.example/")).toEqual({ domain: "walletconnect.example", reason: "walletConnect" });
    expect(phishingLink("https://examp1ewallet.com/")).toEqual({ domain: "examp1ewallet.com", reason: "lookalike" });
  });
});

describe("the guard refuses phishing links", () => {
  it("refuses a look-alike or a wallet-connect link in a Markdown field, with the domain", () => {
    for (const [body, reason] of [
      ["Support is at [examplewallet](https://examplewallet-support.com/help)", "lookalike"],
      ["请在 https://walletconnect-fix.example/ 连接钱包", "walletConnect"],
      ["![x](https://claim-airdrop.example/wallet.png)", "walletConnect"],
    ] as const) {
      const g = guardUserText({ body }, { markdown: ["body"] });
      expect(g.ok, body).toBe(false);
      if (!g.ok) {
        expect(g.issue.kind).toBe("phishingLink");
        expect(g.issue.kind === "phishingLink" && g.issue.reason).toBe(reason);
        expect(g.errors.body?.key).toBe("safety:field.phishingLink");
      }
    }
  });

  it("lets every ordinary post through, and ordinary links", () => {
    for (const p of ordinaryPosts()) {
      const g = guardUserText({ body: p.text }, { markdown: ["body"] });
      expect(g.ok || g.issue.kind === "secret", p.text).toBe(true);
      if (!g.ok) expect(g.issue.kind).not.toBe("phishingLink");
    }
    for (const body of [
      "See https://etherscan.io/tx/0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060",
      "The BIP is at https://github.com/bitcoin/bips/blob/master/bip-0039.mediawiki",
      "官网：https://examplewallet.com/download ，帮助中心 https://help.examplewallet.io/",
      "I revoked approvals with https://revoke.cash/token-approvals",
    ]) {
      expect(guardUserText({ body }, { markdown: ["body"] }).ok, body).toBe(true);
    }
  });
});

describe("a post opening like a staff message", () => {
  const imitating = [
    "[Staff] Please verify your wallet",
    "**[Staff] 官方客服**\n请私信我",
    "[官方] 通知",
    "【官方】钱包升级",
    "官方客服：请加微信",
    "客服提醒：您的账户异常",
    "管理员通知：请验证",
    "工作人员：请提供",
    "Official support here, DM me",
    "## Official Support\nWe can help",
    "> **Quorum Support**: send your details",
    "Quorum support team: please reply",
    "__Quorum Staff__ — reply below",
    "[ѕtaff] (Cyrillic s) hello",
    "ｏｆｆｉｃｉａｌ support will contact you",
    "  **Staff:** please DM",
    "# [Admin] notice",
  ];
  const ordinary = [
    "My wallet shows 0 after the update",
    "Staff told me to wait, is that right?",
    "Is the official app on the Play store?",
    "官网在哪里？",
    "我联系了客服但没有回复",
    "I contacted official support and they said",
    "官方客服是不是从来不会主动私信？",
    "官方钱包在哪里下载？",
    "客服说要等三天",
    "## Problem\nofficial support said wait",
    "Supporting the new chain?",
    "Administrative fees seem high",
    "",
  ];
  it.each(imitating)("notices %j", (md) => expect(imitatesStaff(md)).toBe(true));
  it.each(ordinary)("leaves %j alone", (md) => expect(imitatesStaff(md)).toBe(false));

  it("no ordinary post from the fixtures is taken for a staff message", () => {
    const hits = ordinaryPosts().filter((p) => imitatesStaff(p.text));
    expect(hits.map((p) => p.text)).toEqual([]);
  });
});
