/**
 * npm run db:migrate            — apply every pending migration
 * npm run db:migrate -- down    — roll back the latest one
 * npm run db:migrate -- status  — list migrations and whether each is applied
 */
import { createDb, envDbOptions } from "./index";
import { migrateDown, migrateToLatest, migrator } from "./migrate";
import { seedDefaultBoards } from "./seed";

const command = process.argv[2] ?? "latest";
const handle = await createDb(envDbOptions());
try {
  if (command === "latest" || command === "up") {
    const { results } = await migrateToLatest(handle.db);
    for (const r of results ?? []) console.log(`applied ${r.migrationName}`);
    if (!results?.length) console.log("the database is up to date");
    const boards = await seedDefaultBoards(handle.db);
    if (boards) console.log(`seeded ${boards} default boards`);
  } else if (command === "down") {
    const { results } = await migrateDown(handle.db);
    for (const r of results ?? []) console.log(`rolled back ${r.migrationName}`);
    if (!results?.length) console.log("nothing to roll back");
  } else if (command === "status") {
    for (const m of await migrator(handle.db).getMigrations()) {
      console.log(`${m.executedAt ? "applied " + m.executedAt.toISOString() : "pending"}\t${m.name}`);
    }
  } else {
    console.error(`unknown command "${command}": use latest, down or status`);
    process.exitCode = 2;
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await handle.close();
}
