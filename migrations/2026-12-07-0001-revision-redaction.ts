import { sql, type Kysely } from "kysely";

/**
 * A revision can be redacted: its text is purged (body and title NULL) while the row stays, so the
 * history still shows that a version existed and who erased it, when. The check keeps a redacted row
 * from ever holding text again. Down cannot bring the text back: redacted rows get an empty body.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table post_revisions
      add column redacted_at timestamptz,
      add column redacted_by bigint references users (id) on delete set null,
      alter column body_md drop not null`.execute(db);
  await sql`
    alter table post_revisions add constraint post_revisions_redacted_empty
      check (redacted_at is null or (body_md is null and title is null))`.execute(db);
  await sql`
    alter table post_revisions add constraint post_revisions_text_or_redacted
      check (body_md is not null or redacted_at is not null)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table post_revisions drop constraint post_revisions_text_or_redacted`.execute(db);
  await sql`alter table post_revisions drop constraint post_revisions_redacted_empty`.execute(db);
  await sql`update post_revisions set body_md = '' where body_md is null`.execute(db);
  await sql`
    alter table post_revisions
      alter column body_md set not null,
      drop column redacted_by,
      drop column redacted_at`.execute(db);
}
