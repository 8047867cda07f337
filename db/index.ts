import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { Kysely, PostgresDialect, type LogEvent } from "kysely";
import pg from "pg";
import { DatabaseUnavailable, isConnectionFailure, isDatabaseUnavailable } from "./errors";
import type { DB } from "./types";

// bigint (int8) and numeric counters come back as JS numbers on both databases: every id and count
// in Quorum fits comfortably in 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export type Database = Kysely<DB>;

export type DbOptions = {
  /** postgres://… — a pg Pool. Without it, the embedded PGlite database is used. */
  url?: string;
  /** Folder of the embedded database (default ./data). "memory://" keeps it in memory. */
  dataDir?: string;
  /** An already loaded PGlite data dump (tests clone a migrated template this way). */
  loadDataDir?: Blob | File;
  /**
   * How long to wait for a previous process to let go of the embedded database's folder (a server
   * killed a moment ago may still be exiting). Default 0: refuse at once.
   */
  dataDirWaitMs?: number;
  /** Pool size for PostgreSQL (PGlite has one connection). */
  poolSize?: number;
  /** Called for every query: used to count queries per request and in tests. */
  onQuery?: (event: LogEvent) => void;
  /**
   * Bounded waits on PostgreSQL (the server passes config()'s; the CLI and tests run without):
   * connecting, one statement, waiting for a lock, an idle open transaction. A statement whose
   * server stops answering altogether is abandoned (its connection closed) 2 s after statementMs.
   */
  timeouts?: DbTimeouts;
};

export type DbTimeouts = { connectMs: number; statementMs: number; lockMs: number; idleTxMs: number };

/** How the database is doing, for /readyz and the outage page. */
export type DbHealth = {
  /** False from the first lost connection until a probe gets through again. */
  up: boolean;
  /** When `up` last changed (ms since the epoch). */
  since: number;
  lastError: string | null;
};

export type DbHandle = {
  db: Database;
  kind: "postgres" | "pglite";
  /** Closes the pool and, for PGlite, the embedded database. */
  close: () => Promise<void>;
  /** The embedded database itself (PGlite only): tests dump a migrated template from it. */
  pglite?: { dumpDataDir: (compression?: "auto" | "gzip" | "none") => Promise<File | Blob> };
  health: () => DbHealth;
  /** One `select 1` within timeoutMs: the readiness check. */
  ping: (timeoutMs: number) => Promise<{ ok: true; latencyMs: number } | { ok: false; latencyMs: number; error: string }>;
};

/**
 * Both databases go through Kysely's own PostgresDialect over a pg Pool: a real one for
 * DATABASE_URL, and one whose single connection is PGlite's node-postgres adapter otherwise.
 */
