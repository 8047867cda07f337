import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkPath, cleanCookies, edge, validHost } from "~/server/edge";

describe("paths the edge refuses", () => {
  it.each([
    ["/u/%00", "badRequest"],
    ["/b/%01x", "badRequest"],
    ["/faq/%C3%28", "badRequest"],
    ["/faq/%E0%A4%A", "badRequest"],
    ["/u/%", "badRequest"],
    ["/t/99999999999999999999", "notFound"],
    ["/p/abc/edit", "notFound"],
    ["/t/12/some-slug", "ok"],
    // Client-side navigation fetches a page's data at its path + ".data".
    ["/t/12.data", "ok"],
    ["/staff/faq/promote/7.data", "ok"],
    ["/t/12.json", "notFound"],
    ["/u/%E4%BD%A0", "ok"],
    ["/faq/how-to", "ok"],
  ])("%s → %s", (path, verdict) => {
    expect(checkPath(path)).toBe(verdict);
  });
});

describe("hosts and cookies", () => {
  it("accepts hosts a URL can be made of, refuses the rest", () => {
    for (const ok of ["quorum.test", "127.0.0.1:3000", "[::1]:8080", "forum.example.com"]) expect(validHost(ok), ok).toBe(true);
    for (const bad of ["a b", "[::1", "127.0.0.1:99999", "", "a/b", "x:1:2"]) expect(validHost(bad), bad).toBe(false);
  });

  it("drops cookies the session library could not decode, keeps the rest", () => {
    expect(cleanCookies("quorum_session=%ZZ; lng=ImVuIg%3D%3D")).toBe(" lng=ImVuIg%3D%3D");
    expect(cleanCookies("a=1; b=2")).toBe("a=1; b=2");
  });
});

describe("bodies bounded as they stream", () => {
  let server: http.Server;
  let port = 0;
  let seenOrigin: { origin?: string; referer?: string } = {};
  beforeAll(async () => {
    const app = express();
    app.use(edge({ bodyLimitBytes: 1024 }));
    app.post("*", (req, res) => {
      seenOrigin = { origin: req.headers.origin, referer: req.headers.referer };
      const chunks: Buffer[] = [];
      req.on("data", (c) => chunks.push(c));
      req.on("error", () => {});
      req.on("end", () => res.end(`read ${Buffer.concat(chunks).length}`));
    });
    server = app.listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  const post = (headers: Record<string, string>, body: Buffer, chunked = false) =>
    new Promise<{ status: number; text: string }>((resolve) => {
      const req = http.request({ host: "127.0.0.1", port, method: "POST", path: "/x", headers: { Host: `127.0.0.1:${port}`, ...headers } }, (res) => {
        let text = "";
        res.on("data", (c) => (text += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on("error", () => resolve({ status: -1, text: "" }));
      if (chunked) {
        for (let i = 0; i < body.length; i += 256) req.write(body.subarray(i, i + 256));
      } else req.write(body);
      req.end();
    });

  it("a chunked body past the limit gets 413", async () => {
    const r = await post({ "Content-Type": "application/x-www-form-urlencoded", "Transfer-Encoding": "chunked" }, Buffer.alloc(64 * 1024, "a"), true);
    expect(r.status).toBe(413);
  });

  it("a declared length past the limit gets 413 before anything is read", async () => {
    const r = await post({ "Content-Type": "application/x-www-form-urlencoded", "Content-Length": "5000" }, Buffer.alloc(5000, "a"));
    expect(r.status).toBe(413);
  });

  it("a body within the limit passes whole", async () => {
    const r = await post({ "Content-Type": "application/x-www-form-urlencoded", "Transfer-Encoding": "chunked" }, Buffer.alloc(1000, "a"), true);
    expect(r).toEqual({ status: 200, text: "read 1000" });
  });

  it("a content type no form sends gets 415", async () => {
    const r = await post({ "Content-Type": "application/xml" }, Buffer.from("<a/>"));
    expect(r.status).toBe(415);
  });

  it("a cross-site Origin is moved where the app's own check refuses it", async () => {
    await post({ "Content-Type": "application/x-www-form-urlencoded", Origin: "https://evil.example" }, Buffer.from("a=1"));
    expect(seenOrigin).toEqual({ origin: undefined, referer: "https://evil.example" });
    await post({ "Content-Type": "application/x-www-form-urlencoded", Origin: "null" }, Buffer.from("a=1"));
    expect(seenOrigin).toEqual({ origin: undefined, referer: "null" });
    await post({ "Content-Type": "application/x-www-form-urlencoded", Origin: `http://127.0.0.1:${port}` }, Buffer.from("a=1"));
    expect(seenOrigin.origin).toBe(`http://127.0.0.1:${port}`);
  });
});
