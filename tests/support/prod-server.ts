import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { freePort } from "./free-port";
import { freshServerDatabase } from "./server-db";
import { startNodeFlags } from "./start-flags";

export type ProdServer = {
  baseURL: string;
  /** Everything the server wrote to stdout and stderr so far. */
  output: () => string;
  stop: () => Promise<void>;
};

/**
 * Runs the production server exactly as `npm start` does (app/server/start.mjs, which builds first if
 * the sources are newer than the build), on a free port against a fresh database — a new PGlite folder,
 * or with DATABASE_URL a new database on that PostgreSQL server — and captures what it prints.
 * `users` are made with the operator's CLI before the server opens the database.
 */
export async function startProdServer(
  opts: { env?: Record<string, string>; users?: { username: string; password: string; role?: string }[] } = {},
): Promise<ProdServer> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: "127.0.0.1",
    QUORUM_INSECURE_COOKIES: "1",
    QUORUM_STAFF_REQUIRE_2FA: "0",
    // The anonymous page cache would answer repeated pages without reaching the app.
    QUORUM_ANON_CACHE_TTL: "0",
    ...opts.env,
  };
  const database = await freshServerDatabase("quorum-srv", env);
  for (const u of opts.users ?? []) {
    const made = spawnSync(
      process.execPath,
      ["--import", "tsx", "app/cli/index.ts", "user:create", u.username, `${u.username}@example.com`, "--role", u.role ?? "user"],
      { env: { ...env, QUORUM_PASSWORD: u.password }, stdio: ["ignore", "ignore", "pipe"] },
    );
    if (made.status !== 0) throw new Error(`user:create ${u.username} failed: ${made.stderr}`);
  }
  let out = "";
  const child: ChildProcess = spawn(process.execPath, [...startNodeFlags(), "app/server/start.mjs"], { env, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const baseURL = `http://127.0.0.1:${port}`;
  const cleanup = async () => {
    if (child.exitCode === null) {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
    }
    await database.drop();
  };
  const until = Date.now() + 170_000;
  for (;;) {
    if (child.exitCode !== null) {
      await cleanup();
      throw new Error(`the server exited with ${child.exitCode}:\n${out}`);
    }
    try {
      if ((await fetch(`${baseURL}/healthz`)).ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > until) {
      await cleanup();
      throw new Error(`the server did not answer within 170 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return { baseURL, output: () => out, stop: cleanup };
}
