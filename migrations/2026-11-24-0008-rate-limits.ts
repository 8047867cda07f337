import { sql, type Kysely } from "kysely";

/**
 * Rate-limit counters move to rate-limiter-flexible's RateLimiterPostgres (app/lib/ratelimit.server.ts).
 * The library would create its table itself on first use; we create it here instead (the limiters run
 * with `tableCreated: true`), so the schema is versioned and nothing runs DDL at request time.
 * The columns are exactly the ones the library reads and writes: `key`, `points`, `expire` (epoch ms).
 * The hand-written limiter's table `rate_limits` goes: its counters are short-lived, nothing to copy.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table rate_limit_counters (
      key varchar(400) primary key,
      points integer not null default 0,
      expire bigint
    )`.execute(db);
  // The library's sweeper deletes rows that expired over an hour ago (DELETE … WHERE expire < $1).
  await sql`create index rate_limit_counters_expire on rate_limit_counters (expire)`.execute(db);
  await sql`drop table if exists rate_limits`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    create table if not exists rate_limits (
      key text primary key check (char_length(key) <= 300),
      hits integer not null check (hits >= 0),
      reset_at timestamptz not null
    )`.execute(db);
  await sql`drop table if exists rate_limit_counters`.execute(db);
}
