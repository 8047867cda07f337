import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { ask as askAt, containsText, hydrated, newPage, signUp, uniqueName, useBrowser } from "./browser";

/** Asks a question and returns its thread's path. */
const ask = async (page: Page, q: { board: string; title: string; body: string }) => new URL(await askAt(page, q.board, q.title, q.body)).pathname;

const browser = useBrowser();

// A marker word per run keeps these threads apart from other files' (one database for all e2e files).
const MARK = uniqueName("qz").toLowerCase();
const ZH = { board: "deposits", title: `USDT 充值一直没到账 TRC20 网络 ${MARK}`, body: "从交易所提了 200 USDT 到钱包，区块浏览器显示成功，但余额还是 0。" };
const EN = { board: "transactions", title: `Withdrawal stuck in pending review ${MARK}`, body: "My withdrawal to an exchange has been pending for two days. Is this normal?" };
const MIXED = { board: "security", title: `谷歌验证 2FA 换手机后登录不了 ${MARK}`, body: "换了新手机，Google Authenticator 里的验证码没有了，无法登录账户。" };

const paths: Record<string, string> = {};

beforeAll(async () => {
  const a = await newPage(browser(), { javaScript: false });
  const b = await newPage(browser(), { javaScript: false });
  try {
    await signUp(a.page, "seeker");
    paths.zh = await ask(a.page, ZH);
    paths.en = await ask(a.page, EN);
    paths.mixed = await ask(a.page, MIXED);
    // Answered threads are suggested on the ask page (unanswered ones are not).
    await signUp(b.page, "answerer");
    for (const p of [paths.zh, paths.mixed]) {
      await b.page.goto(p);
      await b.page.fill('textarea[name="body"]', "请先用 TxID 在区块浏览器上确认，然后联系客服提交工单。");
      await b.page.click('main .reply-box form button[type="submit"]');
      await b.page.waitForSelector("#post-2");
    }
  } finally {
    await a.context.close();
    await b.context.close();
  }
});

/** Hrefs of the search results, in order. */
async function resultPaths(page: Page): Promise<string[]> {
  return page.locator(".search-hit .title").evaluateAll((els) => els.map((e) => decodeURI(new URL((e as HTMLAnchorElement).href).pathname)));
}

for (const javaScript of [true, false]) {
  describe(`search page (JavaScript ${javaScript ? "on" : "off"})`, () => {
    it("finds Chinese, English and mixed questions from the header box, with highlights", async () => {
      const { page, context } = await newPage(browser(), { javaScript });
      try {
        await page.goto("/");
        if (javaScript) await hydrated(page);
        const cases: [string, string][] = [
          [`充值没到账 ${MARK}`, paths.zh],
          [`usdt deposit not arrived ${MARK}`, paths.zh],
          [`withdrawal pending ${MARK}`, paths.en],
          [`withdrawl pendng review`, paths.en], // typos
          [`换手机 谷歌验证 ${MARK}`, paths.mixed],
          [`2fa new phone ${MARK}`, paths.mixed],
        ];
        for (const [q, expected] of cases) {
          await page.fill("#header-q", q);
          await Promise.all([page.waitForURL((u) => u.pathname === "/search" && u.searchParams.get("q") === q), page.press("#header-q", "Enter")]);
          await page.waitForFunction((v) => (document.querySelector("#search-q") as HTMLInputElement | null)?.value === v, q);
          await page.waitForSelector(".search-hit, .empty");
          const found = await resultPaths(page);
          expect(found.slice(0, 3).map(decodeURI), q).toContain(decodeURI(expected));
          // The query stays in the page's box, and matches are highlighted.
          expect(await page.locator("#search-q").inputValue()).toBe(q);
          expect(await page.locator(".search-hit mark").count()).toBeGreaterThan(0);
        }
        // Filters.
        await page.goto(`/search?q=${encodeURIComponent(MARK)}&board=transactions`);
        expect((await resultPaths(page)).map(decodeURI)).toEqual([decodeURI(paths.en)]);
        // Bad input: a normal page.
        for (const q of ["& | ! : * ( ) '", "😀😀", "   ", "x".repeat(10_000)]) {
          const res = await page.goto(`/search?q=${encodeURIComponent(q)}`);
          expect(res!.status(), q.slice(0, 20)).toBe(200);
          await page.waitForSelector("#search-q");
        }
      } finally {
        await context.close();
      }
    });
  });
}

describe("ask page suggestions", () => {
  it("shows similar answered questions live while typing a title (JavaScript on)", async () => {
    const { page, context } = await newPage(browser(), { javaScript: true });
    try {
      await signUp(page, "live");
      await page.goto("/ask?board=deposits");
      await hydrated(page);
      await page.locator('input[name="title"]').pressSequentially("充值没到账怎么办", { delay: 40 });
      await containsText(page.locator(".ask-suggestions .suggestions"), ZH.title);
      const href = await page.locator(".ask-suggestions .suggestion a").first().getAttribute("href");
      // FAQ entries come first when one matches (the FAQ tests may have published one); threads follow.
      expect(href).toMatch(/^\/search\/open\?type=(faq|thread)&id=\d+$/);
    } finally {
      await context.close();
    }
  });

  it("has a 'check for similar questions' step without JavaScript that keeps the draft", async () => {
    const { page, context } = await newPage(browser(), { javaScript: false });
    try {
      await signUp(page, "nojs");
      await page.goto("/ask?board=security");
      await page.fill('input[name="title"]', "谷歌验证换手机了怎么办");
      await page.fill('textarea[name="body"]', "我的草稿，不要丢。");
      await Promise.all([page.waitForNavigation(), page.click('button[name="intent"][value="similar"]')]);
      expect(new URL(page.url()).pathname).toBe("/ask");
      await containsText(page.locator(".ask-suggestions .suggestions"), MIXED.title);
      expect(await page.locator('input[name="title"]').inputValue()).toBe("谷歌验证换手机了怎么办");
      expect(await page.locator('textarea[name="body"]').inputValue()).toBe("我的草稿，不要丢。");
      // Opening a suggestion (a new tab in a browser) records it and goes to the thread.
      const href = await page.locator(".ask-suggestions .suggestion a").first().getAttribute("href");
      await page.goto(href!);
      expect(decodeURI(new URL(page.url()).pathname)).toBe(decodeURI(paths.mixed));
    } finally {
      await context.close();
    }
  });
});
