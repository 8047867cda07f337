/**
 * Moderation tools in Chromium (issue 8), JavaScript on and off: the moderator e2emod locks a thread,
 * pins it, moves it to another board, closes another thread as its duplicate and hides an answer;
 * a user then sees the lock and duplicate notices and no answer box, and not the hidden answer.
 */
import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { containsText, newPage, signUp, uniqueName, useBrowser, logIn, open, ask, answer } from "./browser";

const browser = useBrowser();

/** Clicks a moderation intent button and waits for the page to come back. */
async function tool(page: Page, intent: string, javaScript: boolean) {
  const button = page.locator(`button[name="intent"][value="${intent}"]`).first();
  if (javaScript) {
    await button.click();
    await page.waitForLoadState("networkidle");
  } else {
    await Promise.all([page.waitForNavigation(), button.click()]);
  }
}

for (const javaScript of [true, false]) {
  describe(`moderation tools (JavaScript ${javaScript ? "on" : "off"})`, () => {
    it("lock, pin, move, close as duplicate, hide an answer; the user sees the notices and no answer box", async () => {
      const u = await newPage(browser(), { javaScript });
      const m = await newPage(browser(), { javaScript });
      try {
        await signUp(u.page, "asker");
        const tag = uniqueName("m").slice(-6);
        const titleA = `提现一直处于审核中怎么办 ${tag}`;
        const urlA = await ask(u.page, "account", titleA, "提现申请提交两天了，一直显示审核中，应该怎么处理？");
        const urlB = await ask(u.page, "account", `提现审核很久没有通过 ${tag}`, "我的提现也一直在审核，和上面的问题一样吗？");
        // The user answers thread A before it is locked (the answer is hidden below).
        await answer(u.page, urlA, "补充：我的是 USDT 提现，网络选择的是 TRC20。", javaScript);

        const staff = inject("e2eStaff");
        await logIn(m.page, staff.username, staff.password);
        await open(m.page, urlA, javaScript);
        await tool(m.page, "mod.lock", javaScript);
        await containsText(m.page.locator(".thread-meta .badge-locked"), "已锁定");
        await tool(m.page, "mod.pin", javaScript);
        await containsText(m.page.locator(".thread-meta .badge-pinned"), "置顶");

        // Move to "deposits & withdrawals".
        const value = await m.page.locator('select[name="boardId"] option', { hasText: "充值与提现" }).getAttribute("value");
        await m.page.selectOption('select[name="boardId"]', value!);
        await tool(m.page, "mod.move", javaScript);
        await containsText(m.page.locator(".breadcrumb"), "充值与提现");
        await open(m.page, "/b/deposits", javaScript);
        const first = m.page.locator(".thread-list .thread-row").first();
        await containsText(first, titleA);
        await containsText(first.locator(".badge-pinned"), "置顶");

        // Hide the user's answer with a reason.
        await open(m.page, urlA, javaScript);
        await m.page.locator("#post-2 details.post-mod summary").click();
        await m.page.fill("#post-2 input[name=reason]", "离题");
        await tool(m.page, "mod.post.hide", javaScript);
        await containsText(m.page.locator("#post-2 .mod-notice"), "已被版主隐藏：离题");

        // Close B as a duplicate of A.
        await open(m.page, urlB, javaScript);
        await m.page.fill('input[name="target"]', urlA);
        await tool(m.page, "mod.duplicate", javaScript);
        await containsText(m.page.locator(".notice-duplicate"), "此主题已作为重复问题关闭");

        // The user: lock notice and no answer box on A; the hidden answer shows the reason to its author.
        await open(u.page, urlA, javaScript);
        await containsText(u.page.locator("main"), "此主题已锁定，不能再回答。");
        expect(await u.page.locator('textarea[name="body"]').count()).toBe(0);
        await containsText(u.page.locator("#post-2 .mod-notice"), "离题");
        expect(await u.page.locator(".mod-tools").count()).toBe(0);
        // Duplicate notice with a link to A, and no answer box on B.
        await open(u.page, urlB, javaScript);
        await containsText(u.page.locator(".notice-duplicate"), "此主题已作为重复问题关闭");
        expect(await u.page.locator('textarea[name="body"]').count()).toBe(0);
        await Promise.all([u.page.waitForURL((x) => x.pathname === new URL(urlA).pathname), u.page.locator(".notice-duplicate a").click()]);
      } finally {
        for (const p of [u, m]) await p.context.close();
      }
    });
  });
}
