import { readFileSync } from "node:fs";
import pg from "pg";
import { afterAll, beforeAll, inject } from "vitest";
import { createDb, type Database, type DbHandle } from "../../db/index";
import { dbQueryLogger, setDbForTests } from "../../app/db.server";

let counter = 0;

/** A fresh copy of the migrated, seeded template database for this test file. */
export async function createTestDb(): Promise<DbHandle & { name: string }> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const name = `quorum_t_${process.ppid}_${process.pid}_${++counter}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${name} template ${inject("templateDb")}`);
    await admin.end();
    const target = new URL(url);
    target.pathname = `/${name}`;
    const handle = await createDb({ url: target.toString(), poolSize: 20, onQuery: dbQueryLogger });
    return {
      ...handle,
      name,
      close: async () => {
        await handle.close();
        // pg-pool's end() resolves before its sockets have closed: give them a moment, or "drop …
        // with (force)" kills them mid-goodbye and the client reports an unhandled FATAL 57P01.
        await new Promise((r) => setTimeout(r, 250));
        const a = new pg.Client({ connectionString: url });
        await a.connect();
        await a.query(`drop database if exists ${name} with (force)`);
        await a.end();
      },
    };
  }
  const dump = new Blob([readFileSync(inject("templateDump"))]);
  const handle = await createDb({ dataDir: "memory://", loadDataDir: dump, onQuery: dbQueryLogger });
  return { ...handle, name: "pglite" };
}

/**
 * Gives the test file its own database and points the app (getDb) at it. Returns a getter, since
 * the database exists only once beforeAll has run.
 */
export function useTestDb(): () => Database {
  let handle: (DbHandle & { name: string }) | undefined;
  beforeAll(async () => {
    handle = await createTestDb();
    setDbForTests(handle);
  });
  afterAll(async () => {
    await handle?.close();
  });
  return () => {
    if (!handle) throw new Error("useTestDb: the database is ready only inside tests and hooks");
    return handle.db;
  };
}

export const isPostgres = () => !!process.env.DATABASE_URL;
