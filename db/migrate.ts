import { Migrator, type MigrationResultSet } from "kysely";
import { migrations } from "../migrations/index";
import type { Database } from "./index";

export function migrator(db: Database) {
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: "kysely_migration",
    migrationLockTableName: "kysely_migration_lock",
    // Migration numbers are reserved per feature and land in any order (0008 may be applied before
    // 0007 arrives): each is independent, so a missing earlier one is applied instead of refused.
    allowUnorderedMigrations: true,
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
