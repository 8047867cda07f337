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
  email_verified_at: NullableTimestamp;
  /** The TOTP secret (base32), sealed with QUORUM_SECRET_KEY when set; never sent to a page after enrolment. */
  totp_secret: string | null;
  totp_enabled_at: NullableTimestamp;
  /** The last accepted TOTP time-step: a code for this step or an earlier one is refused. */
  totp_last_step: number | null;
}

export type TokenPurpose = "verify_email" | "reset_password" | "change_email" | "login_2fa";

export interface AccountTokensTable {
  id: Generated<number>;
  token_hash: string;
  purpose: TokenPurpose;
  user_id: number;
  new_email: string | null;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
  created_at: Generated<Date>;
}

export interface RecoveryCodesTable {
  id: Generated<number>;
  user_id: number;
  code_hash: string;
  used_at: NullableTimestamp;
  created_at: Generated<Date>;
}

export interface MailOutboxTable {
  id: Generated<number>;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string;
  created_at: Generated<Date>;
}

/** rate-limiter-flexible's RateLimiterPostgres counters (migration 0008): `expire` is epoch milliseconds. */
export interface RateLimitCountersTable {
  key: string;
  points: Generated<number>;
  expire: number | null;
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
  /** Search (issue 5): written only by indexThread in app/models/search.server.ts. */
  search_vector: Generated<string>;
  /** The title part of search_vector (weight A), for bounded candidate search (migration 0010). */
  search_title: Generated<string>;
  /** Hidden from the public (see migrations/2026-11-24-0003-safety.ts); set with hidden_reason. */
  hidden_at: NullableTimestamp;
  hidden_reason: string | null;
  accepted_post_id: number | null;
  accepted_at: NullableTimestamp;
  accepted_by: number | null;
  verified_post_id: number | null;
  verified_at: NullableTimestamp;
  verified_by: number | null;
  /** Soft deletion (moderation, migration 0007): set with deleted_reason; staff can restore. */
  deleted_at: NullableTimestamp;
  deleted_by: number | null;
  deleted_reason: string | null;
  /** Closed as a duplicate of ONE target: another thread or a FAQ entry (new answers refused). */
  closed_at: NullableTimestamp;
  closed_by: number | null;
  duplicate_of_thread_id: number | null;
  duplicate_of_faq_id: number | null;
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
  /** Hidden from the public; set together with hidden_reason ("system:secret", moderation reasons…). */
  hidden_at: NullableTimestamp;
  hidden_reason: string | null;
  /** The post contains a wallet address (computed at write time): non-staff posts show a warning. */
  has_address: Generated<boolean>;
  edited_by: number | null;
  /** Soft deletion (moderation, migration 0007): never on the question (that deletes the thread). */
  deleted_at: NullableTimestamp;
  deleted_by: number | null;
  deleted_reason: string | null;
}

/** Search (issue 5): what the ask page's suggestions did (see app/models/search.server.ts). */
export interface SuggestionEventsTable {
  id: Generated<number>;
  kind: "shown" | "opened" | "posted";
  target_type: "thread" | "faq" | null;
  target_id: number | null;
  visitor_key: string;
  created_at: Generated<Date>;
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
  /** NULL once redacted (migration 2026-12-07-0001): the text is purged, the row stays. */
  body_md: string | null;
  editor_id: number | null;
  created_at: Timestamp;
  redacted_at: NullableTimestamp;
  redacted_by: number | null;
}

/** FAQ (issue 4): every staff action (app/models/audit.server.ts). */
export interface AuditLogTable {
  id: Generated<number>;
  actor_id: number | null;
  action: string;
  target_type: string;
  target_id: number | null;
  details: Generated<unknown>;
  created_at: Generated<Date>;
}

export type FaqStatus = "draft" | "published" | "archived";

export interface FaqEntriesTable {
  id: Generated<number>;
  slug: string;
  question: string;
  answer_md: string;
  answer_html: string;
  board_id: number;
  position: Generated<number>;
  status: Generated<FaqStatus>;
  source_thread_id: number | null;
  source_post_id: number | null;
  source_revision: number | null;
  source_author_id: number | null;
  source_author_name: string | null;
  promoted_by: number | null;
  promoted_at: Generated<Date>;
  reviewed_at: Generated<Date>;
  updated_at: Generated<Date>;
  revision: Generated<number>;
  helpful_yes: Generated<number>;
  helpful_no: Generated<number>;
  search_vector: Generated<string>;
}

export interface FaqRevisionsTable {
  id: Generated<number>;
  entry_id: number;
  revision: number;
  question: string;
  answer_md: string;
  editor_id: number | null;
  created_at: Generated<Date>;
}

export interface FaqFeedbackTable {
  id: Generated<number>;
  entry_id: number;
  voter_key: string;
  helpful: boolean;
  comment: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface OfficialPageTable {
  id: number;
  body_md: string;
  body_html: string;
  updated_by: number | null;
  updated_at: Generated<Date>;
}

/** Reports (issue 8): one complaint about a post; one OPEN report per reporter and post. */
export type ReportReason = "spam" | "scam_phishing" | "exposed_secret" | "impersonating_staff" | "abusive" | "off_topic" | "other";
export type ReportStatus = "open" | "dismissed" | "actioned";
export type ReportOutcome = "dismissed" | "hidden" | "deleted" | "locked" | "suspended";

export interface ReportsTable {
  id: Generated<number>;
  reporter_id: number;
  post_id: number;
  reason: ReportReason;
  note: string | null;
  status: Generated<ReportStatus>;
  outcome: ReportOutcome | null;
  resolved_by: number | null;
  resolved_at: NullableTimestamp;
  created_at: Generated<Date>;
}

export interface DB {
  users: UsersTable;
  user_sessions: UserSessionsTable;
  boards: BoardsTable;
  threads: ThreadsTable;
  posts: PostsTable;
  suggestion_events: SuggestionEventsTable;
  account_tokens: AccountTokensTable;
  recovery_codes: RecoveryCodesTable;
  mail_outbox: MailOutboxTable;
  rate_limit_counters: RateLimitCountersTable;
  votes: VotesTable;
  post_revisions: PostRevisionsTable;
  audit_log: AuditLogTable;
  faq_entries: FaqEntriesTable;
  faq_revisions: FaqRevisionsTable;
  faq_feedback: FaqFeedbackTable;
  official_page: OfficialPageTable;
  reports: ReportsTable;
}

export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type Board = Selectable<BoardsTable>;
export type Thread = Selectable<ThreadsTable>;
export type ThreadUpdate = Updateable<ThreadsTable>;
export type Post = Selectable<PostsTable>;
