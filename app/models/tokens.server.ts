import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import type { Database } from "~db/index";
import type { TokenPurpose } from "~db/types";
import { config } from "~/web/config.server";

/** SHA-256 hex of a token: what the database keeps instead of the token itself. */
export function sha256(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

/** A random URL-safe token of 32 bytes. */
export function randomToken(): string {
  return randomBytes(32).toString("base64url");
}

export const TOKEN_LIFETIME: Record<TokenPurpose, number> = {
  verify_email: 48 * 3600_000,
  reset_password: 3600_000,
  change_email: 24 * 3600_000,
  login_2fa: 10 * 60_000,
};

/** Issues a single-use token; only its hash is stored. Returns the token to put in a link or cookie. */
export async function issueToken(
  db: Database,
  input: { userId: number; purpose: TokenPurpose; newEmail?: string | null; now?: Date },
): Promise<string> {
  const token = randomToken();
  const now = input.now ?? new Date();
  await db
    .insertInto("account_tokens")
    .values({
      token_hash: sha256(token),
      purpose: input.purpose,
      user_id: input.userId,
      new_email: input.newEmail ?? null,
      expires_at: new Date(now.getTime() + TOKEN_LIFETIME[input.purpose]),
    })
    .execute();
  return token;
}

/** A new link for `purpose` that voids the account's older ones of that purpose (only the newest works). */
export async function freshToken(db: Database, input: { userId: number; purpose: TokenPurpose; newEmail?: string | null }): Promise<string> {
  await voidTokens(db, input.userId, [input.purpose]);
  return issueToken(db, input);
}

/** A live (unused, unexpired) token's row, without using it. */
export async function peekToken(db: Database, token: string, purpose: TokenPurpose, now = new Date()) {
  if (!token || token.length > 100) return undefined;
  return db
    .selectFrom("account_tokens")
    .select(["id", "user_id", "new_email", "expires_at"])
    .where("token_hash", "=", sha256(token))
    .where("purpose", "=", purpose)
    .where("used_at", "is", null)
    .where("expires_at", ">", now)
    .executeTakeFirst();
}

/**
 * Uses a token: one UPDATE that succeeds only if the token is unused and unexpired, so two requests
 * racing with the same link cannot both win. Returns its row, or undefined.
 */
export async function consumeToken(db: Database, token: string, purpose: TokenPurpose, now = new Date()) {
  if (!token || token.length > 100) return undefined;
  return db
    .updateTable("account_tokens")
    .set({ used_at: now })
    .where("token_hash", "=", sha256(token))
    .where("purpose", "=", purpose)
    .where("used_at", "is", null)
    .where("expires_at", ">", now)
    .returning(["id", "user_id", "new_email"])
    .executeTakeFirst();
}

/** Voids the live tokens of a purpose for an account (a new reset link voids the older ones, …). */
export async function voidTokens(db: Database, userId: number, purposes: TokenPurpose[], now = new Date()) {
  await db
    .updateTable("account_tokens")
    .set({ used_at: now })
    .where("user_id", "=", userId)
    .where("purpose", "in", purposes)
    .where("used_at", "is", null)
    .execute();
}

// ---- Sealing secrets at rest (the TOTP secret) ----

function sealKey(): Buffer | null {
  const key = config().QUORUM_SECRET_KEY;
  return key ? createHash("sha256").update(key).digest() : null;
}

/**
 * Seals a secret with AES-256-GCM under QUORUM_SECRET_KEY ("v1:" prefix). Without the key the value
 * is stored as is ("plain:" prefix); either way it is never sent to a page after enrolment.
 */
export function sealSecret(secret: string): string {
  const key = sealKey();
  if (!key) return `plain:${secret}`;
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const body = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  return `v1:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64")}`;
}

export function openSecret(sealed: string): string {
  if (sealed.startsWith("plain:")) return sealed.slice(6);
  if (!sealed.startsWith("v1:")) throw new Error("unknown sealed secret format");
  const key = sealKey();
  if (!key) throw new Error("QUORUM_SECRET_KEY is needed to read sealed TOTP secrets");
  const raw = Buffer.from(sealed.slice(3), "base64");
  const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
}
