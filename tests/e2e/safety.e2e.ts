import pg from "pg";
import { describe, expect, inject, it } from "vitest";
import { containsText, hydrated, newPage, signUp, uniqueName, useBrowser } from "./browser";
import { addr, hex64, mnemonic, Rng, WORDLISTS } from "../fixtures/crypto-samples";

const browser = useBrowser();
const rng = new Rng(`safety-e2e-${Date.now()}`);

/** Rows of the server's database holding `needle` (PostgreSQL only: PGlite is locked by the server). */
async function storedAnywhere(needle: string): Promise<number | null> {
  const url = inject("e2eDatabaseUrl");
  if (!url) return null;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: tables } = await client.query(
      `select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`,
    );
    let hits = 0;
    for (const { table_name } of tables) {
      const { rows } = await client.query(`select count(*)::int as n from "${table_name}" t where t::text ilike $1`, [`%${needle}%`]);
      hits += rows[0].n;
    }
    return hits;
  } finally {
    await client.end();
  }
}

for (const javaScript of [true, false]) {
  describe(`wallet safety (JavaScript ${javaScript ? "on" : "off"})`, () => {
    it("refuses a valid 12-word recovery phrase with the text masked and an explanation; stores nothing", async () => {
      const { context, page } = await newPage(browser(), { javaScript });
      try {
        const me = await signUp(page, "phr");
        const phrase = mnemonic(rng, WORDLISTS.english, 128);
        const title = `钱包导入后余额为零 ${uniqueName("")}`;
        await page.goto("/ask?board=account");
        if (javaScript) await hydrated(page);
        await page.fill('input[name="title"]', title);
        await page.fill('textarea[name="body"]', `我的助记词是 ${phrase}，请帮我看看`);
        const [response] = await Promise.all([
          javaScript ? Promise.resolve(null) : page.waitForNavigation(),
          page.click('main form button[type="submit"]'),
        ]);
        if (response) expect(response.status()).toBe(422);
        await page.waitForSelector('.safety-panel[data-safety="blocked"]');
        await containsText(page.locator(".safety-panel"), "立即把全部资产转入新钱包");
        expect(page.url()).toContain("/ask");
        // The textarea holds the masked text, and the page holds no phrase word.
        const value = await page.locator('textarea[name="body"]').inputValue();
        expect(value).toContain("•••••");
        expect(value).toContain("我的助记词是");
        const html = await page.content();
        const words = phrase.split(" ");
        for (let i = 0; i + 3 <= words.length; i++) expect(html.includes(words.slice(i, i + 3).join(" "))).toBe(false);
        // Nothing stored: no thread on the profile, nothing in the database.
        await page.goto(`/u/${me}`);
        expect(await page.locator(`text=${title}`).count()).toBe(0);
        const hits = await storedAnywhere(phrase.split(" ").slice(0, 3).join(" "));
        if (hits !== null) expect(hits).toBe(0);
      } finally {
        await context.close();
      }
    });

    it("posts a transaction hash; an answer with an address gets the warning", async () => {
      const { context, page } = await newPage(browser(), { javaScript });
      try {
        await signUp(page, "txh");
        const tx = hex64(rng);
        await page.goto("/ask?board=transactions");
        if (javaScript) await hydrated(page);
        await page.fill('input[name="title"]', `转账一直未确认 ${uniqueName("")}`);
        await page.fill('textarea[name="body"]', `交易哈希：${tx}\n\n已经过去两个小时了。`);
        await Promise.all([page.waitForURL(/\/t\/\d+\//), page.click('main form button[type="submit"]')]);
        await containsText(page.locator("#post-1"), tx);
        expect(await page.locator("#post-1 .address-notice").count()).toBe(0);
        if (javaScript) await hydrated(page);
        await page.fill('textarea[name="body"]', `转到这个地址试试 ${addr.evm(rng)}`);
        await page.click('main .reply-box form button[type="submit"]');
        await page.waitForSelector("#post-2");
        await containsText(page.locator("#post-2 .address-notice"), "切勿向其他用户发布的地址转账");
      } finally {
        await context.close();
      }
    });

    it("refuses a phrase-like run that fails the checksum like a phrase (was: a warning and a tick box)", async () => {
      const { context, page } = await newPage(browser(), { javaScript });
      try {
        await signUp(page, "wrn");
        const words = "abandon ability able about above absent absorb abstract absurd abuse access accident";
        await page.goto("/ask?board=tips");
        if (javaScript) await hydrated(page);
        await page.fill('input[name="title"]', `这些词是什么意思 ${uniqueName("")}`);
        await page.fill('textarea[name="body"]', `词表前几个词：${words}`);
        await page.click('main form button[type="submit"]');
        await page.waitForSelector('.safety-panel[data-safety="blocked"]');
        expect(await page.locator('input[name="confirmNotSecret"]').count()).toBe(0);
        const value = await page.locator('textarea[name="body"]').inputValue();
        expect(value).toContain("•••••");
        expect(value).not.toContain("absurd");
        expect(page.url()).toContain("/ask");
      } finally {
        await context.close();
      }
    });

    it("refuses a look-alike of a staff name at sign-up", async () => {
      const staff = inject("e2eStaffName");
      const lookAlike = staff.replace("m", "rn");
      const { context, page } = await newPage(browser(), { javaScript });
      try {
        await page.goto("/signup");
        if (javaScript) await hydrated(page);
        await page.fill('input[name="username"]', lookAlike);
        await page.fill('input[name="email"]', `${uniqueName("la")}@example.com`);
        await page.fill('input[name="password"]', "a long enough password");
        await page.click('main form button[type="submit"]');
        await containsText(page.locator("#f-username-error"), `“${staff}”`);
        expect(page.url()).toContain("/signup");
        expect(await page.locator("header .user-menu-name").count()).toBe(0);
      } finally {
        await context.close();
      }
    });
  });
}
