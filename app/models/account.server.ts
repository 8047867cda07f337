import { sql } from "kysely";
import { inTransaction, type Database } from "~db/index";
import type { Locale } from "~db/types";
import { hashPassword, verifyPassword } from "~/auth/password.server";
import { publicBaseUrl, queueMailWork, sendAccountMail } from "~/server/mail.server";
import { consumeLimit, ipKey } from "~/models/ratelimit.server";
import { storedSessionId } from "~/auth/adapter.server";
import { consumeToken, freshToken, openSecret, sealSecret, sha256, voidTokens } from "~/models/tokens.server";
import { matchTotpStep, newRecoveryCodes, newTotpSecret, normalizeRecoveryCode } from "~/auth/totp.server";
import { DomainError, RateLimitedError, uniqueViolation } from "./errors";

/** Account recovery and security: e-mail verification, password reset and change, e-mail change, TOTP. */

type MailUser = { id: number; username: string; email: string; locale: Locale | null };

async function mailUser(db: Database, userId: number): Promise<MailUser & { password_hash: string; email_verified_at: Date | null }> {
  return db
    .selectFrom("users")
    .select(["id", "username", "email", "locale", "password_hash", "email_verified_at"])
    .where("id", "=", userId)
    .executeTakeFirstOrThrow();
}

// ---- E-mail verification ----

export async function sendVerification(db: Database, request: Request, userId: number): Promise<boolean> {
  const user = await mailUser(db, userId);
  if (user.email_verified_at) return false;
  const token = await freshToken(db, { userId: user.id, purpose: "verify_email" });
  return sendAccountMail(db, {
    to: user.email,
    locale: user.locale,
    kind: "verify",
    username: user.username,
    link: `${publicBaseUrl(request)}/verify-email?token=${token}`,
  });
}

/** Uses a verification link; returns the account, or undefined for a used, expired or unknown link. */
export async function verifyEmail(db: Database, token: string) {
  return inTransaction(db, async (trx) => {
    const row = await consumeToken(trx, token, "verify_email");
    if (!row) return undefined;
    return trx
      .updateTable("users")
      .set({ email_verified_at: sql`coalesce(email_verified_at, now())` })
      .where("id", "=", row.user_id)
      .returning(["id", "username"])
      .executeTakeFirst();
  });
}

// ---- Password reset ----

/**
 * A reset request: rate-limited per address and per client IP; sends a link when an account has that
 * address, and nothing otherwise — off the request path (queueMailWork). Callers answer the same way
 * whatever happened.
 */
export async function requestPasswordReset(db: Database, request: Request, email: string, ip: string | null): Promise<"queued" | "limited"> {
  const key = email.trim().toLowerCase();
  const [byEmail, byIp] = await Promise.all([
    consumeLimit(db, "resetPerEmail", key),
    consumeLimit(db, "resetPerIp", ipKey(ip)),
  ]);
  if (byEmail || byIp) return "limited";
  // Everything that depends on whether the account exists happens after the answer: the request
  // path is the same two limit updates for every address (no timing difference to measure).
  const base = publicBaseUrl(request);
  queueMailWork(async () => {
    const user = await db
      .selectFrom("users")
      .select(["id", "username", "email", "locale"])
      .where(sql`lower(email)`, "=", key)
      .executeTakeFirst();
    if (!user) return;
    const token = await freshToken(db, { userId: user.id, purpose: "reset_password" });
    await sendAccountMail(db, {
      to: user.email,
      locale: user.locale,
      kind: "reset",
      username: user.username,
      link: `${base}/reset-password?token=${token}`,
    });
  });
  return "queued";
}

/**
 * Sets a new password with a reset link: in one transaction the token is used, the password changed,
 * the address counted as verified (the link reached it), and every session of the account ended.
 * A notice goes to the address afterwards.
 */
export async function resetPassword(db: Database, token: string, password: string) {
  const passwordHash = await hashPassword(password);
  const user = await inTransaction(db, async (trx) => {
    const row = await consumeToken(trx, token, "reset_password");
    if (!row) return undefined;
    const user = await trx
      .updateTable("users")
      .set({ password_hash: passwordHash, email_verified_at: sql`coalesce(email_verified_at, now())` })
      .where("id", "=", row.user_id)
      .returning(["id", "username", "email", "locale"])
      .executeTakeFirstOrThrow();
    await trx.deleteFrom("user_sessions").where("user_id", "=", user.id).execute();
    await voidTokens(trx, user.id, ["reset_password", "login_2fa"]);
    return user;
  });
  if (!user) return undefined;
  await sendAccountMail(db, { to: user.email, locale: user.locale, kind: "resetDone", username: user.username });
  return user;
}

// ---- Settings: password and e-mail ----

