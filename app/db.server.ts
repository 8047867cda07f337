import { AsyncLocalStorage } from "node:async_hooks";
import type { LogEvent } from "kysely";
import { createDb, envDbOptions, type Database, type DbHandle } from "~db/index";
import { migrateToLatest } from "~db/migrate";
import { seedDefaultBoards } from "~db/seed";
import { config } from "~/web/config.server";
import { log } from "~/web/log.server";

/** Counts SQL queries per unit of work (a request, a test): see countQueries(). */
const queryScope = new AsyncLocalStorage<{ count: number; sql: string[] }>();

function onQuery(event: LogEvent) {
  const scope = queryScope.getStore();
  if (scope) {
    scope.count++;
    scope.sql.push(event.query.sql);
  }
  if (event.level === "error" && config().QUORUM_LOG_SQL_ERRORS) {
    log.error("SQL error:", event.error);
  }
}

/** Runs fn and reports how many SQL queries it made (on this async path only). */
export async function countQueries<T>(fn: () => Promise<T>): Promise<{ result: T; count: number; sql: string[] }> {
  const scope = { count: 0, sql: [] as string[] };
  const result = await queryScope.run(scope, fn);
  return { result, count: scope.count, sql: scope.sql };
}

/**
 * Opt-in per-request query counting (QUORUM_COUNT_QUERIES=1, used by `npm run bench`): the server
 * runs each request inside a scope (runInQueryScope) and entry.server.tsx reports the count in an
 * X-Quorum-Queries response header. Off by default: no scope, no header, no cost.
 */
export const countQueriesPerRequest = config().QUORUM_COUNT_QUERIES;

export function runInQueryScope<T>(fn: () => T): T {
  return queryScope.run({ count: 0, sql: [] }, fn);
}

/** The number of queries made so far in the current scope, or null outside one. */
export function currentQueryCount(): number | null {
  return queryScope.getStore()?.count ?? null;
}

declare global {
  // Survives Vite's module reloads in development, so one database is opened per process.
  var __quorumDb: Promise<DbHandle> | undefined;
}

async function open(): Promise<DbHandle> {
  const c = config();
  const handle = await createDb({
    ...envDbOptions(),
    onQuery,
    dataDirWaitMs: c.QUORUM_DATA_DIR_WAIT_MS,
    timeouts: {
      connectMs: c.DATABASE_CONNECT_TIMEOUT_MS,
      statementMs: c.DATABASE_STATEMENT_TIMEOUT_MS,
      lockMs: c.DATABASE_LOCK_TIMEOUT_MS,
      idleTxMs: c.DATABASE_IDLE_TX_TIMEOUT_MS,
    },
  });
  // Migrations are idempotent and cheap when up to date; npm start also runs them before serving.
  if (!config().QUORUM_SKIP_MIGRATE) {
    try {
      await migrateToLatest(handle.db);
      await seedDefaultBoards(handle.db);
    } catch (error) {
      await handle.close().catch(() => {});
      throw error;
    }
  }
  return handle;
}

export function getDbHandle(): Promise<DbHandle> {
  if (!globalThis.__quorumDb) {
    const opening = open();
    globalThis.__quorumDb = opening;
    // A failed opening (the database not up yet) is not remembered: the next call tries again.
    opening.catch(() => {
      if (globalThis.__quorumDb === opening) globalThis.__quorumDb = undefined;
    });
  }
  return globalThis.__quorumDb;
}

export async function getDb(): Promise<Database> {
  return (await getDbHandle()).db;
}

/** Tests point the app at their own database. The handle's db must have been created with dbQueryLogger. */
export function setDbForTests(handle: DbHandle) {
  globalThis.__quorumDb = Promise.resolve(handle);
}

export const dbQueryLogger = onQuery;

export async function closeDb() {
  const pending = globalThis.__quorumDb;
  globalThis.__quorumDb = undefined;
  if (pending) await (await pending).close();
}
