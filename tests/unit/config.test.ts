import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../app/web/config.server";

describe("config", () => {
  it("gives the documented defaults for an empty environment", () => {
    const c = parseConfig({});
    expect(c.PORT).toBe(3000);
    expect(c.HOST).toBe("127.0.0.1");
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.DATABASE_POOL_SIZE).toBe(10);
    expect(c.DATABASE_CONNECT_TIMEOUT_MS).toBe(3000);
    expect(c.DATABASE_STATEMENT_TIMEOUT_MS).toBe(5000);
    expect(c.DATABASE_LOCK_TIMEOUT_MS).toBe(3000);
    expect(c.DATABASE_IDLE_TX_TIMEOUT_MS).toBe(10_000);
    expect(c.QUORUM_BODY_LIMIT_KB).toBe(256);
    expect(c.QUORUM_SHUTDOWN_GRACE_MS).toBe(10_000);
    expect(c.QUORUM_STAFF_REQUIRE_2FA).toBe(true);
    expect(c.QUORUM_REQUIRE_VERIFIED_TO_ASK).toBe(true);
    expect(c.QUORUM_ACCESS_LOG).toBe(true);
    expect(c.QUORUM_TRUST_PROXY).toBe(false);
    expect(c.QUORUM_VETERAN_REPUTATION).toBe(500);
    expect(c.QUORUM_RATE_LIMITS).toBe(true);
    expect(c.rateLimitOverrides).toEqual({});
    expect(c.production).toBe(false);
    expect(c.secureCookies).toBe(false);
  });

  it("reads flags, numbers, lists and rate-limit overrides", () => {
    const c = parseConfig({
      NODE_ENV: "production",
      QUORUM_STAFF_REQUIRE_2FA: "0",
      QUORUM_VETERAN_REPUTATION: " 42 ",
      QUORUM_BLOCKED_DOMAINS: "evil.example, ,drainer.invalid",
      QUORUM_RATE_LIMIT_LOGIN_PER_ACCOUNT: "3 / 60",
      QUORUM_RATE_LIMIT_SIGNUP_PER_IP: "off",
      QUORUM_RATE_LIMITS: "off",
    });
    expect(c.QUORUM_STAFF_REQUIRE_2FA).toBe(false);
    expect(c.QUORUM_VETERAN_REPUTATION).toBe(42);
    expect(c.QUORUM_BLOCKED_DOMAINS).toEqual(["evil.example", "drainer.invalid"]);
    expect(c.rateLimitOverrides).toEqual({ QUORUM_RATE_LIMIT_LOGIN_PER_ACCOUNT: { points: 3, seconds: 60 }, QUORUM_RATE_LIMIT_SIGNUP_PER_IP: null });
    expect(c.QUORUM_RATE_LIMITS).toBe(false);
    expect(c.secureCookies).toBe(true);
    expect(parseConfig({ NODE_ENV: "production", QUORUM_INSECURE_COOKIES: "1" }).secureCookies).toBe(false);
  });

  it("refuses mistyped values, naming every variable at fault", () => {
    const bad = () =>
      parseConfig({ QUORUM_STAFF_REQUIRE_2FA: "yes", PORT: "http", QUORUM_RATE_LIMIT_ANSWER_PER_USER: "lots", DATABASE_URL: "not a url" });
    expect(bad).toThrow(ConfigError);
    try {
      bad();
    } catch (e) {
      const message = (e as Error).message;
      for (const name of ["QUORUM_STAFF_REQUIRE_2FA", "PORT", "QUORUM_RATE_LIMIT_ANSWER_PER_USER", "DATABASE_URL"]) expect(message).toContain(name);
    }
    expect(() => parseConfig({ QUORUM_VETERAN_REPUTATION: "0" })).toThrow(/QUORUM_VETERAN_REPUTATION/);
    expect(() => parseConfig({ QUORUM_RATE_LIMIT_LOGIN_PER_IP: "0/60" })).toThrow(/QUORUM_RATE_LIMIT_LOGIN_PER_IP/);
  });

  it("reads the database's bounded waits and the edge's limits, refusing nonsense", () => {
    const c = parseConfig({ DATABASE_STATEMENT_TIMEOUT_MS: "2000", DATABASE_CONNECT_TIMEOUT_MS: "1500", QUORUM_BODY_LIMIT_KB: "64", QUORUM_SHUTDOWN_GRACE_MS: "0" });
    expect([c.DATABASE_STATEMENT_TIMEOUT_MS, c.DATABASE_CONNECT_TIMEOUT_MS, c.QUORUM_BODY_LIMIT_KB, c.QUORUM_SHUTDOWN_GRACE_MS]).toEqual([2000, 1500, 64, 0]);
    expect(() => parseConfig({ DATABASE_STATEMENT_TIMEOUT_MS: "5s" })).toThrow(/DATABASE_STATEMENT_TIMEOUT_MS/);
    expect(() => parseConfig({ DATABASE_LOCK_TIMEOUT_MS: "0" })).toThrow(/DATABASE_LOCK_TIMEOUT_MS/);
    expect(() => parseConfig({ QUORUM_BODY_LIMIT_KB: "0" })).toThrow(/QUORUM_BODY_LIMIT_KB/);
  });
});
