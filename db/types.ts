import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";

/** A timestamptz column: read as Date, written as Date or SQL default. */
export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
export type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type Role = "user" | "moderator" | "admin";
export type Locale = "zh-CN" | "en";
export type ThreadStatus = "open" | "answered" | "resolved";

export interface UsersTable {
  id: Generated<number>;
  username: string;
  email: string;
  password_hash: string;
  role: Generated<Role>;
  reputation: Generated<number>;
  /** Unclamped sum of reputation changes; reputation = max(1, 1 + reputation_raw). */
  reputation_raw: Generated<number>;
  locale: Locale | null;
  suspended_until: NullableTimestamp;
  suspended_reason: string | null;
  created_at: Generated<Date>;
}

export interface UserSessionsTable {
  id: string;
  user_id: number;
  expires_at: Timestamp;
  created_at: Generated<Date>;
  last_seen_at: Generated<Date>;
  ip: string | null;
  user_agent: string | null;
}

export interface BoardsTable {
  id: Generated<number>;
  slug: string;
  name_zh: string;
  name_en: string;
  description_zh: Generated<string>;
  description_en: Generated<string>;
  position: Generated<number>;
  staff_only: Generated<boolean>;
  needs_verification: Generated<boolean>;
  thread_count: Generated<number>;
  post_count: Generated<number>;
  last_post_at: NullableTimestamp;
  last_thread_id: number | null;
  created_at: Generated<Date>;
}

export interface ThreadsTable {
  id: Generated<number>;
  board_id: number;
  author_id: number;
  title: string;
  slug: string;
  status: Generated<ThreadStatus>;
  score: Generated<number>;
  reply_count: Generated<number>;
  view_count: Generated<number>;
  pinned: Generated<boolean>;
  locked: Generated<boolean>;
  last_post_at: Generated<Date>;
  last_post_user_id: number | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  accepted_post_id: number | null;
  accepted_at: NullableTimestamp;
  accepted_by: number | null;
  verified_post_id: number | null;
  verified_at: NullableTimestamp;
  verified_by: number | null;
}

export interface PostsTable {
  id: Generated<number>;
  thread_id: number;
  author_id: number;
  post_number: number;
  body_md: string;
  body_html: string;
  score: Generated<number>;
  revision: Generated<number>;
  created_at: Generated<Date>;
  edited_at: NullableTimestamp;
  client_token: string | null;
  edited_by: number | null;
}

export interface VotesTable {
  user_id: number;
  post_id: number;
  value: number;
  created_at: Generated<Date>;
}

export interface PostRevisionsTable {
  id: Generated<number>;
  post_id: number;
  revision: number;
  title: string | null;
  body_md: string;
  editor_id: number | null;
  created_at: Timestamp;
}

export interface DB {
  users: UsersTable;
  user_sessions: UserSessionsTable;
  boards: BoardsTable;
  threads: ThreadsTable;
  posts: PostsTable;
  votes: VotesTable;
  post_revisions: PostRevisionsTable;
}

export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type Board = Selectable<BoardsTable>;
export type Thread = Selectable<ThreadsTable>;
export type ThreadUpdate = Updateable<ThreadsTable>;
export type Post = Selectable<PostsTable>;
