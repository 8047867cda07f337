import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import compression from "compression";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anonPageCache, gzipTemplate, gzipWith } from "../../app/server/anon-cache";

// The anonymous page cache in front of a stand-in page handler that counts its renders.
let base = "";
let renders = 0;
let close: () => void = () => {};

beforeAll(async () => {
  const app = express();
  app.use(anonPageCache({ ttlSeconds: 60, maxEntries: 2, sessionCookie: "quorum_session" }).middleware);
  app.get("/page", (req, res) => {
    renders++;
    const nonce = `n${renders}nonce`;
    res.setHeader("Content-Type", "text/html; charset=utf-8");
    res.setHeader("Content-Security-Policy", `script-src 'self' 'nonce-${nonce}'`);
    if (req.query.cookie) res.setHeader("Set-Cookie", "x=1");
    res.write(`<p>render ${renders}</p>`);
    res.end(`<script nonce="${nonce}">1</script>`);
  });
  app.get("/missing", (_req, res) => {
    renders++;
    res.status(404).type("html").end("no");
  });
  app.post("/write", (_req, res) => res.end("ok"));
  await new Promise<void>((resolve) => {
    const server = app.listen(0, "127.0.0.1", () => {
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      resolve();
    });
    close = () => server.close();
  });
});
afterAll(() => close());

const get = (path: string, headers: Record<string, string> = {}) => fetch(base + path, { headers });

describe("anonymous page cache", () => {
  it("serves an anonymous page again without rendering, with a fresh nonce in body and header", async () => {
    const first = await get("/page?a=1");
    const firstBody = await first.text();
    const before = renders;
    const second = await get("/page?a=1");
    const body = await second.text();
    expect(renders).toBe(before);
    expect(second.headers.get("x-quorum-cache")).toBe("hit");
    expect(body.replace(/nonce="[^"]+"/, "")).toBe(firstBody.replace(/nonce="[^"]+"/, ""));
    const nonce = body.match(/nonce="([^"]+)"/)![1];
    expect(firstBody).not.toContain(nonce);
    expect(second.headers.get("content-security-policy")).toContain(`'nonce-${nonce}'`);
  });

  it("never serves or stores pages for a session, with Set-Cookie, or not 200", async () => {
    await get("/page?b=1");
    let before = renders;
    await get("/page?b=1", { Cookie: "quorum_session=abc" });
    expect(renders).toBe(before + 1);
    await get("/page?cookie=1");
    before = renders;
    await get("/page?cookie=1");
    expect(renders).toBe(before + 1);
    await get("/missing");
    before = renders;
    await get("/missing");
    expect(renders).toBe(before + 1);
  });

  it("keys on the language cookie and Accept-Language, and is emptied by any write", async () => {
    await get("/page?c=1", { Cookie: "lng=en" });
    let before = renders;
    await get("/page?c=1", { Cookie: "lng=zh-CN" });
    expect(renders).toBe(before + 1);
    await get("/page?c=1", { Cookie: "lng=en" });
    expect(renders).toBe(before + 1); // a hit
    await fetch(base + "/write", { method: "POST" });
    before = renders;
    await get("/page?c=1", { Cookie: "lng=en" });
    expect(renders).toBe(before + 1);
  });
});

describe("anonymous page cache, bounded in bytes", () => {
  it("evicts the oldest pages to stay under maxBytes, and never stores a page larger than it", async () => {
    const cache = anonPageCache({ ttlSeconds: 60, maxEntries: 100, maxBytes: 2500, sessionCookie: "quorum_session" });
    const app = express();
    app.use(cache.middleware);
    app.get("/p/:n", (req, res) => res.type("html").end("x".repeat(Number(req.params.n))));
    const server = app.listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    const at = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      for (const n of [1000, 1001, 1002]) await (await fetch(`${at}/p/${n}`)).text();
      expect(cache.bytes()).toBe(1001 + 1002); // the first was evicted
      expect((await fetch(`${at}/p/1000`)).headers.get("x-quorum-cache")).toBeNull();
      expect((await fetch(`${at}/p/1002`)).headers.get("x-quorum-cache")).toBe("hit");
      await (await fetch(`${at}/p/3000`)).text();
      expect((await fetch(`${at}/p/3000`)).headers.get("x-quorum-cache")).toBeNull();
      expect(cache.bytes()).toBeLessThanOrEqual(2500);
    } finally {
      server.close();
    }
  });

  it("counts a page's gzip template towards maxBytes, evicting the oldest other pages for it", async () => {
    const cache = anonPageCache({ ttlSeconds: 60, maxEntries: 100, maxBytes: 2500, sessionCookie: "quorum_session" });
    const app = express();
    app.use(cache.middleware);
    // Random text: its gzip copy is about as large as the page.
    app.get("/r/:n", (req, res) => res.type("html").end(randomBytes(Number(req.params.n)).toString("hex").slice(0, Number(req.params.n))));
    const server = app.listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    const at = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const get = (path: string, encoding: string) => fetch(at + path, { headers: { "Accept-Encoding": encoding } });
    try {
      for (const n of [600, 601]) await (await get(`/r/${n}`, "identity")).text();
      expect(cache.bytes()).toBe(1201);
      const hit = await get("/r/601", "gzip");
      expect(hit.headers.get("x-quorum-cache")).toBe("hit");
      expect((await hit.text()).length).toBe(601);
      expect(cache.bytes()).toBeGreaterThan(1201 + 300); // 601 + its template, with the 600 page still there
      expect(cache.bytes()).toBeLessThanOrEqual(2500);
      await (await get("/r/1100", "identity")).text(); // stored: the oldest page (/r/600) makes room
      expect(cache.bytes()).toBeLessThanOrEqual(2500);
      // /r/1100's template (~600 bytes of gzip) no longer fits beside /r/601 and its template: /r/601 goes.
      expect((await get("/r/1100", "gzip")).headers.get("x-quorum-cache")).toBe("hit");
      expect(cache.bytes()).toBeLessThanOrEqual(2500);
      expect((await get("/r/1100", "gzip")).headers.get("x-quorum-cache")).toBe("hit");
      expect((await get("/r/601", "identity")).headers.get("x-quorum-cache")).toBeNull();
      expect((await get("/r/600", "identity")).headers.get("x-quorum-cache")).toBeNull();
    } finally {
      server.close();
    }
  });
});

