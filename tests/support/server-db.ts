import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";

/**
 * A fresh, empty database for a server process the tests start (the server migrates it): a new PGlite
 * folder, or with DATABASE_URL a new database on that PostgreSQL server. Sets DATABASE_URL or
 * QUORUM_DATA_DIR in `env`; `drop` removes it again.
 */
export async function freshServerDatabase(prefix: string, env: NodeJS.ProcessEnv): Promise<{ dataDir: string; drop: () => Promise<void> }> {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const dataDir = mkdtempSync(path.join(tmpdir(), `${prefix}-`));
    env.QUORUM_DATA_DIR = dataDir;
    delete env.DATABASE_URL;
    return { dataDir, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const name = `${prefix.replace(/-/g, "_")}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = async (query: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    await client.query(query);
    await client.end();
  };
  await admin(`create database ${name}`);
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  env.DATABASE_URL = u.toString();
  return { dataDir: "", drop: () => admin(`drop database if exists ${name} with (force)`) };
}