export async function createDb(options: DbOptions = {}): Promise<DbHandle> {
  const log = options.onQuery
    ? (event: LogEvent) => options.onQuery!(event)
    : (event: LogEvent) => {
        if (event.level === "error" && process.env.QUORUM_LOG_SQL_ERRORS) {
          console.error("SQL error", event.error);
        }
      };

  if (options.url) {
    const t = options.timeouts;
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? Number(process.env.DATABASE_POOL_SIZE ?? 10),
      keepAlive: true,
      ...(t
        ? {
            connectionTimeoutMillis: t.connectMs,
            // Set by the server on every connection at its start: no extra round trip per query.
            options: `-c statement_timeout=${t.statementMs} -c lock_timeout=${t.lockMs} -c idle_in_transaction_session_timeout=${t.idleTxMs}`,
          }
        : {}),
    });
    const breaker = new Breaker(pool, t?.connectMs ?? 5000);
    // An idle client whose server went away emits 'error' on the pool, a checked-out one on itself:
    // unhandled, either would end the process.
    pool.on("error", (error) => breaker.failed(error));
    pool.on("connect", (client) => {
      client.on("error", (error) => breaker.failed(error));
      if (t) abandonStalledQueries(client, t.statementMs + 2000, breaker);
    });
    // Kysely asks this for connections: while the breaker is open it answers at once instead of
    // letting every request wait out the connect timeout.
    const guarded = {
      async connect() {
        if (!breaker.health.up) throw new DatabaseUnavailable();
        try {
          return await pool.connect();
        } catch (error) {
          breaker.failed(error);
          throw error;
        }
      },
      end: () => pool.end(),
    };
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: guarded as unknown as pg.Pool }), log });
    return {
      db,
      kind: "postgres",
      close: async () => {
        breaker.stop();
        await db.destroy();
      },
      health: () => ({ ...breaker.health }),
      ping: async (timeoutMs) => {
        const r = await ping(pool, timeoutMs);
        if (r.ok) breaker.recovered();
        return r;
      },
    };
  }

  const { PGlite } = await import("@electric-sql/pglite");
  const { pg_trgm } = await import("@electric-sql/pglite/contrib/pg_trgm");
  const { createPgConfig } = await import("@electric-sql/pglite/node-postgres");
  let dataDir = options.dataDir ?? process.env.QUORUM_DATA_DIR ?? "./data";
  if (!dataDir.startsWith("memory://")) {
    dataDir = resolve(dataDir);
    mkdirSync(dataDir, { recursive: true });
  }
  const releaseLock = dataDir.startsWith("memory://") ? () => {} : await lockDataDir(dataDir, options.dataDirWaitMs ?? 0);
  const lite = await PGlite.create({
    dataDir,
    extensions: { pg_trgm },
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
  });
  const pool = new pg.Pool(createPgConfig(lite));
  pool.on("error", (error) => console.error("quorum: embedded database error:", error.message));
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), log });
  const since = Date.now();
  return {
    db,
    kind: "pglite",
    pglite: lite,
    // In-process: it is up as long as this process is.
    health: () => ({ up: true, since, lastError: null }),
    ping: (timeoutMs) => ping(pool, timeoutMs),
    close: async () => {
      await db.destroy();
      await lite.close();
      releaseLock();
    },
  };
}

/**
 * Opens on the first lost connection and closes when a `select 1` gets through again (tried every
 * second): meanwhile requests fail at once with DatabaseUnavailable (a fast 503) instead of each
 * waiting out the connect timeout, and service resumes by itself, with no restart.
 */
class Breaker {
  health: DbHealth = { up: true, since: Date.now(), lastError: null };
  private probing: ReturnType<typeof setInterval> | null = null;
  private busy = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly probeTimeoutMs: number,
  ) {}

  failed(error: unknown) {
    const message = error instanceof Error ? error.message : String(error);
    if (!isConnectionFailure(error)) {
      if (!isDatabaseUnavailable(error)) console.error("quorum: database client error:", message);
      return;
    }
    this.health.lastError = message;
    if (!this.health.up) return;
    this.health = { up: false, since: Date.now(), lastError: message };
    console.error(`quorum: database unavailable (${message}); answering 503 until it is back`);
    this.probing = setInterval(() => void this.probe(), 1000);
    this.probing.unref?.();
  }

  private async probe() {
    if (this.busy) return;
    this.busy = true;
    try {
      if ((await ping(this.pool, this.probeTimeoutMs)).ok) this.recovered();
    } finally {
      this.busy = false;
    }
  }

  /** A `select 1` got through (the probe's, or the readiness check's). */
  recovered() {
    if (this.health.up) return;
    console.log(`quorum: database back after ${((Date.now() - this.health.since) / 1000).toFixed(1)}s`);
    this.health = { up: true, since: Date.now(), lastError: null };
    this.stop();
  }

  stop() {
    if (this.probing) clearInterval(this.probing);
    this.probing = null;
  }
}

