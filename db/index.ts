import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { Kysely, PostgresDialect, type LogEvent } from "kysely";
import pg from "pg";
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
  /** Pool size for PostgreSQL (PGlite has one connection). */
  poolSize?: number;
  /** Called for every query: used to count queries per request and in tests. */
  onQuery?: (event: LogEvent) => void;
};

export type DbHandle = {
  db: Database;
  kind: "postgres" | "pglite";
  /** Closes the pool and, for PGlite, the embedded database. */
  close: () => Promise<void>;
  /** The embedded database itself (PGlite only): tests dump a migrated template from it. */
  pglite?: { dumpDataDir: (compression?: "auto" | "gzip" | "none") => Promise<File | Blob> };
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
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? Number(process.env.DATABASE_POOL_SIZE ?? 10),
    });
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), log });
    return { db, kind: "postgres", close: () => db.destroy() };
  }

  const { PGlite } = await import("@electric-sql/pglite");
  const { pg_trgm } = await import("@electric-sql/pglite/contrib/pg_trgm");
  const { createPgConfig } = await import("@electric-sql/pglite/node-postgres");
  let dataDir = options.dataDir ?? process.env.QUORUM_DATA_DIR ?? "./data";
  if (!dataDir.startsWith("memory://")) {
    dataDir = resolve(dataDir);
    mkdirSync(dataDir, { recursive: true });
  }
  const releaseLock = dataDir.startsWith("memory://") ? () => {} : lockDataDir(dataDir);
  const lite = await PGlite.create({
    dataDir,
    extensions: { pg_trgm },
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
  });
  const pool = new pg.Pool(createPgConfig(lite));
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), log });
  return {
    db,
    kind: "pglite",
    pglite: lite,
    close: async () => {
      await db.destroy();
      await lite.close();
      releaseLock();
    },
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
function lockDataDir(dataDir: string): () => void {
  const lockPath = resolve(dataDir, "quorum.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lockPath, String(process.pid), { flag: "wx" });
      const release = () => rmSync(lockPath, { force: true });
      process.once("exit", release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = Number(readFileSync(lockPath, "utf8").trim());
      if (owner && owner !== process.pid && isAlive(owner)) {
        throw new Error(
          `The embedded database in ${dataDir} is in use by process ${owner} (a running Quorum server?). ` +
            "Stop it first, or point both at PostgreSQL with DATABASE_URL.",
        );
      }
      rmSync(lockPath, { force: true }); // left behind by a process that is gone
    }
  }
  throw new Error(`Could not lock ${dataDir}`);
}

function isAlive(pid: number): boolean {
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
