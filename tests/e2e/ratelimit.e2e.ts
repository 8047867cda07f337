import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { ask, containsText, newPage, open, signUp, useBrowser } from "./browser";

const browser = useBrowser();

/** Submits the login form and returns the POST's response. */
async function tryLogin(page: Page, login: string, password: string, javaScript: boolean) {
  await open(page, "/login", javaScript);
  await page.fill('input[name="login"]', login);
  await page.fill('input[name="password"]', password);
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname.startsWith("/login")),
    page.click('main form button[type="submit"]'),
  ]);
  await page.waitForLoadState();
  return res;
}

for (const javaScript of [true, false]) {
  describe(`rate limits (JavaScript ${javaScript ? "on" : "off"})`, () => {
    it("a burst of wrong passwords for one account ends in a clear 429; the right password waits too", async () => {
      const owner = await newPage(browser(), { javaScript });
      const name = await signUp(owner.page, "burst", { verify: false });
      await owner.context.close();

      const { context, page } = await newPage(browser(), { javaScript });
      for (let i = 0; i < 10; i++) {
        const res = await tryLogin(page, name, `wrong password ${i}`, javaScript);
        if (!javaScript) expect(res.status()).toBe(400);
        await containsText(page.locator("main .notice-error"), "密码错误");
      }
      const res = await tryLogin(page, name, "a long enough password", javaScript);
      if (!javaScript) {
        // The page itself is the 429, with Retry-After (about 15 minutes).
        expect(res.status()).toBe(429);
        expect(Number(res.headers()["retry-after"])).toBeGreaterThan(800);
      }
      const notice = page.locator("main .notice-ratelimit");
      await containsText(notice, "登录尝试次数过多");
      await containsText(notice, "分钟后");
      await containsText(notice, "UTC");
      // The form is still there with the name typed.
      expect(await page.inputValue('input[name="login"]')).toBe(name);
      expect(new URL(page.url()).pathname).toBe("/login");
      await context.close();
    });

    it("a burst of answers from a new account hits the limit; the reply box still holds the text", async () => {
      const { context, page } = await newPage(browser(), { javaScript });
      await signUp(page, "replier");
      const url = (await ask(page, "account", "转账一直显示处理中怎么办呢", "昨天发起的转账到现在还在处理中，需要等多久？")).split("?")[0];
      const reply = async (body: string) => {
        await open(page, url, javaScript);
        await page.fill('textarea[name="body"]', body);
        const [res] = await Promise.all([
          page.waitForResponse((r) => r.request().method() === "POST"),
          page.click("section.reply-box form.form button[type='submit']"),
        ]);
        return res.status();
      };
      for (let i = 1; i <= 5; i++) {
        await reply(`第 ${i} 条补充：我在区块浏览器里查到这笔交易还没有确认。`);
        await page.waitForSelector(`#post-${i + 1}`);
      }
      const text = "第 6 条补充：交易哈希我已经保存好了，请问下一步怎么做？";
      const status = await reply(text);
      if (!javaScript) expect(status).toBe(429); // the page itself is the 429
      const notice = page.locator("section.reply-box .notice-ratelimit");
      await containsText(notice, "短时间内发布的回答过多");
      await containsText(notice, "分钟后");
      await containsText(notice, "新账户");
      expect(await page.inputValue("section.reply-box textarea[name='body']")).toBe(text);
      expect(await page.locator("#post-7").count()).toBe(0);
      await context.close();
    });
  });
}
