import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anonPageCache } from "../../app/server/anon-cache";

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
});
