/**
 * Nothing a visitor types reaches the server's log: the real production server (`npm start`) runs with
 * its access log on, and recovery phrases and keys are sent through the GETs that take text (the ask
 * page's suggestions, the header search…). Neither the log nor the response may contain them, in any
 * encoding (percent-encoded, "+" for spaces, upper or lower case).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { oneOfEachKind, type SecretSample } from "../fixtures/secret-samples";
import { startProdServer, type ProdServer } from "../support/prod-server";

const { phrase: PHRASE, wif: WIF, xprv: XPRV, hex: HEX, cjkPhrase: CJK } = oneOfEachKind();
const SECRETS: SecretSample[] = [PHRASE, WIF, XPRV, HEX, CJK];

/** Text reduced to its letters and digits, lower case, whatever encoding it went through. */
function normalise(s: string): string {
  let t = s;
  for (let i = 0; i < 3; i++)
    t = t.replace(/\+/g, " ").replace(/(%[0-9a-f]{2})+/gi, (m) => {
      try {
        return decodeURIComponent(m);
      } catch {
        return m;
      }
    });
  return ` ${t.normalize("NFKC").toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ")} `;
}

/** What of a secret would betray it: any 4 consecutive phrase words, or a long stretch of a key. */
function needles(s: SecretSample): string[] {
  if (s.words) {
    const w = s.words.map((x) => normalise(x).trim());
    return w.slice(0, w.length - 3).map((_, i) => ` ${w.slice(i, i + 4).join(" ")} `);
  }
  const key = normalise(s.secret).trim().replace(/ /g, "");
  return [key, key.slice(8, 28)];
}

function leaks(haystack: string, s: SecretSample): string | null {
  const h = normalise(haystack);
  return needles(s).find((n) => h.includes(n)) ?? null;
}

let server: ProdServer;
const USER = { username: "logtester", password: "a long enough password 1" };
const STAFF = { username: "logmod", password: "a long enough password 2", role: "moderator" };

beforeAll(async () => {
  server = await startProdServer({ env: { QUORUM_ACCESS_LOG: "1" }, users: [USER, STAFF] });
}, 180_000);

afterAll(async () => {
  await server?.stop();
});

async function get(path: string, init: RequestInit = {}) {
  const res = await fetch(server.baseURL + path, { redirect: "manual", ...init, headers: { "Accept-Language": "en", ...(init.headers as Record<string, string>) } });
  const body = await res.text();
  const headers = [...res.headers].map(([k, v]) => `${k}: ${v}`).join("\n");
  return { status: res.status, text: `${headers}\n${body}`, location: res.headers.get("location") };
}

/** The log lines written since `mark` (the access log writes when a response ends). */
async function logSince(mark: number): Promise<string> {
  await new Promise((r) => setTimeout(r, 50));
  return server.output().slice(mark);
}

describe("the access log and the ask page's suggestions", () => {
  it("a phrase or key typed into the ask title (GET /search/suggest) is not written to the log", async () => {
    for (const s of SECRETS) {
      const mark = server.output().length;
      const res = await get(`/search/suggest?from=ask&q=${encodeURIComponent(s.text)}`);
      expect(res.status).toBeLessThan(500);
      const log = await logSince(mark);
      expect(log).toMatch(/\/search\/suggest/); // the request is logged…
      expect(leaks(log, s), `${s.form} in the log`).toBeNull(); // …without what was typed
    }
  });

  it("the header search box (GET /search?q=) and reset-password links do not write it either", async () => {
    for (const s of SECRETS) {
      const mark = server.output().length;
      await get(`/search?q=${encodeURIComponent(s.text)}`);
      await get(`/search.data?q=${encodeURIComponent(s.text)}`);
      expect(leaks(await logSince(mark), s), `${s.form} in the log`).toBeNull();
    }
    const token = "Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5d2FsZG8";
    const mark = server.output().length;
    await get(`/reset-password?token=${token}`);
    await get(`/verify-email?token=${token}`);
    const log = await logSince(mark);
    expect(log).toMatch(/\/reset-password/);
    expect(log).not.toContain(token);
  });
});

