import { sql } from "kysely";
import { badgeRole, shownTitle, staffPowersSql, visiblePosts, visibleThreads, type Viewer } from "~/policy/visibility.server";
import type { Database } from "~db/index";
import type { Locale, Role } from "~db/types";
import { dummyPasswordHash, hashPassword, verifyPassword } from "~/auth/password.server";
import { checkDisplayName, nameSkeleton, type NameProblem } from "~/safety/names";
import { DomainError, uniqueViolation } from "./errors";
import { assertSafeText } from "~/safety/guard.server";

export type PublicUser = { id: number; username: string; role: Role; reputation: number };

export async function createUser(
  db: Database,
  input: { username: string; email: string; password: string; role?: Role; locale?: Locale | null; emailVerified?: boolean },
): Promise<{ id: number; username: string }> {
  // A name is shown to everyone: guarded like any stored text (one rule for all, CLI included).
  assertSafeText({ username: input.username });
  const passwordHash = await hashPassword(input.password);
  try {
    return await db
      .insertInto("users")
      .values({
        username: input.username,
        email: input.email,
        password_hash: passwordHash,
        role: input.role ?? "user",
        locale: input.locale ?? null,
        email_verified_at: input.emailVerified ? new Date() : null,
      })
      .returning(["id", "username"])
      .executeTakeFirstOrThrow();
  } catch (error) {
    // The unique indexes decide, so two sign-ups racing for one name cannot both win.
    const hit = uniqueViolation(error);
    if (hit === "users_username_lower") throw new DomainError("usernameTaken", 409, "username");
    if (hit === "users_email_lower") throw new DomainError("emailTaken", 409, "email");
    throw error;
  }
}

/**
 * The account a login names (or null), read once per attempt, and the attempt's rate-limit key: the
 * account's id when the username or e-mail names one (so both spellings share one allowance), else
 * the lower-cased text (unknown names are limited too).
 */
export async function findLoginAccount(db: Database, login: string) {
  const user = (await usersByLogin(db, login).select(["id", "username", "password_hash", "totp_enabled_at", "role", "suspended_until"]).executeTakeFirst()) ?? null;
  return { key: user ? `u:${user.id}` : `n:${login.trim().toLowerCase()}`, user };
}
export type LoginAccount = Awaited<ReturnType<typeof findLoginAccount>>;

/** The account a login names: its username or its e-mail address, whatever the case. */
function usersByLogin(db: Database, login: string) {
  const key = login.trim().toLowerCase();
  return db
    .selectFrom("users")
    .where((eb) => eb.or([eb(eb.fn("lower", ["username"]), "=", key), eb(eb.fn("lower", ["email"]), "=", key)]));
}

/**
 * The account if the password is its own, else null. When no account matched, a dummy hash is still
 * verified so that the response time does not reveal which names exist.
 */
export async function checkLoginPassword({ user }: LoginAccount, password: string) {
  if (!user) {
    await verifyPassword(await dummyPasswordHash(), password);
    return null;
  }
  return (await verifyPassword(user.password_hash, password))
    ? { id: user.id, username: user.username, totpEnabled: !!user.totp_enabled_at, role: user.role, suspendedUntil: user.suspended_until }
    : null;
}

/** The account for a username or e-mail and password, or null (see checkLoginPassword). */
export async function authenticate(db: Database, login: string, password: string) {
  return checkLoginPassword(await findLoginAccount(db, login), password);
}

export async function usernameExists(db: Database, username: string): Promise<boolean> {
  const row = await db
    .selectFrom("users")
    .select("id")
    .where(sql`lower(username)`, "=", username.toLowerCase())
    .executeTakeFirst();
  return !!row;
}

export async function setRole(db: Database, username: string, role: Role) {
  const row = await db
    .updateTable("users")
    .set({ role })
    .where(sql`lower(username)`, "=", username.toLowerCase())
    .returning(["id", "username", "role"])
    .executeTakeFirst();
  if (!row) throw new DomainError("userNotFound", 404);
  return row;
}

export async function setLocale(db: Database, userId: number, locale: Locale) {
  await db.updateTable("users").set({ locale }).where("id", "=", userId).execute();
}

export async function listStaff(db: Database) {
  return db
    .selectFrom("users")
    .select(["id", "username", "role", "created_at"])
    .where("role", "in", ["moderator", "admin"])
    .orderBy("username")
    .execute();
}