async function ping(pool: pg.Pool, timeoutMs: number) {
  const started = performance.now();
  const latencyMs = () => Math.round((performance.now() - started) * 10) / 10;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  let client: pg.PoolClient | undefined;
  try {
    const attempt = (async () => {
      client = await pool.connect();
      await client.query("select 1");
    })();
    attempt.catch(() => {}); // settles after the timeout too; its error is reported by the race
    await Promise.race([attempt, timeout]);
    client?.release();
    return { ok: true as const, latencyMs: latencyMs() };
  } catch (error) {
    // A client that did not answer is not put back into the pool.
    client?.release(error instanceof Error ? error : true);
    return { ok: false as const, latencyMs: latencyMs(), error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * statement_timeout is enforced by the server: a frozen or unreachable one never sends it. A query
 * still unanswered `ms` after it was sent gets its connection closed, which fails the query (and
 * any transaction on it) and drops the connection from the pool.
 */
function abandonStalledQueries(client: pg.PoolClient, ms: number, breaker: Breaker) {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const result = query(...args);
    if (!(result instanceof Promise)) return result; // callback and cursor forms: not used by Kysely's queries
    const timer = setTimeout(() => {
      const error = new Error(`Query read timeout: no answer from the database within ${ms} ms`);
      breaker.failed(error);
      (client as unknown as { connection?: { stream?: { destroy: (e?: Error) => void } } }).connection?.stream?.destroy(error);
    }, ms);
    timer.unref?.();
    return result.then(
      (r) => {
        clearTimeout(timer);
        return r;
      },
      (error) => {
        clearTimeout(timer);
        if (isConnectionFailure(error)) breaker.failed(error);
        throw error;
      },
    );
  };
}

/** The options the running server and the CLI use, read from the environment. */
export function envDbOptions(): DbOptions {
  return { url: process.env.DATABASE_URL || undefined, dataDir: process.env.QUORUM_DATA_DIR };
}

/**
 * PGlite is one PostgreSQL in one process: two processes opening the same folder would corrupt it.
 * A lock file with the owner's pid makes the second one stop with a clear message instead.
 */
export async function lockDataDir(dataDir: string, waitMs: number): Promise<() => void> {
  const lockPath = resolve(dataDir, "quorum.lock");
  const until = Date.now() + waitMs;
  let told = false;
  for (;;) {
    try {
      writeFileSync(lockPath, String(process.pid), { flag: "wx" });
      const release = () => rmSync(lockPath, { force: true });
      process.once("exit", release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = Number(readFileSync(lockPath, "utf8").trim());
      if (!owner || owner === process.pid || !isAlive(owner)) {
        rmSync(lockPath, { force: true }); // left behind by a process that is gone
        continue;
      }
      if (Date.now() >= until) {
        throw new Error(
          `The embedded database in ${dataDir} is in use by process ${owner}${describeProcess(owner)}. ` +
            "Stop it first, or point both at PostgreSQL with DATABASE_URL.",
        );
      }
      if (!told) console.log(`quorum: waiting up to ${Math.round(waitMs / 1000)}s for process ${owner}${describeProcess(owner)} to release ${dataDir}`);
      told = true;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** " (node app/server/start.mjs)": what the owner of the folder is, where the system tells. */
function describeProcess(pid: number): string {
  try {
    const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ").slice(0, 120);
    const state = /^State:\s*(\S)/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    if (state === "Z") return " (exited, not yet reaped by its parent)";
    return cmd ? ` (${cmd})` : "";
  } catch {
    return "";
  }
}

function isAlive(pid: number): boolean {
  try {
    // A zombie (killed, not yet reaped) holds nothing any more.
    if (/^State:\s*Z/m.test(readFileSync(`/proc/${pid}/status`, "utf8"))) return false;
  } catch {
    /* not Linux, or gone */
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Runs `fn` in a new transaction, or in the caller's when `db` already is one: model functions that
 * write take `Database | Transaction<DB>` (a Transaction is a Kysely) and call this, so a feature can
 * compose several of them in one transaction of its own.
 */
export function inTransaction<T>(db: Database, fn: (trx: Database) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}
