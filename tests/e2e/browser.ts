import { chromium, type Browser, type BrowserContext, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll, expect, inject } from "vitest";
import { waitForLink } from "./mail";

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function baseURL(): string {
  return inject("baseURL");
}

/** One Chromium for the file; each test opens its own contexts (cookies apart). */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => browser!;
}

export async function newPage(browser: Browser, opts: { javaScript?: boolean; locale?: string } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    baseURL: baseURL(),
    javaScriptEnabled: opts.javaScript ?? true,
    locale: opts.locale ?? "zh-CN",
    viewport: { width: 1200, height: 900 },
  });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return { context, page };
}

let seq = 0;
export function uniqueName(prefix: string): string {
  return `${prefix}${Date.now().toString(36)}${(seq++).toString(36)}`.slice(0, 32);
}

/**
 * Signs up through the form and returns the username; the page is then logged in and, unless
 * `verify` is false, the e-mail address confirmed through the link in the verification mail.
 */
export async function signUp(page: Page, prefix = "u", opts: { verify?: boolean } = {}): Promise<string> {
  const username = uniqueName(prefix);
  await page.goto("/signup");
  await page.fill('input[name="username"]', username);
  await page.fill('input[name="email"]', `${username}@example.com`);
  await page.fill('input[name="password"]', "a long enough password");
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith("/signup")), page.click('main form button[type="submit"]')]);
  if (opts.verify ?? true) {
    const link = await waitForLink(inject("e2eMailDir"), `${username}@example.com`, "/verify-email?token=");
    const back = page.url();
    await page.goto(link);
    await page.waitForSelector("main .notice-ok");
    await page.goto(back);
  }
  return username;
}

/** Waits for hydration, so clicks go through React rather than a plain form post. */
export async function hydrated(page: Page) {
  await page.waitForFunction(() => (window as unknown as { __remixContext?: unknown }).__remixContext !== undefined);
}

/** Logs in through the form and waits to leave /login. */
export async function logIn(page: Page, login: string, password: string) {
  await page.goto("/login");
  await page.fill('input[name="login"]', login);
  await page.fill('input[name="password"]', password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith("/login")), page.click('main form button[type="submit"]')]);
}

/** Opens a page; with JavaScript on, waits for hydration. */
export async function open(page: Page, url: string, javaScript: boolean) {
  await page.goto(url);
  if (javaScript) await hydrated(page);
}

/** Polls until the locator's text equals (or contains) the expected text; then asserts it. */
async function pollText(locator: Locator, check: (s: string) => boolean, timeout = 10_000): Promise<string> {
  const until = Date.now() + timeout;
  let last = "";
  while (Date.now() < until) {
    try {
      last = ((await locator.first().textContent({ timeout: 1000 })) ?? "").trim();
      if (check(last)) return last;
    } catch {
      /* not there yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return last;
}

export async function hasText(locator: Locator, expected: string) {
  expect(await pollText(locator, (s) => s === expected)).toBe(expected);
}

export async function containsText(locator: Locator, expected: string) {
  expect(await pollText(locator, (s) => s.includes(expected))).toContain(expected);
}

/** Answers a thread through its reply box and waits for the answer to show (post 2: the first answer). */
export async function answer(page: Page, url: string, body: string, javaScript: boolean) {
  await open(page, url, javaScript);
  await page.fill('main .reply-box textarea[name="body"]', body);
  await page.click('main .reply-box form button[type="submit"]');
  await page.waitForSelector("#post-2");
}

/** Asks a question on a board through /ask (the "post" button) and returns the new thread's URL. */
export async function ask(page: Page, board: string, title: string, body: string): Promise<string> {
  await page.goto(`/ask?board=${board}`);
  await page.fill('input[name="title"]', title);
  await page.fill('textarea[name="body"]', body);
  await Promise.all([page.waitForURL(/\/t\/\d+\//), page.click('main form button[type="submit"][value="post"]')]);
  return page.url();
}
