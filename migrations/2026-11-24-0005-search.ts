import { sql, type Kysely } from "kysely";

/**
 * Search (issue 5): one full-text vector per thread, kept by app/models/search.server.ts
 * (indexThread) in the same transaction as every write, and the ask page's suggestion events.
 *
 * threads.search_vector = setweight(to_tsvector('simple', toIndexText(title)), 'A')
 *                      || setweight(to_tsvector('simple', toIndexText(question)), 'D')
 *                      || setweight(to_tsvector('simple', toIndexText(answers)), 'D')
 * (the tokens come from app/lib/tokenize.ts; 'simple' only lower-cases). A trigram index on
 * lower(title) serves typo tolerance (strict word similarity) and similar-title matching.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create extension if not exists pg_trgm`.execute(db);
  await sql`alter table threads add column search_vector tsvector not null default ''::tsvector`.execute(db);
  await sql`create index threads_search_vector on threads using gin (search_vector)`.execute(db);
  await sql`create index threads_title_trgm on threads using gin (lower(title) gin_trgm_ops)`.execute(db);

  await sql`
    create table suggestion_events (
      id bigint generated always as identity primary key,
      kind text not null check (kind in ('shown', 'opened', 'posted')),
      target_type text check (target_type in ('thread', 'faq')),
      target_id bigint check (target_id > 0),
      visitor_key text not null check (char_length(visitor_key) between 1 and 80),
      created_at timestamptz not null default now(),
      constraint suggestion_events_target check ((target_type is null) = (target_id is null)),
      constraint suggestion_events_kind_target check ((kind = 'posted') = (target_type is null))
    )`.execute(db);
  await sql`create index suggestion_events_target on suggestion_events (target_type, target_id, kind)`.execute(db);
  await sql`create index suggestion_events_visitor on suggestion_events (visitor_key, created_at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists suggestion_events`.execute(db);
  await sql`drop index if exists threads_title_trgm`.execute(db);
  await sql`drop index if exists threads_search_vector`.execute(db);
  await sql`alter table threads drop column if exists search_vector`.execute(db);
  // pg_trgm stays: other features may use it, and dropping an extension needs more rights.
}
