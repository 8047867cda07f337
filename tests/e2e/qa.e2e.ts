import { describe, expect, inject, it } from "vitest";
import { containsText, hasText, newPage, signUp, useBrowser, logIn, open, ask, answer } from "./browser";

const browser = useBrowser();

for (const javaScript of [true, false]) {
  describe(`votes, acceptance and verification (JavaScript ${javaScript ? "on" : "off"})`, () => {
    it("votes, switches and removals move scores and reputation; own posts refused; accept and withdraw", async () => {
      const a = await newPage(browser(), { javaScript });
      const b = await newPage(browser(), { javaScript });
      const m = await newPage(browser(), { javaScript });
      const anon = await newPage(browser(), { javaScript });
      try {
        await signUp(a.page, "asker");
        const url = await ask(a.page, "account", "忘记密码后如何找回账户?邮箱还能收信", "我忘记了登录密码,绑定的邮箱还能收信。应该怎么办?");
        await signUp(b.page, "helper");
        await answer(b.page, url, "在登录页点“找回密码”,输入绑定的邮箱,然后打开邮件里的链接。", javaScript);

        // The helper upvotes the question: +1 score, +5 to the asker.
        await open(b.page, url, javaScript);
        if (javaScript) await b.page.evaluate(() => ((window as unknown as { __marker: number }).__marker = 1));
        await b.page.click("#post-1 button.vote-up");
        await hasText(b.page.locator("#post-1 .vote-score"), "1");
        await hasText(b.page.locator("#post-1 .user-rep"), "6");
        if (javaScript) {
          // Updated in place: the page was not reloaded.
          expect(await b.page.evaluate(() => (window as unknown as { __marker?: number }).__marker)).toBe(1);
          expect(await b.page.getAttribute("#post-1 button.vote-up", "aria-pressed")).toBe("true");
        }
        // Own post: refused, nothing counted.
        await b.page.click("#post-2 button.vote-up");
        await containsText(b.page.locator("#post-2 .vote-error"), "不能给自己的帖子投票");
        await open(b.page, url, javaScript);
        await hasText(b.page.locator("#post-2 .vote-score"), "0");

        // The asker: up (+10), switch to down (−2, clamped at 1), remove, up again.
        await open(a.page, url, javaScript);
        await a.page.click("#post-2 button.vote-up");
        await hasText(a.page.locator("#post-2 .vote-score"), "1");
        await hasText(a.page.locator("#post-2 .user-rep"), "11");
        await a.page.click("#post-2 button.vote-down");
        await hasText(a.page.locator("#post-2 .vote-score"), "-1");
        await hasText(a.page.locator("#post-2 .user-rep"), "1");
        await a.page.click("#post-2 button.vote-down");
        await hasText(a.page.locator("#post-2 .vote-score"), "0");
        await a.page.click("#post-2 button.vote-up");
        await hasText(a.page.locator("#post-2 .vote-score"), "1");
        await hasText(a.page.locator("#post-2 .user-rep"), "11");

        // Logged out: sent to log in, and back.
        await open(anon.page, url, javaScript);
        await anon.page.click("#post-2 button.vote-up");
        await anon.page.waitForURL(/\/login\?redirectTo=/);
        expect(decodeURIComponent(anon.page.url())).toContain("/t/");

        // The asker accepts: solved, +15 to the helper, +2 to the asker; then withdraws.
        await open(a.page, url, javaScript);
        await a.page.click('#post-2 button:has-text("采纳此回答")');
        await hasText(a.page.locator(".thread-meta .status"), "已解决");
        await hasText(a.page.locator("#post-2 .badge-accepted"), "提问者已采纳");
        await hasText(a.page.locator("#post-2 .user-rep"), "26");
        await hasText(a.page.locator("#post-1 .user-rep"), "8");
        await containsText(a.page.locator(".timeline-accepted"), "采纳了回答");
        await a.page.click('#post-2 button:has-text("撤销采纳")');
        await hasText(a.page.locator(".thread-meta .status"), "已回答");
        await hasText(a.page.locator("#post-2 .user-rep"), "11");

        // A moderator accepts on the asker's behalf.
        const staff = inject("e2eStaff");
        await logIn(m.page, staff.username, staff.password);
        await open(m.page, url, javaScript);
        await m.page.click('#post-2 button:has-text("代提问者采纳")');
        await hasText(m.page.locator(".thread-meta .status"), "已解决");
        await hasText(m.page.locator("#post-2 .badge-accepted"), "工作人员代为采纳");

        // The board lists it as solved.
        await open(a.page, "/b/account?tab=solved", javaScript);
        await containsText(a.page.locator(".thread-list"), "忘记密码后如何找回账户");
      } finally {
        for (const p of [a, b, m, anon]) await p.context.close();
      }
    });

    it("on a money-at-risk board only staff verification resolves the thread", async () => {
      const a = await newPage(browser(), { javaScript });
      const b = await newPage(browser(), { javaScript });
      const m = await newPage(browser(), { javaScript });
      try {
        await signUp(a.page, "frozen");
        const url = await ask(a.page, "frozen-assets", "资产被冻结了,客服让我提交身份证明", "我的资产突然显示冻结,应该怎么处理才安全?");
        await signUp(b.page, "helper");
        await answer(b.page, url, "只通过官方应用内的工单提交材料,不要把资料发给私信联系你的人。", javaScript);
        await open(a.page, url, javaScript);
        await containsText(a.page.locator(".notice-awaiting"), "等待工作人员核实");
        await a.page.click('#post-2 button:has-text("采纳此回答")');
        await hasText(a.page.locator("#post-2 .badge-accepted"), "提问者已采纳");
        await hasText(a.page.locator(".thread-meta .status"), "已回答");
        await containsText(a.page.locator(".thread-meta"), "等待工作人员核实");
        expect(await a.page.locator('button:has-text("工作人员核实")').count()).toBe(0);

        const staff = inject("e2eStaff");
        await logIn(m.page, staff.username, staff.password);
        await open(m.page, url, javaScript);
        await m.page.click('#post-2 button:has-text("工作人员核实")');
        await hasText(m.page.locator(".thread-meta .status"), "已解决");
        await hasText(m.page.locator("#post-2 .badge-verified"), "工作人员已核实");
        expect(await m.page.locator(".notice-awaiting").count()).toBe(0);
        await containsText(m.page.locator(".timeline-verified"), staff.username);
        // +15 accepted, +15 verified.
        await hasText(m.page.locator("#post-2 .user-rep"), "31");
      } finally {
        for (const p of [a, b, m]) await p.context.close();
      }
    });
  });
}

describe("edit history", () => {
  it("shows 'edited' linking to a revisions page with a word diff", async () => {
    const a = await newPage(browser(), { javaScript: false });
    try {
      await signUp(a.page, "editor");
      const url = await ask(a.page, "account", "如何修改绑定的手机号码才安全", "旧手机号已经停用了。");
      await a.page.click('#post-1 a[href$="/edit"]');
      await a.page.fill('textarea[name="body"]', "旧手机号已经停用了,邮箱还能用。");
      await Promise.all([a.page.waitForURL(/\/t\/\d+\//), a.page.click('main form button[type="submit"]')]);
      await a.page.click("#post-1 a.edited-link");
      await a.page.waitForURL(/\/p\/\d+\/revisions/);
      await containsText(a.page.locator("#rev-2 ins"), "邮箱");
      await containsText(a.page.locator("#rev-1 .revision-body"), "旧手机号已经停用了。");
      expect(url).toContain("/t/");
    } finally {
      await a.context.close();
    }
  });
});
