import { sql, type Kysely } from "kysely";

// Account security: e-mail verification, password reset, e-mail change, TOTP two-factor sign-in,
// recovery codes, the development outbox and a small table-backed rate limiter.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table users
      add column email_verified_at timestamptz,
      add column totp_secret text,
      add column totp_enabled_at timestamptz,
      add column totp_last_step bigint,
      add constraint users_totp_enabled_has_secret check (totp_enabled_at is null or totp_secret is not null)`.execute(db);
  // Accounts that existed before verification was introduced keep working as before.
  await sql`update users set email_verified_at = created_at where email_verified_at is null`.execute(db);

  await sql`
    create table account_tokens (
      id bigint generated always as identity primary key,
      token_hash text not null unique check (token_hash ~ '^[0-9a-f]{64}$'),
      purpose text not null check (purpose in ('verify_email', 'reset_password', 'change_email', 'login_2fa')),
      user_id bigint not null references users (id) on delete cascade,
      new_email text check (new_email is null or char_length(new_email) <= 254),
      expires_at timestamptz not null,
      used_at timestamptz,
      created_at timestamptz not null default now(),
      check ((purpose = 'change_email') = (new_email is not null))
    )`.execute(db);
  await sql`create index account_tokens_user on account_tokens (user_id, purpose)`.execute(db);

  await sql`
    create table recovery_codes (
      id bigint generated always as identity primary key,
      user_id bigint not null references users (id) on delete cascade,
      code_hash text not null check (code_hash ~ '^[0-9a-f]{64}$'),
      used_at timestamptz,
      created_at timestamptz not null default now(),
      unique (user_id, code_hash)
    )`.execute(db);

  await sql`
    create table mail_outbox (
      id bigint generated always as identity primary key,
      to_address text not null,
      subject text not null,
      text_body text not null,
      html_body text not null,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index mail_outbox_created on mail_outbox (created_at desc)`.execute(db);

  await sql`
    create table rate_limits (
      key text primary key check (char_length(key) <= 300),
      hits integer not null check (hits >= 0),
      reset_at timestamptz not null
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists rate_limits`.execute(db);
  await sql`drop table if exists mail_outbox`.execute(db);
  await sql`drop table if exists recovery_codes`.execute(db);
  await sql`drop table if exists account_tokens`.execute(db);
  await sql`
    alter table users
      drop constraint if exists users_totp_enabled_has_secret,
      drop column if exists email_verified_at,
      drop column if exists totp_secret,
      drop column if exists totp_enabled_at,
      drop column if exists totp_last_step`.execute(db);
}
