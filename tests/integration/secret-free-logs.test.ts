/**
 * Nothing a visitor types reaches the server's log: the real production server (`npm start`) runs with
 * its access log on, and recovery phrases and keys are sent through the GETs that take text (the ask
 * page's suggestions, the header search…). Neither the log nor the response may contain them, in any
 * encoding (percent-encoded, "+" for spaces, upper or lower case).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { secretSamples, type SecretSample } from "../fixtures/secret-samples";
import { startProdServer, type ProdServer } from "../support/prod-server";

const samples = secretSamples();
const pick = (form: string) => samples.find((s) => s.form.startsWith(form))!;
const PHRASE = pick("english/128/spaces");
const WIF = pick("wif/compressed/mainnet");
const XPRV = pick("xprv/xprv");
const HEX = pick("hex_key/bare");
const CJK = pick("simplifiedChinese/128/spaces");
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

beforeAll(async () => {
  server = await startProdServer({ env: { QUORUM_ACCESS_LOG: "1" } });
}, 180_000);

afterAll(async () => {
  await server?.stop();
});

async function get(path: string, init: RequestInit = {}) {
  const res = await fetch(server.baseURL + path, { redirect: "manual", ...init });
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
