import { sql, type Kysely } from "kysely";

/**
 * Reports and suspensions (issue 8).
 *
 * reports: one row per complaint about a post. `status` is open until a moderator decides; the decision
 * is recorded as `outcome` (dismissed, or what was done: hidden, deleted, locked, suspended) with who and
 * when — the reporter sees it on "My reports". The partial unique index allows ONE open report per user
 * and post (a double submit or a burst of parallel requests leaves one); after a decision the same user
 * may report the post again. A CHECK keeps status, outcome and resolved_at consistent.
 *
 * users.suspended_until / suspended_reason exist since the foundation; the reason gets a length bound.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table reports (
      id bigint generated always as identity primary key,
      reporter_id bigint not null references users(id) on delete cascade,
      post_id bigint not null references posts(id) on delete cascade,
      reason text not null check (reason in ('spam', 'scam_phishing', 'exposed_secret', 'impersonating_staff', 'abusive', 'off_topic', 'other')),
      note text check (note is null or char_length(note) between 1 and 500),
      status text not null default 'open' check (status in ('open', 'dismissed', 'actioned')),
      outcome text check (outcome in ('dismissed', 'hidden', 'deleted', 'locked', 'suspended')),
      resolved_by bigint references users(id) on delete set null,
      resolved_at timestamptz,
      created_at timestamptz not null default now(),
      constraint reports_status_outcome check (
        (status = 'open' and outcome is null and resolved_at is null and resolved_by is null)
        or (status = 'dismissed' and outcome = 'dismissed' and resolved_at is not null)
        or (status = 'actioned' and outcome in ('hidden', 'deleted', 'locked', 'suspended') and resolved_at is not null)
      )
    )`.execute(db);
  await sql`create unique index reports_one_open on reports (reporter_id, post_id) where status = 'open'`.execute(db);
  // The queue: open reports by post, oldest first; "My reports": a reporter's newest first.
  await sql`create index reports_open_post on reports (post_id, created_at) where status = 'open'`.execute(db);
  await sql`create index reports_reporter on reports (reporter_id, created_at desc, id desc)`.execute(db);
  await sql`
    alter table users
      add constraint users_suspended_reason_length check (suspended_reason is null or char_length(suspended_reason) between 1 and 500)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table users drop constraint if exists users_suspended_reason_length`.execute(db);
  await sql`drop table if exists reports`.execute(db);
}