describe("gzip of a cached page with a fresh nonce (gzipTemplate + gzipWith)", () => {
  const nonce = "AAAAAAAAAAAAAAAAAAAAAA==";
  const cases: Record<string, string> = {
    "no nonce": "<p>hello</p>",
    "empty body": "",
    "nonce at both ends and twice in a row": `${nonce}<script nonce="${nonce}"></script>${nonce}${nonce}`,
    "Chinese text and a long page": `<html><script nonce="${nonce}">x</script>` + "提现一直没到账,怎么办?".repeat(9000) + `<script nonce="${nonce}">y</script></html>`,
    "incompressible bytes around the nonce": randomBytes(70_000).toString("base64") + nonce + randomBytes(70_000).toString("latin1"),
  };
  for (const [name, text] of Object.entries(cases)) {
    it(`decompresses to the page with the new nonce in every slot: ${name}`, () => {
      const body = Buffer.from(text);
      const template = gzipTemplate(body, text.includes(nonce) ? nonce : null);
      for (const fresh of ["BBBBBBBBBBBBBBBBBBBBBB==", "short", ""]) {
        const expected = text.includes(nonce) ? text.split(nonce).join(fresh) : text;
        expect(gunzipSync(gzipWith(template, fresh)).toString()).toBe(expected);
      }
    });
  }

  it("is compressed: a repetitive page shrinks as it would with the compression middleware", () => {
    const text = `<script nonce="${nonce}"></script>` + "<article class='card post'>提现一直没到账</article>".repeat(2000);
    const gz = gzipWith(gzipTemplate(Buffer.from(text), nonce), "CCCCCCCCCCCCCCCCCCCCCC==");
    expect(gz.length).toBeLessThan(Buffer.byteLength(text) / 20);
  });

  it("is sent to clients that accept gzip, behind the compression middleware as in the server, each hit with its own nonce", async () => {
    const app = express();
    app.use(compression());
    app.use(anonPageCache({ ttlSeconds: 60, maxEntries: 10, sessionCookie: "quorum_session" }).middleware);
    let n = 0;
    app.get("/big", (_req, res) => {
      n++;
      const nonce = randomBytes(16).toString("base64");
      res.setHeader("Content-Type", "text/html; charset=utf-8");
      res.setHeader("Content-Security-Policy", `script-src 'nonce-${nonce}'`);
      res.end(`<script nonce="${nonce}">1</script>` + "<p>提现到账</p>".repeat(3000) + `<script nonce="${nonce}">2</script>`);
    });
    const server = app.listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    const at = `http://127.0.0.1:${(server.address() as AddressInfo).port}/big`;
    try {
      const first = await (await fetch(at, { headers: { "Accept-Encoding": "gzip" } })).text();
      const seen = new Set<string>();
      for (const encoding of ["gzip", "gzip", "identity", "br, gzip"]) {
        const res = await fetch(at, { headers: { "Accept-Encoding": encoding } });
        expect(res.headers.get("x-quorum-cache")).toBe("hit");
        expect(res.headers.get("content-encoding") ?? "identity").toBe(encoding === "identity" ? "identity" : "gzip");
        const body = await res.text(); // fetch decompresses
        const nonces = [...body.matchAll(/nonce="([^"]+)"/g)].map((m) => m[1]);
        expect(nonces).toHaveLength(2);
        expect(nonces[0]).toBe(nonces[1]);
        expect(res.headers.get("content-security-policy")).toBe(`script-src 'nonce-${nonces[0]}'`);
        expect(seen.has(nonces[0])).toBe(false);
        seen.add(nonces[0]);
        expect(body.split(nonces[0]).join("N")).toBe(first.split(first.match(/nonce="([^"]+)"/)![1]).join("N"));
      }
      expect(n).toBe(1);
    } finally {
      server.close();
    }
  });
});
