import { describe, expect, it } from "vitest";
import { ask, containsText, hydrated, newPage, signUp, uniqueName, useBrowser } from "./browser";

const browser = useBrowser();

for (const javaScript of [true, false]) {
  describe(`staff cannot be imitated (JavaScript ${javaScript ? "on" : "off"})`, () => {
    it("a post opening like a staff message gets the not-staff notice above its body, and no badge", async () => {
      const { context, page } = await newPage(browser(), { javaScript });
      try {
        await signUp(page, "imp");
        await ask(page, "account", `账户安全提醒 ${uniqueName("")}`, "**[Staff] 官方客服**\n\n您的钱包需要验证，请私信我。");
        const post = page.locator("#post-1");
        await containsText(post.locator(".not-staff-notice"), "此人不是工作人员");
        // the notice sits above the body, and the author carries no staff badge
        const order = await post.evaluate((el) => {
          const notice = el.querySelector(".not-staff-notice");
          const body = el.querySelector(".prose");
          return notice && body ? notice.compareDocumentPosition(body) & Node.DOCUMENT_POSITION_FOLLOWING : 0;
        });
        expect(order).toBeTruthy();
        expect(await post.locator(".post-head .badge-staff").count()).toBe(0);
      } finally {
        await context.close();
      }
    });

    it("a link to another site is marked and warned about; an image from elsewhere is only a link", async () => {
      const { context, page } = await newPage(browser(), { javaScript });
      try {
        await signUp(page, "lnk");
        await ask(page, "tips", `备份教程 ${uniqueName("")}`, "看这个教程：[备份指南](https://random-blog.example/guide)\n\n![徽章](https://evil.example/badge.png)");
        if (javaScript) await hydrated(page);
        const post = page.locator("#post-1");
        expect(await post.locator(".prose .link-warning").count()).toBe(2);
        await containsText(post.locator(".link-notice"), "Quorum 工作人员绝不会要求你在其他网站登录或连接钱包");
        expect(await post.locator(".prose img").count()).toBe(0);
        await containsText(post.locator(".prose"), "https://evil.example/badge.png");
      } finally {
        await context.close();
      }
    });
  });
}

describe("the staff list", () => {
  it("/official lists the staff with their badge, and the badge links there", async () => {
    const { context, page } = await newPage(browser(), { javaScript: false });
    try {
      await page.goto("/official");
      const section = page.locator("#staff");
      await containsText(section, "工作人员");
      expect(await section.locator(".badge-staff svg").count()).toBeGreaterThan(0);
      expect(await section.locator(".badge-staff").first().getAttribute("href")).toBe("/official#staff");
    } finally {
      await context.close();
    }
  });
});
