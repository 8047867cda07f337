import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ServerBuild } from "@remix-run/node";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { createDb, lockDataDir } from "~db/index";
import { DatabaseUnavailable, isDatabaseUnavailable } from "~db/errors";
import { guardRoutes, runInOutageScope } from "~/server/outage";
import { freePort } from "../support/free-port";

const refused = () => Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" });

function buildWith(module: Record<string, unknown>): ServerBuild {
  return { routes: { r: { id: "r", path: "x", module } } } as unknown as ServerBuild;
}

async function thrown(fn: () => unknown): Promise<{ type?: string; data: any; init: ResponseInit | null }> {
  try {
    await fn();
  } catch (e) {
    return e as never;
  }
  throw new Error("did not throw");
}

describe("routes during an outage", () => {
  it("a loader's lost database becomes a 503 with Retry-After", async () => {
    const build = guardRoutes(buildWith({ loader: async () => Promise.reject(refused()) }), 7);
    const e = await thrown(() => (build.routes.r.module as any).loader({ request: new Request("http://x/x") }));
    expect(e.init?.status).toBe(503);
    expect(new Headers(e.init?.headers).get("Retry-After")).toBe("7");
    expect(e.data.message).toBe("outage");
  });

  it("a form submitted then comes back with its text (secrets masked, passwords left out)", async () => {
    const phrase = "abandon ability able about above absent absorb abstract absurd abuse access accident";
    const build = guardRoutes(
      buildWith({
        action: async ({ request }: { request: Request }) => {
          await request.formData();
          throw new DatabaseUnavailable();
        },
      }),
      5,
    );
    const body = new URLSearchParams({ title: "My deposit", body: `my words: ${phrase}`, password: "hunter2 secret" });
    const request = new Request("http://x/ask?from=1", { method: "POST", body, headers: { "Content-Type": "application/x-www-form-urlencoded" } });
    const e = await runInOutageScope(() => thrown(() => (build.routes.r.module as any).action({ request })));
    expect(e.init?.status).toBe(503);
    expect(e.data.action).toBe("/ask?from=1");
    expect(e.data.values.title).toBe("My deposit");
    expect(e.data.values.body).not.toContain("abandon ability");
    expect(e.data.values.password).toBeUndefined();
  });

  it("a value the database refuses (class 22) is a 404 from a loader and a 400 from an action", async () => {
    const bad = Object.assign(new Error("value out of range for type bigint"), { code: "22003" });
    const build = guardRoutes(buildWith({ loader: async () => Promise.reject(bad), action: async () => Promise.reject(bad) }), 5);
    const m = build.routes.r.module as any;
    expect((await thrown(() => m.loader({ request: new Request("http://x/x") }))).init?.status).toBe(404);
    const post = new Request("http://x/x", { method: "POST", body: "a=1", headers: { "Content-Type": "application/x-www-form-urlencoded" } });
    expect((await thrown(() => m.action({ request: post }))).init?.status).toBe(400);
  });
});

describe("the pool against a database that is not there", () => {
  it("fails within the connect timeout, then at once until a probe gets through; the process lives", async () => {
    const port = await freePort();
    const handle = await createDb({
      url: `postgres://postgres@127.0.0.1:${port}/none`,
      timeouts: { connectMs: 500, statementMs: 1000, lockMs: 500, idleTxMs: 1000 },
    });
    const first = await sql`select 1`.execute(handle.db).catch((e) => e);
    expect(isDatabaseUnavailable(first)).toBe(true);
    expect(handle.health().up).toBe(false);
    const started = Date.now();
    const second = await sql`select 1`.execute(handle.db).catch((e) => e);
    expect(second).toBeInstanceOf(DatabaseUnavailable);
    expect(Date.now() - started).toBeLessThan(100);
    const ping = await handle.ping(300);
    expect(ping.ok).toBe(false);
    await handle.close();
  });
});

describe("the embedded database's folder", () => {
  it("waits for a previous process to let go of it instead of refusing", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "quorum-lock-"));
    const child = spawn("sleep", ["1"]);
    writeFileSync(path.join(dir, "quorum.lock"), String(child.pid));
    const refusedAtOnce = await lockDataDir(dir, 0).catch((e: Error) => e);
    expect(String(refusedAtOnce)).toMatch(/in use by process \d+ \(sleep 1\)/);
    const started = Date.now();
    const release = await lockDataDir(dir, 10_000);
    expect(Date.now() - started).toBeGreaterThan(300);
    expect(readFileSync(path.join(dir, "quorum.lock"), "utf8")).toBe(String(process.pid));
    release();
    rmSync(dir, { recursive: true, force: true });
  });
});
