import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { createDb } from "../../db/index";
import { migrateToLatest } from "../../db/migrate";
import { seedDefaultBoards } from "../../db/seed";

declare module "vitest" {
  export interface ProvidedContext {
    /** PostgreSQL: the migrated template database's name. */
    templateDb: string;
    /** PGlite: a file holding a dump of the migrated template data folder. */
    templateDump: string;
  }
}

/**
 * Migrates one template database for the whole run; each test file then gets its own copy
 * (CREATE DATABASE … TEMPLATE on PostgreSQL, a loaded dump on PGlite), so files never see each other's rows.
 */
export default async function setup(project: TestProject) {
  const url = process.env.DATABASE_URL;
  if (url) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    const name = `quorum_tpl_${process.pid}`;
    await admin.query(`drop database if exists ${name}`);
    await admin.query(`create database ${name}`);
    const target = new URL(url);
    target.pathname = `/${name}`;
    const handle = await createDb({ url: target.toString(), poolSize: 1 });
    await migrateToLatest(handle.db);
    await seedDefaultBoards(handle.db);
    await handle.close();
    project.provide("templateDb", name);
    project.provide("templateDump", "");
    return async () => {
      await admin.query(`drop database if exists ${name} with (force)`).catch(() => {});
      // Test databases left behind by a crashed worker.
      const { rows } = await admin.query(`select datname from pg_database where datname like 'quorum_t_${process.pid}_%'`);
      for (const r of rows) await admin.query(`drop database if exists ${r.datname} with (force)`).catch(() => {});
      await admin.end();
    };
  }
  const handle = await createDb({ dataDir: "memory://" });
  await migrateToLatest(handle.db);
  await seedDefaultBoards(handle.db);
  const dump = await handle.pglite!.dumpDataDir("gzip");
  await handle.close();
  const file = path.join(mkdtempSync(path.join(tmpdir(), "quorum-test-")), "template.tar.gz");
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  project.provide("templateDb", "");
  project.provide("templateDump", file);
}