/** Logs in through the login form and returns the session cookie. */
async function login(u: { username: string; password: string }): Promise<string> {
  const res = await fetch(`${server.baseURL}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: server.baseURL, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ login: u.username, password: u.password, redirectTo: "/" }),
  });
  expect(res.status).toBe(302);
  return res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
}

async function post(path: string, cookie: string, form: Record<string, string>) {
  const res = await fetch(server.baseURL + path, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: server.baseURL, Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form),
  });
  return { status: res.status, location: res.headers.get("location"), text: await res.text() };
}

describe("every GET that takes text", () => {
  it("a phrase or key sent through any of them is neither in the log nor in the response", async () => {
    const userCookie = await login(USER);
    const staffCookie = await login(STAFF);
    // A thread to address (its id, its slug, its posts), asked through the form.
    const asked = await post("/ask", userCookie, {
      board: "security",
      title: "How do I back up my wallet before updating?",
      body: "I want to update the app and keep my funds safe. What should I write down first?",
      clientToken: crypto.randomUUID(),
      intent: "post",
    });
    expect(asked.status, asked.text.slice(0, 300)).toBe(302);
    const [, id, slug] = /^\/t\/(\d+)\/([^/?]+)/.exec(asked.location!)!;
    const mark = server.output().length;
    const identities = { anonymous: "", user: userCookie, staff: staffCookie };
    for (const s of SECRETS) {
      const E = encodeURIComponent(s.text);
      const W = encodeURIComponent(s.text.replace(/[\s,，、.]+/g, "-"));
      const back = encodeURIComponent(`/search?q=${E}`);
      const paths = [
        `/search?q=${E}`,
        `/search?q=${E}&page=2&board=security&status=solved&type=thread`,
        `/search?board=${E}&status=${E}&type=${E}&page=${E}`,
        `/search.data?q=${E}`,
        `/search/suggest?q=${E}`,
        `/search/suggest?from=ask&q=${E}`,
        `/search/open?type=${E}&id=${E}`,
        `/search/open?type=thread&id=${id}&q=${E}`,
        `/t/${id}/view.gif?v=${E}`,
        `/t/${E}/view.gif`,
        `/t/${id}/${W}`,
        `/t/${id}/${slug}?page=${E}&sort=${E}`,
        `/t/${id}?${E}`,
        `/t/${id}/${slug}.data?sort=${E}`,
        `/b/security?tab=${E}&page=${E}&after=${E}`,
        `/b/${W}`,
        `/b/${W}/new`,
        `/b/security/new?x=${E}`,
        `/ask?board=${E}`,
        `/login?redirectTo=${back}`,
        `/login?redirectTo=${E}`,
        `/signup?redirectTo=${back}`,
        `/login/2fa?redirectTo=${back}`,
        `/reset-password?token=${E}`,
        `/verify-email?token=${E}`,
        `/verify-email?change=${E}`,
        `/verify-email?sent=${E}`,
        `/forgot-password?email=${E}`,
        `/reports?page=${E}&new=${E}&hidden=${E}`,
        `/staff/reports?page=${E}&done=${E}`,
        `/staff/faq?sort=${E}`,
        `/staff/faq/candidates?board=${E}`,
        `/staff/audit?action=${E}&page=${E}`,
        `/staff/deflection?x=${E}`,
        `/settings/security?required=${E}`,
        `/settings?tab=${E}`,
        `/u/${W}`,
        `/u/${USER.username}?tab=${E}`,
        `/faq/${W}`,
        `/faq?q=${E}`,
        `/p/${W}/revisions`,
        `/p/1/revisions?page=${E}`,
        `/p/${W}/edit`,
        `/p/1/report?reason=${E}`,
        `/official?x=${E}`,
        `/locale?redirectTo=${back}`,
        `/${W}`,
        `/${E}`,
        `/?q=${E}`,
        `/_root.data?q=${E}`,
        `/healthz?${E}`,
      ];
      for (const [who, cookie] of Object.entries(identities))
        for (const p of paths) {
          const res = await get(p, { headers: cookie ? { Cookie: cookie } : {} });
          expect(res.status, `${who} GET ${p.slice(0, 60)}`).toBeLessThan(500);
          expect(leaks(res.text, s), `${s.form} in the response to ${who} GET ${p.slice(0, 60)}`).toBeNull();
        }
      // The ask form refuses such a title: neither the log nor the refusal repeat it.
      const refused = await post("/ask", userCookie, { board: "security", title: s.text, body: "Please help me, is this safe to keep here?", intent: "post" });
      expect(refused.status).toBe(422);
      expect(leaks(refused.text, s), `${s.form} in the ask refusal`).toBeNull();
    }
    const log = await logSince(mark);
    expect(log).toMatch(/GET \/search\?\[redacted\] 303/);
    expect(log).toMatch(/GET \/search\/suggest\?\[redacted\] 200/);
    for (const s of SECRETS) expect(leaks(log, s), `${s.form} in the log`).toBeNull();
  });

  it("a search holding a phrase is not run: 303 to /search?refused=secret, which explains it", async () => {
    const res = await get(`/search?q=${encodeURIComponent(PHRASE.text)}`);
    expect(res.status).toBe(303);
    expect(res.location).toBe("/search?refused=secret");
    const page = await get("/search?refused=secret");
    expect(page.text).toContain("looks like a recovery phrase or a private key");
    const suggest = await fetch(`${server.baseURL}/search/suggest?from=ask&q=${encodeURIComponent(WIF.text)}`);
    expect(await suggest.json()).toEqual({ refused: "secret", suggestions: [] });
    // Any other page: the same path without its query, and a notice saying why.
    const board = await get(`/b/security?tab=${encodeURIComponent(PHRASE.text)}`);
    expect(board.status).toBe(303);
    expect(board.location).toBe("/b/security?refused=secret");
    expect((await get(board.location!)).text).toContain("looks like a recovery phrase or a private key, so it was not used");
    expect((await get(`/t/1/${PHRASE.words!.join("-")}`)).location).toBe("/?refused=secret");
  });
});

