import { afterEach, describe, expect, it } from "vitest";
import { securityHeaders } from "../../app/entry.server";
import { visitorCookie } from "../../app/models/views.server";

const saved = { NODE_ENV: process.env.NODE_ENV, QUORUM_INSECURE_COOKIES: process.env.QUORUM_INSECURE_COOKIES };
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
  else process.env[k] = v;
});

describe("production headers and cookies", () => {
  it("sends HSTS and a Secure visitor cookie in production", () => {
    process.env.NODE_ENV = "production";
    delete process.env.QUORUM_INSECURE_COOKIES;
    const headers = new Headers();
    securityHeaders(headers, "n0nce");
    expect(headers.get("Strict-Transport-Security")).toBe("max-age=31536000; includeSubDomains");
    expect(headers.get("Content-Security-Policy")).toContain("'nonce-n0nce'");
    expect(visitorCookie("abcdefghijklmnop")).toMatch(/; Secure$/);
  });

  it("sends neither over plain HTTP (QUORUM_INSECURE_COOKIES=1) nor in development", () => {
    process.env.NODE_ENV = "production";
    process.env.QUORUM_INSECURE_COOKIES = "1";
    const headers = new Headers();
    securityHeaders(headers, "n");
    expect(headers.get("Strict-Transport-Security")).toBeNull();
    expect(visitorCookie("abcdefghijklmnop")).not.toMatch(/Secure/);
    process.env.NODE_ENV = "development";
    delete process.env.QUORUM_INSECURE_COOKIES;
    const dev = new Headers();
    securityHeaders(dev, "n");
    expect(dev.get("Strict-Transport-Security")).toBeNull();
    expect(visitorCookie("abcdefghijklmnop")).not.toMatch(/Secure/);
  });
});