/** Changes the password (the current one is needed) and ends every other session of the account. */
export async function changePassword(
  db: Database,
  input: { userId: number; current: string; password: string; keepSessionId: string },
) {
  const user = await mailUser(db, input.userId);
  if (!(await verifyPassword(user.password_hash, input.current))) throw new DomainError("wrongPassword", 400, "current");
  const passwordHash = await hashPassword(input.password);
  await inTransaction(db, async (trx) => {
    await trx.updateTable("users").set({ password_hash: passwordHash }).where("id", "=", user.id).execute();
    await trx.deleteFrom("user_sessions").where("user_id", "=", user.id).where("id", "!=", storedSessionId(input.keepSessionId)).execute();
    await voidTokens(trx, user.id, ["reset_password", "login_2fa"]);
  });
  await sendAccountMail(db, { to: user.email, locale: user.locale, kind: "passwordChanged", username: user.username });
}

/**
 * Asks to change the address: a link goes to the new address (the change happens only when it is
 * used) and the old address is told.
 */
export async function requestEmailChange(
  db: Database,
  request: Request,
  input: { userId: number; current: string; newEmail: string },
) {
  const user = await mailUser(db, input.userId);
  if (!(await verifyPassword(user.password_hash, input.current))) throw new DomainError("wrongPassword", 400, "current");
  const newEmail = input.newEmail.trim();
  if (newEmail.toLowerCase() === user.email.toLowerCase()) throw new DomainError("emailSame", 400, "email");
  const taken = await db.selectFrom("users").select("id").where(sql`lower(email)`, "=", newEmail.toLowerCase()).executeTakeFirst();
  if (taken) throw new DomainError("emailTaken", 409, "email");
  const limited = await consumeLimit(db, "emailChange", String(user.id));
  if (limited) throw new RateLimitedError(limited);
  const token = await freshToken(db, { userId: user.id, purpose: "change_email", newEmail });
  await sendAccountMail(db, {
    to: newEmail,
    locale: user.locale,
    kind: "changeEmailNew",
    username: user.username,
    link: `${publicBaseUrl(request)}/verify-email?change=${token}`,
  });
  await sendAccountMail(db, {
    to: user.email,
    locale: user.locale,
    kind: "changeEmailOld",
    username: user.username,
    params: { newEmail },
  });
}

/** Uses an e-mail change link: the new address takes effect, verified. */
export async function confirmEmailChange(db: Database, token: string) {
  try {
    const result = await inTransaction(db, async (trx) => {
      const row = await consumeToken(trx, token, "change_email");
      if (!row?.new_email) return undefined;
      const before = await mailUser(trx, row.user_id);
      const user = await trx
        .updateTable("users")
        .set({ email: row.new_email, email_verified_at: new Date() })
        .where("id", "=", row.user_id)
        .returning(["id", "username", "email", "locale"])
        .executeTakeFirstOrThrow();
      // A reset link sent to the old address must not outlive the change.
      await voidTokens(trx, user.id, ["reset_password", "verify_email"]);
      return { user, oldEmail: before.email };
    });
    if (!result) return undefined;
    await sendAccountMail(db, {
      to: result.oldEmail,
      locale: result.user.locale,
      kind: "emailChanged",
      username: result.user.username,
      params: { newEmail: result.user.email },
    });
    return result.user;
  } catch (error) {
    if (uniqueViolation(error) === "users_email_lower") throw new DomainError("emailTaken", 409, "email");
    throw error;
  }
}

// ---- Two-factor sign-in (TOTP) ----

export async function totpState(db: Database, userId: number) {
  const row = await db
    .selectFrom("users")
    .select(["username", "totp_secret", "totp_enabled_at"])
    .where("id", "=", userId)
    .executeTakeFirstOrThrow();
  const unused = await db
    .selectFrom("recovery_codes")
    .select(sql<number>`count(*)`.as("n"))
    .where("user_id", "=", userId)
    .where("used_at", "is", null)
    .executeTakeFirstOrThrow();
  return { username: row.username, enabled: !!row.totp_enabled_at, enabledAt: row.totp_enabled_at, pending: !row.totp_enabled_at && !!row.totp_secret, recoveryLeft: Number(unused.n), sealed: row.totp_secret };
}

/** Starts (or continues) enrolment: a pending secret is kept until a first code confirms it. */
export async function beginTotpEnrolment(db: Database, userId: number): Promise<string> {
  const state = await totpState(db, userId);
  if (state.enabled) throw new DomainError("totpAlreadyOn", 409);
  if (state.sealed) return openSecret(state.sealed);
  const secret = newTotpSecret();
  await db.updateTable("users").set({ totp_secret: sealSecret(secret), totp_last_step: null }).where("id", "=", userId).where("totp_enabled_at", "is", null).execute();
  return secret;
}

/** Records the step of an accepted code; false when that step (or a later one) was already used. */
async function acceptStep(db: Database, userId: number, step: number): Promise<boolean> {
  const row = await db
    .updateTable("users")
    .set({ totp_last_step: step })
    .where("id", "=", userId)
    .where((eb) => eb.or([eb("totp_last_step", "is", null), eb("totp_last_step", "<", step)]))
    .returning("id")
    .executeTakeFirst();
  return !!row;
}

