import { sql, type Kysely } from "kysely";

/**
 * Session ids are kept hashed at rest, like reset tokens and recovery codes: a copy of the
 * user_sessions table (a backup, a replica, a leaked dump) no longer holds cookies that sign anyone
 * in. The row's id becomes sha256(cookie value) in hex; live sessions keep working because the adapter
 * hashes the cookie the same way. Down cannot restore the cookies: it ends every session instead.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`update user_sessions set id = encode(sha256(convert_to(id, 'UTF8')), 'hex')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from user_sessions`.execute(db);
}