/**
 * The public staff list on /official: the accounts that carry the staff badge now (the same rule as
 * the badge itself, badgeRole), so a reader can check a name against it.
 */
export async function listBadgedStaff(db: Database) {
  return db
    .selectFrom("users as u")
    .select(["u.username", badgeRole("u").as("badge_role")])
    .where(staffPowersSql("u"))
    .orderBy("u.username")
    .execute();
}

const PROFILE_LIST = 20;

/** The account a profile address names (usernames are unique whatever the case), or undefined. */
export function findUserByUsername(db: Database, username: string) {
  return db
    .selectFrom("users")
    .select(["id", "username", "role", "reputation", "created_at", badgeRole("users").as("badge_role")])
    .where(sql`lower(username)`, "=", username.toLowerCase())
    .executeTakeFirst();
}

/** A public profile: the account, its latest questions and its latest answers. */
export async function getProfile(db: Database, username: string, viewer?: Viewer) {
  const user = await findUserByUsername(db, username);
  if (!user) return null;
  const [threads, replies, counts] = await Promise.all([
    // Hidden and deleted content is neither listed nor counted, except for staff (marked).
    visibleThreads(
      db
        .selectFrom("threads as t")
        .select(["t.id", "t.slug", shownTitle("t").as("title"), "t.status", "t.reply_count", "t.created_at", "t.hidden_at", "t.deleted_at"])
        .where("t.author_id", "=", user.id),
      viewer,
    )
      .orderBy("t.created_at", "desc")
      .limit(PROFILE_LIST)
      .execute(),
    visiblePosts(
      visibleThreads(
        db
          .selectFrom("posts as p")
          .innerJoin("threads as t", "t.id", "p.thread_id")
          .select(["p.id", "p.post_number", "p.created_at", "p.score", "t.id as thread_id", "t.slug", shownTitle("t").as("title"), "p.hidden_at", "p.deleted_at"])
          .where("p.author_id", "=", user.id)
          .where("p.post_number", ">", 1),
        viewer,
      ),
      viewer,
    )
      .orderBy("p.created_at", "desc")
      .limit(PROFILE_LIST)
      .execute(),
    visiblePosts(
      visibleThreads(
        db
          .selectFrom("posts as p")
          .innerJoin("threads as t", "t.id", "p.thread_id")
          .select([
            sql<number>`count(*) filter (where p.post_number = 1)`.as("threads"),
            sql<number>`count(*) filter (where p.post_number > 1)`.as("replies"),
          ])
          .where("p.author_id", "=", user.id),
        viewer,
      ),
      viewer,
    ).executeTakeFirstOrThrow(),
  ]);
  return { user, threads, replies, counts };
}

/**
 * Why a username may not be used by a regular account, or null: it contains a reserved word (admin,
 * support, 客服…) or is confusable with a current staff account (see app/safety/names.ts). Checked at
 * sign-up (and by `user:create` for regular accounts); the staff list is small, so it is read each time.
 * `exceptUserId` leaves a user's own account out (for a future rename).
 */
export async function usernameProblem(db: Database, username: string, exceptUserId?: number): Promise<NameProblem | null> {
  let q = db.selectFrom("users").select("username").where("role", "in", ["moderator", "admin"]);
  if (exceptUserId !== undefined) q = q.where("id", "<>", exceptUserId);
  const staff = await q.execute();
  return checkDisplayName(username, staff.map((s) => s.username));
}

/**
 * Accounts whose names are confusable with `username` (same skeleton), other than `exceptUserId`:
 * before someone becomes staff, no other account may already look like them. Reads every username in
 * batches — an operator's command, not a request path.
 */
export async function accountsConfusableWith(db: Database, username: string, exceptUserId?: number): Promise<string[]> {
  const target = nameSkeleton(username);
  const out: string[] = [];
  let after = 0;
  for (;;) {
    const rows = await db.selectFrom("users").select(["id", "username"]).where("id", ">", after).orderBy("id").limit(1000).execute();
    if (rows.length === 0) break;
    for (const r of rows) if (r.id !== exceptUserId && nameSkeleton(r.username) === target) out.push(r.username);
    after = rows[rows.length - 1].id;
  }
  return out;
}
