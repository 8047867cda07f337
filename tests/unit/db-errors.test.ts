import { describe, expect, it } from "vitest";
import { DatabaseUnavailable, isBadInput, isConnectionFailure, isDatabaseUnavailable } from "~db/errors";

const pgError = (code: string, message = "x") => Object.assign(new Error(message), { code });

describe("database error classification", () => {
  it.each([
    ["refused", Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" })],
    ["reset", Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" })],
    ["terminated", new Error("Connection terminated unexpectedly")],
    ["connect timeout", new Error("timeout exceeded when trying to connect")],
    ["admin shutdown", pgError("57P01", "terminating connection due to administrator command")],
    ["starting up", pgError("57P03", "the database system is starting up")],
    ["connection exception", pgError("08006")],
    ["statement timeout", pgError("57014", "canceling statement due to statement timeout")],
    ["lock timeout", pgError("55P03", "canceling statement due to lock timeout")],
    ["breaker", new DatabaseUnavailable()],
    ["wrapped", new Error("migration failed", { cause: pgError("57P01") })],
    ["aggregate", Object.assign(new AggregateError([Object.assign(new Error("x"), { code: "ECONNREFUSED" })]), {})],
  ])("%s is an outage", (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ["unique violation", pgError("23505")],
    ["syntax", pgError("42601")],
    ["a bug", new TypeError("x is undefined")],
    ["nothing", null],
  ])("%s is not an outage", (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });

  it("a slow statement or a lock wait is not a lost connection (the breaker stays closed)", () => {
    expect(isConnectionFailure(pgError("57014"))).toBe(false);
    expect(isConnectionFailure(pgError("55P03"))).toBe(false);
    expect(isConnectionFailure(pgError("57P01"))).toBe(true);
  });

  it("data exceptions (NUL, out of range, invalid UTF-8) are bad input", () => {
    expect(isBadInput(pgError("22003", "value out of range for type bigint"))).toBe(true);
    expect(isBadInput(pgError("22021", 'invalid byte sequence for encoding "UTF8": 0x00'))).toBe(true);
    expect(isBadInput(pgError("23505"))).toBe(false);
  });
});
