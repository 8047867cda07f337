import type { Database } from "../../db/index";
import type { Role } from "../../db/types";
import { createUser } from "../../app/models/users.server";
import { createThread } from "../../app/models/threads.server";
import { createReply } from "../../app/models/posts.server";
import { sealSecret } from "../../app/models/tokens.server";
import { newTotpSecret } from "../../app/auth/totp.server";

let n = 0;
export const PASSWORD = "correct horse battery";

/**
 * A user. Staff get two-factor sign-in on by default (staff powers need it), set on the row directly:
 * confirmTotpEnrolment would end the account's other sessions. `twoFactor: false` opts out.
 */
export async function makeUser(db: Database, opts: { username?: string; role?: Role; verified?: boolean; twoFactor?: boolean } = {}) {
  n++;
  const username = opts.username ?? `user${n}_${Math.random().toString(36).slice(2, 7)}`;
  const role = opts.role ?? "user";
  const user = await createUser(db, { username, email: `${username}@example.com`, password: PASSWORD, role, emailVerified: opts.verified ?? true });
  if (opts.twoFactor ?? role !== "user") await setTwoFactor(db, user.id, true);
  return { ...user, role };
}

/** Turns two-factor sign-in on (a fresh secret) or off on the row. */
export async function setTwoFactor(db: Database, userId: number, on: boolean) {
  await db
    .updateTable("users")
    .set(on ? { totp_secret: sealSecret(newTotpSecret()), totp_enabled_at: new Date(), totp_last_step: null } : { totp_secret: null, totp_enabled_at: null, totp_last_step: null })
    .where("id", "=", userId)
    .execute();
}

export async function boardId(db: Database, slug = "account"): Promise<number> {
  const b = await db.selectFrom("boards").select("id").where("slug", "=", slug).executeTakeFirstOrThrow();
  return b.id;
}

export async function makeThread(db: Database, authorId: number, opts: { board?: string; title?: string; body?: string } = {}) {
  return createThread(db, {
    boardId: await boardId(db, opts.board ?? "account"),
    authorId,
    title: opts.title ?? "忘记密码后如何找回账户?",
    body: opts.body ?? "我忘记了登录密码,绑定的邮箱还能用。应该怎么重置?",
  });
}

export async function makeReply(db: Database, threadId: number, authorId: number, body = "在登录页点“找回密码”,用绑定的邮箱重置。") {
  return createReply(db, { threadId, authorId, body });
}

/**
 * Solves a thread the way the product does: an answer from another account, accepted by the asker,
 * and verified by a moderator where the board needs it. The answer's text indexes no search term.
 */
export async function markSolved(db: Database, threadId: number) {
  const { setAccepted, setVerified } = await import("../../app/models/votes.server");
  const t = await db
    .selectFrom("threads as t")
    .innerJoin("boards as b", "b.id", "t.board_id")
    .select(["t.author_id", "b.needs_verification"])
    .where("t.id", "=", threadId)
    .executeTakeFirstOrThrow();
  const helper = await makeUser(db);
  const answer = await makeReply(db, threadId, helper.id, "✔✔✔✔✔");
  await setAccepted(db, { threadId, postId: answer.id, actorId: t.author_id });
  if (t.needs_verification) {
    const mod = await makeUser(db, { role: "moderator" });
    await setVerified(db, { threadId, postId: answer.id, actorId: mod.id });
  }
}
