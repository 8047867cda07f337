import { sql, type Kysely } from "kysely";

// Migrations are frozen in time: they use Kysely<any> and raw SQL, never the app's types.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table users (
      id bigint generated always as identity primary key,
      username text not null check (username ~ '^[A-Za-z0-9_-]{3,32}$'),
      email text not null check (char_length(email) <= 254 and email ~ '^[^@[:space:]]+@[^@[:space:]]+$'),
      password_hash text not null,
      role text not null default 'user' check (role in ('user', 'moderator', 'admin')),
      reputation integer not null default 1 check (reputation >= 1),
      locale text check (locale in ('zh-CN', 'en')),
      suspended_until timestamptz,
      suspended_reason text,
      created_at timestamptz not null default now()
    )`.execute(db);
  // Usernames and e-mail addresses are unique whatever their case.
  await sql`create unique index users_username_lower on users (lower(username))`.execute(db);
  await sql`create unique index users_email_lower on users (lower(email))`.execute(db);

  await sql`
    create table user_sessions (
      id text primary key,
      user_id bigint not null references users (id) on delete cascade,
      expires_at timestamptz not null,
      created_at timestamptz not null default now(),
      last_seen_at timestamptz not null default now(),
      ip text,
      user_agent text
    )`.execute(db);
  await sql`create index user_sessions_user on user_sessions (user_id)`.execute(db);

  await sql`
    create table boards (
      id integer generated always as identity primary key,
      slug text not null unique check (slug ~ '^[a-z0-9-]{2,40}$'),
      name_zh text not null check (char_length(name_zh) between 1 and 60),
      name_en text not null check (char_length(name_en) between 1 and 60),
      description_zh text not null default '',
      description_en text not null default '',
      position integer not null default 0,
      staff_only boolean not null default false,
      needs_verification boolean not null default false,
      thread_count integer not null default 0 check (thread_count >= 0),
      post_count integer not null default 0 check (post_count >= 0),
      last_post_at timestamptz,
      last_thread_id bigint,
      created_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table threads (
      id bigint generated always as identity primary key,
      board_id integer not null references boards (id),
      author_id bigint not null references users (id),
      title text not null check (char_length(title) between 8 and 150),
      slug text not null,
      status text not null default 'open' check (status in ('open', 'answered', 'resolved')),
      score integer not null default 0,
      reply_count integer not null default 0 check (reply_count >= 0),
      view_count integer not null default 0 check (view_count >= 0),
      pinned boolean not null default false,
      locked boolean not null default false,
      last_post_at timestamptz not null default now(),
      last_post_user_id bigint references users (id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  // The board page: pinned first, then latest activity, keyset-paginated on (last_post_at, id).
  await sql`create index threads_board_activity on threads (board_id, pinned desc, last_post_at desc, id desc)`.execute(db);
  await sql`create index threads_author on threads (author_id, created_at desc)`.execute(db);
  await sql`alter table boards add constraint boards_last_thread_fk foreign key (last_thread_id) references threads (id) on delete set null`.execute(db);

  await sql`
    create table posts (
      id bigint generated always as identity primary key,
      thread_id bigint not null references threads (id) on delete cascade,
      author_id bigint not null references users (id),
      post_number integer not null check (post_number >= 1),
      body_md text not null check (char_length(body_md) between 1 and 20000),
      body_html text not null,
      score integer not null default 0,
      revision integer not null default 1 check (revision >= 1),
      created_at timestamptz not null default now(),
      edited_at timestamptz,
      -- A random token rendered into the form that created the post: a double submit of the same
      -- form hits the unique index below instead of creating a second post.
      client_token uuid,
      -- The question is post 1 of its thread; answers follow in order.
      unique (thread_id, post_number)
    )`.execute(db);
  await sql`create index posts_author on posts (author_id, created_at desc)`.execute(db);
  await sql`create unique index posts_client_token on posts (author_id, client_token) where client_token is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table boards drop constraint boards_last_thread_fk`.execute(db);
  await sql`drop table posts`.execute(db);
  await sql`drop table threads`.execute(db);
  await sql`drop table boards`.execute(db);
  await sql`drop table user_sessions`.execute(db);
  await sql`drop table users`.execute(db);
}
