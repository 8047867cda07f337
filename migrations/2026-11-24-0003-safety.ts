import { sql, type Kysely } from "kysely";

/**
 * Wallet safety (issue 6).
 *  - posts/threads.hidden_at + hidden_reason: a generic "hidden" state. The secret scanner
 *    (`npm run quorum -- secrets:scan`) sets it with reason 'system:secret'; moderation reuses it with
 *    its own reasons. Both columns are set together or not at all.
 *  - posts.has_address: the post contains a wallet address (computed at write time, so the thread page
 *    does not re-scan every post on every view); a post by a non-staff author with one shows a warning.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table posts
      add column hidden_at timestamptz,
      add column hidden_reason text check (hidden_reason is null or char_length(hidden_reason) between 1 and 200),
      add column has_address boolean not null default false,
      add constraint posts_hidden_pair check ((hidden_at is null) = (hidden_reason is null))`.execute(db);
  await sql`
    alter table threads
      add column hidden_at timestamptz,
      add column hidden_reason text check (hidden_reason is null or char_length(hidden_reason) between 1 and 200),
      add constraint threads_hidden_pair check ((hidden_at is null) = (hidden_reason is null))`.execute(db);
  // Staff queues ("what is hidden?") stay cheap: only hidden rows are indexed.
  await sql`create index posts_hidden on posts (hidden_at desc) where hidden_at is not null`.execute(db);
  await sql`create index threads_hidden on threads (hidden_at desc) where hidden_at is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists threads_hidden`.execute(db);
  await sql`drop index if exists posts_hidden`.execute(db);
  await sql`
    alter table threads
      drop constraint threads_hidden_pair,
      drop column hidden_reason,
      drop column hidden_at`.execute(db);
  await sql`
    alter table posts
      drop constraint posts_hidden_pair,
      drop column has_address,
      drop column hidden_reason,
      drop column hidden_at`.execute(db);
}
