import { sql, type Kysely } from "kysely";

/**
 * The official FAQ (issue 4): the staff audit log, FAQ entries with their provenance, their revisions,
 * reader feedback, and the admin-edited official channels page.
 *
 * faq_entries.source_thread_id is UNIQUE (a thread is promoted once) and ON DELETE SET NULL: a deleted
 * source thread leaves the entry, whose credit text (source_author_name) is kept as text.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table audit_log (
      id bigint generated always as identity primary key,
      actor_id bigint references users(id) on delete set null,
      action text not null check (char_length(action) between 1 and 60),
      target_type text not null check (char_length(target_type) between 1 and 40),
      target_id bigint,
      details jsonb not null default '{}'::jsonb,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index audit_log_created on audit_log (created_at desc, id desc)`.execute(db);
  await sql`create index audit_log_action on audit_log (action, created_at desc, id desc)`.execute(db);

  await sql`
    create table faq_entries (
      id bigint generated always as identity primary key,
      slug text not null unique check (char_length(slug) between 1 and 120),
      question text not null check (char_length(question) between 1 and 200),
      answer_md text not null check (char_length(answer_md) between 1 and 20000),
      answer_html text not null,
      board_id bigint not null references boards(id),
      position integer not null default 0,
      status text not null default 'draft' check (status in ('draft', 'published', 'archived')),
      source_thread_id bigint unique references threads(id) on delete set null,
      source_post_id bigint references posts(id) on delete set null,
      source_revision integer,
      source_author_id bigint references users(id) on delete set null,
      source_author_name text,
      promoted_by bigint references users(id) on delete set null,
      promoted_at timestamptz not null default now(),
      reviewed_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      revision integer not null default 1,
      helpful_yes integer not null default 0 check (helpful_yes >= 0),
      helpful_no integer not null default 0 check (helpful_no >= 0),
      search_vector tsvector not null default ''::tsvector
    )`.execute(db);
  await sql`create index faq_entries_section on faq_entries (board_id, position, id)`.execute(db);
  await sql`create index faq_entries_search_vector on faq_entries using gin (search_vector)`.execute(db);

  await sql`
    create table faq_revisions (
      id bigint generated always as identity primary key,
      entry_id bigint not null references faq_entries(id) on delete cascade,
      revision integer not null,
      question text not null,
      answer_md text not null,
      editor_id bigint references users(id) on delete set null,
      created_at timestamptz not null default now(),
      unique (entry_id, revision)
    )`.execute(db);

  await sql`
    create table faq_feedback (
      id bigint generated always as identity primary key,
      entry_id bigint not null references faq_entries(id) on delete cascade,
      voter_key text not null check (char_length(voter_key) between 1 and 80),
      helpful boolean not null,
      comment text check (char_length(comment) <= 500),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (entry_id, voter_key)
    )`.execute(db);

  await sql`
    create table official_page (
      id integer primary key check (id = 1),
      body_md text not null default '',
      body_html text not null default '',
      updated_by bigint references users(id) on delete set null,
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`insert into official_page (id) values (1)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists official_page`.execute(db);
  await sql`drop table if exists faq_feedback`.execute(db);
  await sql`drop table if exists faq_revisions`.execute(db);
  await sql`drop table if exists faq_entries`.execute(db);
  await sql`drop table if exists audit_log`.execute(db);
}
