import { describe, expect, inject, it } from "vitest";
import { answer, ask, containsText, hydrated, newPage, signUp, useBrowser, logIn, open } from "./browser";

const browser = useBrowser();

describe("reports, the moderator queue and suspensions", () => {
  it("a user reports an answer (no JavaScript) → the moderator hides it from /staff/reports → the reporter sees the outcome; a suspension shows its banner", async () => {
    const asker = await newPage(browser(), { javaScript: true });
    const spammer = await newPage(browser(), { javaScript: true });
    const reporter = await newPage(browser(), { javaScript: false });
    const mod = await newPage(browser(), { javaScript: true });
    const title = `提现一直显示处理中怎么办 ${Date.now().toString(36)}`;
    try {
      // The admin asks; a new account answers with a scam.
      await logIn(asker.page, inject("e2eStaffName"), "a long enough password");
      const threadUrl = await ask(asker.page, "deposits", title, "提现 200 USDT 已经两个小时了，还是显示处理中，正常吗？");
      const spammerName = await signUp(spammer.page, "scam");
      await answer(spammer.page, threadUrl, "加我的客服微信，付 10 USDT 手续费马上帮你解冻提现。", true);

      // The reporter follows "report" under the answer to its report page and sends a report — a plain form post.
      await signUp(reporter.page, "rep");
      await reporter.page.goto(threadUrl);
      await Promise.all([reporter.page.waitForURL(/\/p\/\d+\/report$/), reporter.page.locator("#post-2 a.report-link").click()]);
      const form = reporter.page.locator("main .report-form");
      await form.locator('input[name="reportReason"][value="scam_phishing"]').check();
      await form.locator('textarea[name="note"]').fill("冒充客服收手续费");
      await Promise.all([reporter.page.waitForURL(/\/reports\?new=\d+/), form.locator('button[type="submit"]').click()]);
      await containsText(reporter.page.locator("main .notice-ok"), "你的举报已发送给版主");
      const row = reporter.page.locator("tr", { hasText: title });
      await containsText(row, "诈骗或钓鱼");
      await containsText(row, "等待审核");

      // The moderator sees it in the queue (count in the header), the post in context, and hides it.
      const staff = inject("e2eStaff");
      await logIn(mod.page, staff.username, staff.password);
      await containsText(mod.page.locator(".nav-reports"), "举报（");
      await mod.page.click(".nav-reports");
      await mod.page.waitForURL(/\/staff\/reports/);
      await hydrated(mod.page);
      const item = mod.page.locator(".queue-item", { hasText: title });
      await containsText(item, "冒充客服收手续费");
      await containsText(item, "付 10 USDT 手续费");
      await containsText(item.locator(".queue-count"), "1 条举报");
      await item.locator('input[name="reason"]').first().fill("诈骗：冒充客服");
      await Promise.all([mod.page.waitForURL(/done=hidden/), item.locator('button:has-text("隐藏帖子")').click()]);
      await containsText(mod.page.locator("main .notice-ok"), "帖子已隐藏");
      expect(await mod.page.locator(".queue-item", { hasText: title }).count()).toBe(0);

      // The reporter sees the decision on My reports (linked from the user menu).
      await reporter.page.goto("/");
      await reporter.page.click('.user-menu a:has-text("我的举报")');
      await reporter.page.waitForURL(/\/reports$/);
      const decided = reporter.page.locator("tr", { hasText: title });
      await containsText(decided, "已处理");
      await containsText(decided.locator(".report-outcome"), "帖子已隐藏");
      // Readers get a notice in its place; the author sees the moderator's reason.
      await reporter.page.goto(threadUrl);
      await containsText(reporter.page.locator("#post-2 .hidden-notice"), "已被版主隐藏");
      expect(await reporter.page.locator("#post-2").textContent()).not.toContain("手续费马上");
      await spammer.page.goto(threadUrl);
      await containsText(spammer.page.locator("#post-2 .hidden-notice"), "诈骗：冒充客服");

      // The moderator suspends the author from the profile page for 3 days with a reason.
      await open(mod.page, `/u/${spammerName}`, true);
      await mod.page.selectOption('.moderation-panel select[name="duration"]', "3");
      await mod.page.fill('.moderation-panel input[name="reason"]', "发布诈骗信息");
      await Promise.all([mod.page.waitForURL(/suspended=1/), mod.page.click('.moderation-panel button:has-text("封禁")')]);
      await containsText(mod.page.locator(".moderation-panel"), "封禁至");

      // Every page tells the suspended user until when and why; the answer box is gone.
      await spammer.page.goto("/");
      await containsText(spammer.page.locator(".suspended-banner"), "你的账户已被封禁");
      await containsText(spammer.page.locator(".suspended-banner"), "发布诈骗信息");
      await spammer.page.goto(threadUrl);
      await containsText(spammer.page.locator(".suspended-banner"), "发布诈骗信息");
      expect(await spammer.page.locator('.reply-box textarea[name="body"]').count()).toBe(0);

      // Lifted: the banner is gone.
      await mod.page.click('.moderation-panel button:has-text("解除封禁")');
      await mod.page.waitForURL(/lifted=1/);
      await spammer.page.goto("/");
      expect(await spammer.page.locator(".suspended-banner").count()).toBe(0);
    } finally {
      for (const p of [asker, spammer, reporter, mod]) await p.context.close();
    }
  });
});
