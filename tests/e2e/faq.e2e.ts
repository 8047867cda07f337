import { describe, expect, inject, it } from "vitest";
import { answer, containsText, hasText, hydrated, newPage, signUp, useBrowser, logIn, open } from "./browser";

const browser = useBrowser();

for (const javaScript of [true, false]) {
  describe(`the official FAQ (JavaScript ${javaScript ? "on" : "off"})`, () => {
    it("a moderator promotes a solved Chinese thread; a visitor reads it, follows the credit and gives feedback; an edited source is flagged", async () => {
      const a = await newPage(browser(), { javaScript });
      const h = await newPage(browser(), { javaScript });
      const m = await newPage(browser(), { javaScript });
      const v = await newPage(browser(), { javaScript });
      const tag = javaScript ? "甲" : "乙";
      const title = `USDT 充值一直没有到账怎么办${tag}`;
      try {
        // A solved Chinese thread: asked, answered, accepted.
        await signUp(a.page, "faqasker");
        await open(a.page, "/ask?board=deposits", javaScript);
        await a.page.fill('input[name="title"]', title);
        await a.page.fill('textarea[name="body"]', "昨天从交易所转了 100 USDT，钱包里还是 0，怎么回事？");
        await Promise.all([a.page.waitForURL(/\/t\/\d+\//), a.page.click('main form button[type="submit"]')]);
        const threadUrl = a.page.url();
        await signUp(h.page, "faqhelper");
        await answer(h.page, threadUrl, "请确认选择了 TRC20 网络，并在区块浏览器查看交易哈希的确认数。", javaScript);
        await open(a.page, threadUrl, javaScript);
        await a.page.click('#post-2 button:has-text("采纳此回答")');
        await hasText(a.page.locator(".thread-meta .status"), "已解决");

        // The moderator ranks candidates and promotes it; the editor is pre-filled; edits and publishes.
        const staff = inject("e2eStaff");
        await logIn(m.page, staff.username, staff.password);
        await open(m.page, "/staff/faq/candidates", javaScript);
        const row = m.page.locator("tr", { hasText: title });
        await row.locator('a:has-text("收入")').click();
        await m.page.waitForURL(/\/staff\/faq\/promote\/\d+/);
        expect(await m.page.inputValue('input[name="question"]')).toBe(title);
        expect(await m.page.inputValue('textarea[name="answer"]')).toContain("TRC20");
        const question = `充值 USDT 后没有到账怎么办？${tag}`;
        await m.page.fill('input[name="question"]', question);
        await m.page.fill('textarea[name="answer"]', "1. 确认选择了 **TRC20** 网络。\n2. 在区块浏览器查看交易哈希的确认数。");
        await Promise.all([m.page.waitForURL(/\/staff\/faq\/\d+/), m.page.click('.faq-editor button[value="publish"]')]);
        await containsText(m.page.locator("h1"), question);

        // A visitor finds it in /faq, opens it, follows the credit link back to the thread.
        await open(v.page, "/faq", javaScript);
        await v.page.click(`a:has-text("${question}")`);
        await v.page.waitForURL(/\/faq\//);
        await containsText(v.page.locator(".faq-entry"), "TRC20");
        await containsText(v.page.locator(".faq-credit"), "faqhelper");
        const entryUrl = v.page.url();
        await v.page.click(".faq-credit a.credit-thread");
        await v.page.waitForURL(/\/t\/\d+\//);
        await containsText(v.page.locator("h1"), title);
        await containsText(v.page.locator(".notice-faq"), "官方答案");
        // Not helpful, with a comment.
        await open(v.page, entryUrl, javaScript);
        await v.page.fill("#fb-comment", "没有说明要等多少个确认");
        await v.page.click('button[name="helpful"][value="no"]');
        await containsText(v.page.locator(".faq-feedback"), "感谢你的反馈");

        // Staff see the ratio and the comment.
        await open(m.page, "/staff/faq?sort=helpful", javaScript);
        const staffRow = m.page.locator("tr", { hasText: question });
        await containsText(staffRow, "0 %");
        await staffRow.locator(`a:has-text("${question}")`).click();
        await m.page.waitForURL(/\/staff\/faq\/\d+/);
        const entryStaffUrl = m.page.url();
        await containsText(m.page.locator(".faq-comments"), "没有说明要等多少个确认");

        // The helper edits the source answer: the entry is flagged "source changed" with a diff.
        await open(h.page, threadUrl, javaScript);
        await Promise.all([h.page.waitForURL(/\/p\/\d+\/edit/), h.page.click('#post-2 a[href$="/edit"]')]);
        if (javaScript) await hydrated(h.page);
        await h.page.fill('textarea[name="body"]', "请确认选择了 TRC20 网络，并在区块浏览器查看交易哈希的确认数，通常需要 20 个确认。");
        await Promise.all([h.page.waitForURL(/\/t\/\d+\//), h.page.click('main form button[type="submit"]')]);
        await open(m.page, "/staff/faq", javaScript);
        await containsText(m.page.locator("tr", { hasText: question }), "来源已变");
        await open(m.page, entryStaffUrl, javaScript);
        await containsText(m.page.locator("#source .diff"), "20 个确认");
        expect((await m.page.locator("#source ins").allTextContents()).join("")).toContain("20");

        // Staff URLs are refused to a normal user.
        for (const url of ["/staff/faq", "/staff/faq/candidates", "/staff/audit", "/staff/official", entryStaffUrl.replace(/^https?:\/\/[^/]+/, "")]) {
          const res = await a.page.goto(url);
          expect(res?.status(), url).toBe(403);
        }
      } finally {
        for (const p of [a, h, m, v]) await p.context.close();
      }
    });
  });
}

describe("the official channels page", () => {
  it("is linked from the footer and the FAQ, with the fixed warning", async () => {
    const v = await newPage(browser(), { javaScript: false });
    try {
      await v.page.goto("/faq");
      await v.page.click('main a[href="/official"]');
      await v.page.waitForURL(/\/official$/);
      await containsText(v.page.locator(".official-warning"), "助记词");
      await v.page.goto("/");
      expect(await v.page.locator('footer a[href="/official"]').count()).toBe(1);
      expect(await v.page.locator('header a[href="/faq"]').count()).toBe(1);
    } finally {
      await v.context.close();
    }
  });
});
