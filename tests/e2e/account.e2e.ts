import * as OTPAuth from "otpauth";
import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { containsText, hasText, hydrated, newPage, signUp, useBrowser } from "./browser";
import { waitForLink } from "./mail";

const browser = useBrowser();
const PASSWORD = "a long enough password";

function codeFor(secret: string, at = Date.now()): string {
  return new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: "SHA1" }).generate({ timestamp: at });
}

async function loggedInAs(page: Page): Promise<string | null> {
  const name = page.locator("header .user-menu-name");
  return (await name.count()) ? ((await name.first().textContent()) ?? "").trim() : null;
}

/** Logs in with the password; waits for the signed-in header or the second-step page. */
async function logIn(page: Page, username: string, password: string) {
  await page.goto("/login");
  await page.fill('input[name="login"]', username);
  await page.fill('input[name="password"]', password);
  await page.click('main form button[type="submit"]');
  await page.waitForSelector('header .user-menu-name, main input[autocomplete="one-time-code"]');
}

async function logOut(page: Page) {
  await page.click("header .user-menu form button");
  await page.waitForSelector('header .user-menu a[href^="/login"]');
}

for (const javaScript of [true, false]) {
  describe(`account security (JavaScript ${javaScript ? "on" : "off"})`, () => {
    it("resets a forgotten password through the mailed link; old sessions end; the link works once", async () => {
      const a = await newPage(browser(), { javaScript });
      const old = await newPage(browser(), { javaScript });
      try {
        const username = await signUp(a.page, "reset");
        await logIn(old.page, username, PASSWORD);
        expect(await loggedInAs(old.page)).toContain(username);
        await logOut(a.page);

        await a.page.goto("/login");
        await a.page.click("text=忘记密码？");
        await a.page.waitForURL(/\/forgot-password/);
        if (javaScript) await hydrated(a.page);
        await a.page.fill('input[name="email"]', `${username}@example.com`);
        await a.page.click('main form button[type="submit"]');
        await containsText(a.page.locator("main .notice-ok"), "一小时");

        const link = await waitForLink(inject("e2eMailDir"), `${username}@example.com`, "/reset-password?token=");
        await a.page.goto(link);
        if (javaScript) await hydrated(a.page);
        await a.page.fill('input[name="password"]', "my new password 2026");
        await a.page.click('main form button[type="submit"]');
        await containsText(a.page.locator("main .notice-ok"), "所有会话");

        // The other browser's session is gone.
        await old.page.reload();
        expect(await loggedInAs(old.page)).toBeNull();
        // The link is spent.
        await a.page.goto(link);
        await containsText(a.page.locator("main .notice-error"), "已使用");
        // The new password works, the old does not.
        await a.page.goto("/login");
        await a.page.fill('input[name="login"]', username);
        await a.page.fill('input[name="password"]', PASSWORD);
        await a.page.click('main form button[type="submit"]');
        await a.page.waitForSelector("main .notice-error");
        await logIn(a.page, username, "my new password 2026");
        expect(await loggedInAs(a.page)).toContain(username);
      } finally {
        await a.context.close();
        await old.context.close();
      }
    });

    it("enrols two-factor sign-in from the shown secret, then signs in with a code and with a recovery code", async () => {
      const { context, page } = await newPage(browser(), { javaScript });
      try {
        const username = await signUp(page, "totp");
        await page.goto("/settings/security");
        if (javaScript) await hydrated(page);
        await page.click("text=开启两步验证");
        const secretEl = page.locator("code.totp-secret");
        await secretEl.waitFor();
        const secret = ((await secretEl.textContent()) ?? "").trim();
        expect(secret).toMatch(/^[A-Z2-7]{32}$/);
        expect(await page.locator("img.totp-qr").getAttribute("src")).toMatch(/^data:image\/svg\+xml;base64,/);
        await page.fill('input[name="code"]', codeFor(secret));
        await page.click('button[value="totp-confirm"]');
        await page.locator(".recovery-code-list code").first().waitFor();
        const codes = await page.locator(".recovery-code-list code").allTextContents();
        expect(codes).toHaveLength(10);
        await page.click("text=我已保存");
        await containsText(page.locator("#two-factor"), "两步验证已开启");
        expect(await page.locator("code.totp-secret").count()).toBe(0);

        // Sign in: the password, then a code (the next step's: the current one was spent enrolling).
        await logOut(page);
        await logIn(page, username, PASSWORD);
        expect(new URL(page.url()).pathname).toBe("/login/2fa");
        expect(await loggedInAs(page)).toBeNull();
        await page.fill('input[name="code"]', "000000");
        await page.click('main form button[type="submit"]');
        await containsText(page.locator("main .notice-error"), "验证码不正确");
        await page.fill('input[name="code"]', codeFor(secret, Date.now() + 30_000));
        await page.click('main form button[type="submit"]');
        await hasText(page.locator("header .user-menu-name"), username);

        // And with a recovery code, which then no longer works.
        await logOut(page);
        await logIn(page, username, PASSWORD);
        await page.fill('input[name="code"]', codes[0]);
        await page.click('main form button[type="submit"]');
        await hasText(page.locator("header .user-menu-name"), username);
        await logOut(page);
        await logIn(page, username, PASSWORD);
        await page.fill('input[name="code"]', codes[0]);
        await page.click('main form button[type="submit"]');
        await containsText(page.locator("main .notice-error"), "验证码不正确");
      } finally {
        await context.close();
      }
    });
  });
}

describe("verification reminder and sessions", () => {
  it("reminds an unverified account on every page until the link is used", async () => {
    const { context, page } = await newPage(browser());
    try {
      const username = await signUp(page, "unver", { verify: false });
      await page.goto("/");
      await containsText(page.locator(".verify-banner"), "确认");
      await page.goto("/b/account");
      await containsText(page.locator(".verify-banner"), "确认");
      await hydrated(page);
      await page.click(".verify-banner button");
      await containsText(page.locator("main .notice-ok"), "新的链接");
      const link = await waitForLink(inject("e2eMailDir"), `${username}@example.com`, "/verify-email?token=");
      await page.goto(link);
      await page.waitForSelector("main .notice-ok");
      await page.goto("/");
      expect(await page.locator(".verify-banner").count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it("ends another session from /settings/security, which is then logged out", async () => {
    const a = await newPage(browser(), { javaScript: false });
    const b = await newPage(browser());
    try {
      const username = await signUp(a.page, "sess");
      await b.context.setExtraHTTPHeaders({ "X-Quorum-Client-Ip": "6.6.6.6" });
      await logIn(b.page, username, PASSWORD);
      await a.page.goto("/settings/security");
      const rows = a.page.locator(".sessions-table tbody tr");
      expect(await rows.count()).toBe(2);
      expect(await a.page.locator(".sessions-table").textContent()).not.toContain("6.6.6.6");
      await containsText(a.page.locator(".session-current"), "本设备");
      // The address comes from the socket (a client-sent X-Quorum-Client-Ip is overwritten).
      await containsText(a.page.locator(".session-current"), "127.0.0.1");
      await a.page.click('.sessions-table button[value="session-end"]');
      await containsText(a.page.locator("main .notice-ok"), "已结束");
      expect(await a.page.locator(".sessions-table tbody tr").count()).toBe(1);
      await b.page.reload();
      expect(await loggedInAs(b.page)).toBeNull();
    } finally {
      await a.context.close();
      await b.context.close();
    }
  });
});