/**
 * Confirms enrolment with a first code; returns the ten recovery codes (shown once, stored hashed).
 * Every other session of the account ends in the same transaction (all but `keepSessionId`, the
 * browser that enrolled): a session opened with only the password must not outlive the change.
 */
export async function confirmTotpEnrolment(db: Database, userId: number, code: string, now = new Date(), keepSessionId?: string): Promise<string[]> {
  const state = await totpState(db, userId);
  if (state.enabled) throw new DomainError("totpAlreadyOn", 409);
  if (!state.sealed) throw new DomainError("totpNoPending", 400, "code");
  const step = matchTotpStep(openSecret(state.sealed), code, now);
  if (step === null) throw new DomainError("totpWrongCode", 400, "code");
  const codes = newRecoveryCodes();
  const ok = await inTransaction(db, async (trx) => {
    if (!(await acceptStep(trx, userId, step))) return false;
    const enabled = await trx
      .updateTable("users")
      .set({ totp_enabled_at: now })
      .where("id", "=", userId)
      .where("totp_enabled_at", "is", null)
      .returning("id")
      .executeTakeFirst();
    if (!enabled) return false;
    await trx.deleteFrom("recovery_codes").where("user_id", "=", userId).execute();
    await trx
      .insertInto("recovery_codes")
      .values(codes.map((c) => ({ user_id: userId, code_hash: sha256(normalizeRecoveryCode(c)) })))
      .execute();
    let others = trx.deleteFrom("user_sessions").where("user_id", "=", userId);
    if (keepSessionId) others = others.where("id", "!=", storedSessionId(keepSessionId));
    await others.execute();
    return true;
  });
  if (!ok) throw new DomainError("totpWrongCode", 400, "code");
  return codes;
}

/**
 * Checks a second factor: a 6-digit TOTP code (±1 step, never the same step twice) or an unused
 * recovery code (used up by this call). Returns which one passed, or null.
 */
export async function checkSecondFactor(db: Database, userId: number, input: string, now = new Date()): Promise<"totp" | "recovery" | null> {
  const code = input.trim();
  if (!code || code.length > 40) return null;
  if (/^\d{3}\s?\d{3}$/.test(code)) {
    const state = await totpState(db, userId);
    if (!state.enabled || !state.sealed) return null;
    const step = matchTotpStep(openSecret(state.sealed), code, now);
    if (step === null) return null;
    return (await acceptStep(db, userId, step)) ? "totp" : null;
  }
  const used = await db
    .updateTable("recovery_codes")
    .set({ used_at: now })
    .where("user_id", "=", userId)
    .where("code_hash", "=", sha256(normalizeRecoveryCode(code)))
    .where("used_at", "is", null)
    .returning("id")
    .executeTakeFirst();
  return used ? "recovery" : null;
}

/** Turns two-factor sign-in off; needs a current code (or a recovery code). */
export async function disableTotp(db: Database, userId: number, code: string, now = new Date()) {
  const passed = await checkSecondFactor(db, userId, code, now);
  if (!passed) throw new DomainError("totpWrongCode", 400, "code");
  await inTransaction(db, async (trx) => {
    await trx.updateTable("users").set({ totp_secret: null, totp_enabled_at: null, totp_last_step: null }).where("id", "=", userId).execute();
    await trx.deleteFrom("recovery_codes").where("user_id", "=", userId).execute();
  });
}

/** Abandons a pending (unconfirmed) enrolment. */
export async function cancelTotpEnrolment(db: Database, userId: number) {
  await db.updateTable("users").set({ totp_secret: null, totp_last_step: null }).where("id", "=", userId).where("totp_enabled_at", "is", null).execute();
}

// ---- Sessions ----

/** A handle for a session in a form, made from its stored (hashed) id: session ids never appear in pages. */
export function sessionHandle(storedId: string): string {
  return sha256(`session:${storedId}`).slice(0, 24);
}

export async function listSessions(db: Database, userId: number) {
  return db
    .selectFrom("user_sessions")
    .select(["id", "ip", "user_agent", "created_at", "last_seen_at"])
    .where("user_id", "=", userId)
    .where("expires_at", ">", new Date())
    .orderBy("last_seen_at", "desc")
    .execute();
}

export async function endSessionByHandle(db: Database, userId: number, handle: string): Promise<boolean> {
  const sessions = await listSessions(db, userId);
  const target = sessions.find((s) => sessionHandle(s.id) === handle);
  if (!target) return false;
  await db.deleteFrom("user_sessions").where("id", "=", target.id).where("user_id", "=", userId).execute();
  return true;
}

/** Ends every session of the account but the one whose cookie is `keepSessionId`. */
export async function endOtherSessions(db: Database, userId: number, keepSessionId: string) {
  await db.deleteFrom("user_sessions").where("user_id", "=", userId).where("id", "!=", storedSessionId(keepSessionId)).execute();
}
