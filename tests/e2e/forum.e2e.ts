import { describe, expect, it } from "vitest";
import { containsText, hasText, hydrated, newPage, signUp, useBrowser } from "./browser";

const browser = useBrowser();

const TITLE = "忘记密码后如何找回账户?邮箱还能用";
const BODY = "我忘记了登录密码,绑定的邮箱还能收信。\n\n**错误提示:**\n\n```js\nconst err = '账户已锁定';\nconsole.log(err);\n```\n\n应该怎么办?";

for (const javaScript of [true, false]) {
  describe(`ask, answer and edit (JavaScript ${javaScript ? "on" : "off"})`, () => {
    it("signs up, opens a Chinese thread with a code block, answers from a second account, edits", async () => {
      const a = await newPage(browser(), { javaScript });
      const b = await newPage(browser(), { javaScript });
      try {
        const asker = await signUp(a.page, "asker");
        await hasText(a.page.locator("header .user-menu-name"), asker);

        // Open a thread on 账户与登录.
        await a.page.goto("/");
        await a.page.click("text=账户与登录");
        if (javaScript) await hydrated(a.page);
        await a.page.click("main >> text=发新帖");
        await a.page.waitForURL(/\/ask\?board=account/);
        await a.page.fill('input[name="title"]', TITLE);
        await a.page.fill('textarea[name="body"]', BODY);
        await Promise.all([a.page.waitForURL(/\/t\/\d+\//), a.page.click('main form button[type="submit"]')]);
        const threadUrl = a.page.url();
        await hasText(a.page.locator("h1"), TITLE);
        await containsText(a.page.locator(".post-question pre code.language-js"), "账户已锁定");
        await hasText(a.page.locator(".post-question strong").first(), "错误提示:");

        // A second account answers.
        const helper = await signUp(b.page, "helper");
        await b.page.goto(threadUrl);
        if (javaScript) await hydrated(b.page);
        await b.page.fill('textarea[name="body"]', "在登录页点“找回密码”,输入绑定的邮箱,然后打开邮件里的链接。");
        await b.page.click('main .reply-box form button[type="submit"]');
        await b.page.waitForSelector("#post-2");
        await containsText(b.page.locator("#post-2"), "找回密码");
        await hasText(b.page.locator("#post-2 .user-name"), helper);

        // Both are visible to the asker, who edits the question.
        await a.page.goto(threadUrl);
        await containsText(a.page.locator("#post-1"), "账户已锁定");
        await containsText(a.page.locator("#post-2"), "找回密码");
        await hasText(a.page.locator(".status"), "已回答");
        await a.page.click(`#post-1 a[href$="/edit"]`);
        await a.page.waitForURL(/\/p\/\d+\/edit/);
        await a.page.fill('textarea[name="body"]', BODY + "\n\n补充:我用的是安卓 3.2 版。");
        await Promise.all([a.page.waitForURL(/\/t\/\d+\//), a.page.click('main form button[type="submit"]')]);
        await containsText(a.page.locator("#post-1"), "安卓 3.2 版");
        await containsText(a.page.locator("#post-1 .post-foot"), "编辑于");
        // The helper cannot edit the asker's question.
        await b.page.goto(threadUrl);
        expect(await b.page.locator(`#post-1 a[href$="/edit"]`).count()).toBe(0);
      } finally {
        await a.context.close();
        await b.context.close();
      }
    });

    it("shows field errors with a 400 and keeps the text", async () => {
      const { page, context } = await newPage(browser(), { javaScript });
      try {
        await signUp(page, "val");
        await page.goto("/ask?board=account");
        await page.fill('input[name="title"]', "短");
        await page.fill('textarea[name="body"]', "这段正文会被保留下来,不会丢失。");
        const [response] = await Promise.all([
          javaScript ? page.waitForResponse((r) => r.request().method() === "POST") : page.waitForNavigation(),
          page.click('main form button[type="submit"]'),
        ]);
        expect(response!.status()).toBe(400);
        await containsText(page.locator("#f-title-error"), "太短");
        expect(await page.locator('textarea[name="body"]').inputValue()).toBe("这段正文会被保留下来,不会丢失。");
      } finally {
        await context.close();
      }
    });
  });
}

describe("hostile Markdown", () => {
  it("does not execute scripts or handlers in posts", async () => {
    const { page, context } = await newPage(browser());
    const dialogs: string[] = [];
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    try {
      await signUp(page, "xss");
      await page.goto("/ask?board=tips");
      await page.fill('input[name="title"]', "Hostile markdown should be inert here");
      await page.fill(
        'textarea[name="body"]',
        '<script>alert("s")</script>\n\n<img src=x onerror="alert(1)">\n\n[click](javascript:alert(2))\n\n<svg onload=alert(3)>\n\n<iframe src="javascript:alert(4)"></iframe>',
      );
      await Promise.all([page.waitForURL(/\/t\/\d+\//), page.click('main form button[type="submit"]')]);
      await page.waitForTimeout(500);
      const links = await page.locator('.post-question a[href^="javascript:"]').count();
      expect(links).toBe(0);
      expect(await page.locator(".post-question script, .post-question iframe, .post-question svg").count()).toBe(0);
      expect(await page.locator(".post-question [onerror], .post-question [onload]").count()).toBe(0);
      expect(dialogs).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe("language", () => {
  it("follows Accept-Language and switches with the header buttons", async () => {
    const { page, context } = await newPage(browser(), { locale: "en-US" });
    try {
      await page.goto("/");
      await hasText(page.locator("h1"), "Boards");
      await page.click('header button[value="zh-CN"]');
      await hasText(page.locator("h1"), "版块");
      await page.goto("/b/account");
      await hasText(page.locator("h1"), "账户与登录");
    } finally {
      await context.close();
    }
  });
});

describe("anonymous page cache", () => {
  it("serves a repeated anonymous page from the cache, gzipped with its own nonce, and it hydrates under the CSP", async () => {
    const first = await newPage(browser());
    const second = await newPage(browser());
    try {
      const refused: string[] = [];
      second.page.on("console", (m) => {
        if (/Content Security Policy|Refused to/i.test(m.text())) refused.push(m.text());
      });
      await first.page.goto("/b/account"); // renders and stores the page
      // On a slow machine the two visits may be further apart than the 2 s the cache keeps a page: ask again.
      let res = await second.page.goto("/b/account");
      for (let i = 0; i < 5 && res!.headers()["x-quorum-cache"] !== "hit"; i++) res = await second.page.goto("/b/account");
      const headers = res!.headers();
      expect(headers["x-quorum-cache"]).toBe("hit");
      expect(headers["content-encoding"]).toBe("gzip");
      const nonce = headers["content-security-policy"].match(/'nonce-([^']+)'/)![1];
      expect(await second.page.locator(`script[nonce]`).count()).toBeGreaterThan(0);
      // Browsers hide the nonce attribute from the DOM; the property keeps it.
      const nonces = await second.page.locator("script[nonce]").evaluateAll((els) => els.map((e) => (e as HTMLScriptElement).nonce));
      expect(new Set(nonces)).toEqual(new Set([nonce]));
      await hydrated(second.page);
      // Hydrated: a link navigates on the client (the page is not reloaded).
      await second.page.evaluate(() => ((window as unknown as { __marker: number }).__marker = 1));
      await Promise.all([second.page.waitForURL(/\/$/), second.page.click("nav.breadcrumb a")]);
      expect(await second.page.evaluate(() => (window as unknown as { __marker?: number }).__marker)).toBe(1);
      expect(refused).toEqual([]);
    } finally {
      await first.context.close();
      await second.context.close();
    }
  });
});
