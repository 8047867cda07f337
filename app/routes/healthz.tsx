import { sql } from "kysely";
import { getDb } from "~/db.server";

/** Liveness and database check for operators and the end-to-end tests. */
export async function loader() {
  const db = await getDb();
  await sql`select 1`.execute(db);
  return new Response("ok\n", { headers: { "Content-Type": "text/plain", "Cache-Control": "no-store" } });
}
