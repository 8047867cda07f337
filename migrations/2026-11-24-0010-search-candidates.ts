import { sql, type Kysely } from "kysely";

/**
 * Performance (issue 7): bounded search. Ranking every thread that matches a common word (46–81 % of
 * 100 000 threads for the benchmark's queries) read and scored every matching vector: ~1.9 s. Search
 * now gathers a bounded set of candidates and ranks only those (app/models/search.server.ts):
 *
 * - threads.search_title: the title part of search_vector (weight A), written by indexThreads with the
 *   same tokens; small enough to sit in an index. Backfilled here with ts_filter(search_vector, '{a}'),
 *   which is exactly that part (the title comes first in the vector, so its positions are unchanged).
 * - threads_search_title (GIN): title matches of rare words;
 * - threads_activity_search: latest activity first, carrying search_title and the filter columns, so
 *   "the most recently active threads whose title matches" is an index-only walk that stops after N
 *   matches, and the bounded walks over search_vector read threads newest first.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table threads add column search_title tsvector not null default ''::tsvector`.execute(db);
  await sql`update threads set search_title = ts_filter(search_vector, '{a}') where search_vector <> ''::tsvector`.execute(db);
  await sql`create index threads_search_title on threads using gin (search_title)`.execute(db);
  await sql`create index threads_activity_search on threads (last_post_at desc, id desc) include (board_id, status, hidden_at, deleted_at, search_title)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists threads_activity_search`.execute(db);
  await sql`drop index if exists threads_search_title`.execute(db);
  await sql`alter table threads drop column if exists search_title`.execute(db);
}
