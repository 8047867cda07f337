import { sql, type Kysely } from "kysely";

/**
 * Moderation tools (issue 8, thread and post tools): soft deletion of posts and threads, closing a
 * thread as a duplicate (of another thread or of a FAQ entry), and a status trigger that only counts a
 * PUBLIC accepted/verified answer. Frozen in time: Kysely<any> and raw SQL.
 *
 * Public = not hidden and not deleted (app/models/visibility.server.ts says it once for the app).
 *  - posts/threads.deleted_at + deleted_reason are set together (deleted_by: who, kept when the
 *    account goes). The question (post 1) is never deleted on its own: deleting it deletes the thread.
 *  - threads.closed_at marks "closed as duplicate"; its target is ONE of duplicate_of_thread_id
 *    (never itself) or duplicate_of_faq_id. A target that is later removed for good (ON DELETE SET
 *    NULL) leaves the thread closed without a link; a target without closed_at is impossible.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table posts
      add column deleted_at timestamptz,
      add column deleted_by bigint references users (id) on delete set null,
      add column deleted_reason text check (deleted_reason is null or char_length(deleted_reason) between 1 and 200),
      add constraint posts_deleted_pair check ((deleted_at is null) = (deleted_reason is null)),
      add constraint posts_question_not_deleted check (deleted_at is null or post_number > 1)`.execute(db);
  await sql`
    alter table threads
      add column deleted_at timestamptz,
      add column deleted_by bigint references users (id) on delete set null,
      add column deleted_reason text check (deleted_reason is null or char_length(deleted_reason) between 1 and 200),
      add column closed_at timestamptz,
      add column closed_by bigint references users (id) on delete set null,
      add column duplicate_of_thread_id bigint references threads (id) on delete set null,
      add column duplicate_of_faq_id bigint references faq_entries (id) on delete set null,
      add constraint threads_deleted_pair check ((deleted_at is null) = (deleted_reason is null)),
      add constraint threads_duplicate_not_self check (duplicate_of_thread_id is null or duplicate_of_thread_id <> id),
      add constraint threads_duplicate_one_target check (duplicate_of_thread_id is null or duplicate_of_faq_id is null),
      add constraint threads_duplicate_closed check ((duplicate_of_thread_id is null and duplicate_of_faq_id is null) or closed_at is not null)`.execute(db);
  // The thread page counts a thread's deleted answers (to page over what a reader may see): cheap
  // when only deleted rows are indexed. The FK columns get indexes for ON DELETE SET NULL.
  await sql`create index posts_deleted on posts (thread_id) where deleted_at is not null`.execute(db);
  await sql`create index threads_deleted on threads (deleted_at desc) where deleted_at is not null`.execute(db);
  await sql`create index threads_duplicate_of_thread on threads (duplicate_of_thread_id) where duplicate_of_thread_id is not null`.execute(db);
  await sql`create index threads_duplicate_of_faq on threads (duplicate_of_faq_id) where duplicate_of_faq_id is not null`.execute(db);

  // Status: as in 0002, but an accepted or verified answer counts only while it is public (a hidden
  // or deleted accepted answer leaves the thread "answered"/"open"; restoring it makes it "resolved"
  // again, since the thread keeps pointing at it).
  await sql`
    create or replace function threads_derive_status() returns trigger language plpgsql as $$
    declare
      needs boolean;
      accepted_ok boolean;
      verified_ok boolean;
    begin
      select b.needs_verification into needs from boards b where b.id = new.board_id;
      accepted_ok := new.accepted_post_id is not null and exists (
        select 1 from posts p where p.id = new.accepted_post_id and p.hidden_at is null and p.deleted_at is null);
      verified_ok := new.verified_post_id is not null and exists (
        select 1 from posts p where p.id = new.verified_post_id and p.hidden_at is null and p.deleted_at is null);
      if (case when coalesce(needs, false) then verified_ok else accepted_ok or verified_ok end) then
        new.status := 'resolved';
      elsif new.reply_count > 0 then
        new.status := 'answered';
      else
        new.status := 'open';
      end if;
      return new;
    end
    $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    create or replace function threads_derive_status() returns trigger language plpgsql as $$
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
  await sql`drop index if exists threads_duplicate_of_faq`.execute(db);
  await sql`drop index if exists threads_duplicate_of_thread`.execute(db);
  await sql`drop index if exists threads_deleted`.execute(db);
  await sql`drop index if exists posts_deleted`.execute(db);
  await sql`
    alter table threads
      drop constraint threads_duplicate_closed,
      drop constraint threads_duplicate_one_target,
      drop constraint threads_duplicate_not_self,
      drop constraint threads_deleted_pair,
      drop column duplicate_of_faq_id,
      drop column duplicate_of_thread_id,
      drop column closed_by,
      drop column closed_at,
      drop column deleted_reason,
      drop column deleted_by,
      drop column deleted_at`.execute(db);
  await sql`
    alter table posts
      drop constraint posts_question_not_deleted,
      drop constraint posts_deleted_pair,
      drop column deleted_reason,
      drop column deleted_by,
      drop column deleted_at`.execute(db);
}
