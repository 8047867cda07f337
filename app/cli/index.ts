/**
 * The operator's command line: npm run quorum -- <command> [arguments]
 * Run `npm run quorum -- help` for the list. Works on both databases (DATABASE_URL or ./data).
 */
import { createDb, envDbOptions } from "~db/index";
import { migrateToLatest } from "~db/migrate";
import { DomainError } from "~/models/errors";
import { commands } from "./commands";

function printHelp() {
  console.log("usage: npm run quorum -- <command> [arguments]\n");
  for (const c of Object.values(commands)) console.log(`  ${c.usage}\n      ${c.help}`);
}

async function main() {
  const [name, ...args] = process.argv.slice(2);
  if (!name || name === "help" || name === "--help") return printHelp();
  const command = commands[name];
  if (!command) {
    console.error(`unknown command "${name}"\n`);
    printHelp();
    process.exitCode = 2;
    return;
  }
  const handle = await createDb(envDbOptions());
  try {
    await migrateToLatest(handle.db);
    await command.run(handle.db, args);
  } catch (error) {
    console.error(error instanceof DomainError ? `error: ${error.code}` : error instanceof Error ? `error: ${error.message}` : error);
    process.exitCode = 1;
  } finally {
    await handle.close();
  }
}

await main();
