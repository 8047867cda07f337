import { Migrator, type MigrationResultSet } from "kysely";
import { migrations } from "../migrations/index";
import type { Database } from "./index";

export function migrator(db: Database) {
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: "kysely_migration",
    migrationLockTableName: "kysely_migration_lock",
  });
}

function check(result: MigrationResultSet): MigrationResultSet {
  if (result.error) {
    const failed = result.results?.find((r) => r.status === "Error");
    const err = new Error(
      `migration ${failed?.migrationName ?? "?"} failed: ${result.error instanceof Error ? result.error.message : String(result.error)}`,
    );
    (err as Error & { cause?: unknown }).cause = result.error;
    throw err;
  }
  return result;
}

export async function migrateToLatest(db: Database) {
  return check(await migrator(db).migrateToLatest());
}

export async function migrateDown(db: Database) {
  return check(await migrator(db).migrateDown());
}
