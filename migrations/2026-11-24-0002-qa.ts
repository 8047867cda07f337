import { sql, type Kysely } from "kysely";

// Q&A mechanics: votes, accepted and staff-verified answers, derived thread status, reputation,
// edit history. Frozen in time: Kysely<any> and raw SQL.
export async function up(db: Kysely<any>): Promise<void> {
  // One vote per user and post: the primary key makes a second row impossible, whatever the races.
  await sql`
    create table votes (
      user_id bigint not null references users (id) on delete cascade,
      post_id bigint not null references posts (id) on delete cascade,
      value smallint not null check (value in (-1, 1)),
      created_at timestamptz not null default now(),
      primary key (user_id, post_id)
    )`.execute(db);
  await sql`create index votes_post on votes (post_id)`.execute(db);

  await sql`
    alter table threads
      add column accepted_post_id bigint references posts (id) on delete set null,
      add column accepted_at timestamptz,
      add column accepted_by bigint references users (id) on delete set null,
      add column verified_post_id bigint references posts (id) on delete set null,
      add column verified_at timestamptz,
      add column verified_by bigint references users (id) on delete set null`.execute(db);

  // Who made the current version of a post (null: its author), for the edit history.
  await sql`alter table posts add column edited_by bigint references users (id) on delete set null`.execute(db);

  // Reputation = max(1, 1 + reputation_raw). The raw sum is kept unclamped so that undoing a cause
  // (a vote removed, an acceptance withdrawn) is an exact inverse whatever the order, and the
  // recount (reputation:recount) can compare the figures exactly.
  await sql`alter table users add column reputation_raw integer not null default 0`.execute(db);
  await sql`alter table users add constraint users_reputation_floor check (reputation = greatest(1, 1 + reputation_raw))`.execute(db);

  await sql`
    create table post_revisions (
      id bigint generated always as identity primary key,
      post_id bigint not null references posts (id) on delete cascade,
      revision integer not null check (revision >= 1),
      title text,
      body_md text not null,
      editor_id bigint references users (id) on delete set null,
      created_at timestamptz not null,
      unique (post_id, revision)
    )`.execute(db);

  // Status is derived, in one place, whatever changes the thread (a reply, an acceptance, a
  // withdrawal, an accepted post deleted through ON DELETE SET NULL):
  //   resolved  — accepted (or verified) answer; on boards needing verification only a verified one
  //   answered  — at least one answer
  //   open      — no answer yet
  await sql`
    create function threads_derive_status() returns trigger language plpgsql as $$
    declare
      needs boolean;
    begin
      select b.needs_verification into needs from boards b where b.id = new.board_id;
      if (case when coalesce(needs, false) then new.verified_post_id is not null
               else new.accepted_post_id is not null or new.verified_post_id is not null end) then
        new.status := 'resolved';
      elsif new.reply_count > 0 then
        new.status := 'answered';
      else
        new.status := 'open';
      end if;
      return new;
    end
    $$`.execute(db);
  await sql`
    create trigger threads_status before insert or update on threads
    for each row execute function threads_derive_status()`.execute(db);

  // The board page's sorts and filters.
  await sql`create index threads_board_created on threads (board_id, created_at desc, id desc)`.execute(db);
  await sql`create index threads_board_score on threads (board_id, score desc, id desc)`.execute(db);
  await sql`create index threads_board_status_activity on threads (board_id, status, last_post_at desc, id desc)`.execute(db);
  await sql`create index threads_accepted_post on threads (accepted_post_id) where accepted_post_id is not null`.execute(db);
  await sql`create index threads_verified_post on threads (verified_post_id) where verified_post_id is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index threads_board_status_activity`.execute(db);
  await sql`drop index threads_board_score`.execute(db);
  await sql`drop index threads_board_created`.execute(db);
  await sql`drop trigger threads_status on threads`.execute(db);
  await sql`drop function threads_derive_status()`.execute(db);
  await sql`drop table post_revisions`.execute(db);
  await sql`alter table users drop constraint users_reputation_floor`.execute(db);
  await sql`alter table users drop column reputation_raw`.execute(db);
  await sql`alter table posts drop column edited_by`.execute(db);
  await sql`
    alter table threads
      drop column verified_by, drop column verified_at, drop column verified_post_id,
      drop column accepted_by, drop column accepted_at, drop column accepted_post_id`.execute(db);
  await sql`drop table votes`.execute(db);
}
