import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import {
  closeAsDuplicate,
  hidePost,
  hideThread,
  moveThread,
  reopenThread,
  restorePost,
  restoreThread,
  setThreadLocked,
  setThreadPinned,
  softDeletePost,
  softDeleteThread,
  unhidePost,
  unhideThread,
} from "../../app/models/moderation.server";
import { castVote, recountReputation, setAccepted } from "../../app/models/votes.server";
import { createReply } from "../../app/models/posts.server";
import { useTestDb } from "../support/db";
import { boardId, makeReply, makeThread, makeUser } from "../support/factories";

const db = useTestDb();

async function threadRow(id: number) {
  return db().selectFrom("threads").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
}
async function boardRow(slug: string) {
  return db().selectFrom("boards").selectAll().where("slug", "=", slug).executeTakeFirstOrThrow();
}
async function rep(userId: number) {
  return (await db().selectFrom("users").select("reputation").where("id", "=", userId).executeTakeFirstOrThrow()).reputation;
}
async function auditRows(action: string, targetId: number) {
  return db().selectFrom("audit_log").selectAll().where("action", "=", action).where("target_id", "=", targetId).execute();
}
async function questionId(threadId: number) {
  return (await db().selectFrom("posts").select("id").where("thread_id", "=", threadId).where("post_number", "=", 1).executeTakeFirstOrThrow()).id;
}

/** A thread on `board` with two answers, one upvoted and accepted. */
async function scene(board = "deposits") {
  const asker = await makeUser(db());
  const a1 = await makeUser(db());
  const a2 = await makeUser(db());
  const voter = await makeUser(db());
  const mod = await makeUser(db(), { role: "moderator" });
  const t = await makeThread(db(), asker.id, { board });
  const r1 = await makeReply(db(), t.id, a1.id);
  const r2 = await makeReply(db(), t.id, a2.id, "另一个回答：先检查邮箱的垃圾邮件文件夹。");
  await castVote(db(), { userId: voter.id, postId: r1.id, value: 1 });
  await setAccepted(db(), { threadId: t.id, postId: r1.id, actorId: asker.id });
  return { asker, a1, a2, voter, mod, t, r1, r2, q: await questionId(t.id) };
}

describe("moderation model: post hide/delete keep every figure right, and restore brings it back", () => {
  it("hiding the accepted answer: reply_count, status, board counts, reputation, index; unhide restores them", async () => {
    const s = await scene();
    const before = { thread: await threadRow(s.t.id), board: await boardRow("deposits"), a1: await rep(s.a1.id), asker: await rep(s.asker.id) };
    expect(before.thread.status).toBe("resolved");
    expect(before.thread.reply_count).toBe(2);
    expect(before.a1).toBe(1 + 10 + 15);
    expect(before.asker).toBe(1 + 2);

    await hidePost(db(), { postId: s.r1.id, actorId: s.mod.id, reason: "spam link" });
    const hidden = await threadRow(s.t.id);
    expect(hidden.reply_count).toBe(1);
    expect(hidden.status).toBe("answered");
    expect(hidden.accepted_post_id).toBe(s.r1.id); // kept, so that restoring brings it back
    expect((await boardRow("deposits")).post_count).toBe(before.board.post_count - 1);
    expect(await rep(s.a1.id)).toBe(1);
    expect(await rep(s.asker.id)).toBe(1);
    expect(await recountReputation(db())).toEqual([]);
    expect(await auditRows("post.hide", s.r1.id)).toHaveLength(1);

    await unhidePost(db(), { postId: s.r1.id, actorId: s.mod.id });
    const back = await threadRow(s.t.id);
    expect(back.reply_count).toBe(2);
    expect(back.status).toBe("resolved");
    expect(back.last_post_at.getTime()).toBe(before.thread.last_post_at.getTime());
    const board = await boardRow("deposits");
    expect([board.thread_count, board.post_count, board.last_thread_id]).toEqual([before.board.thread_count, before.board.post_count, before.board.last_thread_id]);
    expect(await rep(s.a1.id)).toBe(before.a1);
    expect(await rep(s.asker.id)).toBe(before.asker);
    expect(await auditRows("post.unhide", s.r1.id)).toHaveLength(1);
  });

  it("soft-deleting the latest answer moves last_post_at back; restore is exact", async () => {
    const s = await scene();
    const before = await threadRow(s.t.id);
    await softDeletePost(db(), { postId: s.r2.id, actorId: s.mod.id, reason: "off-topic" });
    const after = await threadRow(s.t.id);
    expect(after.reply_count).toBe(1);
    expect(after.last_post_user_id).toBe(s.a1.id);
    const row = await db().selectFrom("posts").select(["deleted_at", "deleted_by", "deleted_reason"]).where("id", "=", s.r2.id).executeTakeFirstOrThrow();
    expect(row.deleted_by).toBe(s.mod.id);
    expect(row.deleted_reason).toBe("off-topic");
    await restorePost(db(), { postId: s.r2.id, actorId: s.mod.id });
    const back = await threadRow(s.t.id);
    expect([back.reply_count, back.last_post_user_id, back.last_post_at.getTime()]).toEqual([2, s.a2.id, before.last_post_at.getTime()]);
  });

  it("deleting the question deletes the thread: board counters and reputation drop, restore brings them back", async () => {
    const s = await scene("account");
    const board = await boardRow("account");
    await softDeletePost(db(), { postId: s.q, actorId: s.mod.id, reason: "scam" });
    const t = await threadRow(s.t.id);
    expect(t.deleted_at).not.toBeNull();
    expect((await boardRow("account")).thread_count).toBe(board.thread_count - 1);
    expect((await boardRow("account")).post_count).toBe(board.post_count - 3);
    expect(await rep(s.a1.id)).toBe(1);
    expect(await auditRows("thread.delete", s.t.id)).toHaveLength(1);
    await restoreThread(db(), { threadId: s.t.id, actorId: s.mod.id });
    expect((await boardRow("account")).thread_count).toBe(board.thread_count);
    expect((await boardRow("account")).post_count).toBe(board.post_count);
    expect(await rep(s.a1.id)).toBe(26);
  });

  it("the system can hide (actorId null), and a moderator confirming replaces the reason; a secret stays hidden", async () => {
    const s = await scene();
    await hidePost(db(), { postId: s.r2.id, actorId: null, reason: "pending review" });
    const auto = await auditRows("post.hide", s.r2.id);
    expect(auto.map((a) => a.actor_id)).toEqual([null]);
    const hiddenAt = (await db().selectFrom("posts").select("hidden_at").where("id", "=", s.r2.id).executeTakeFirstOrThrow()).hidden_at;
    await hidePost(db(), { postId: s.r2.id, actorId: s.mod.id, reason: "scam" });
    const row = await db().selectFrom("posts").select(["hidden_at", "hidden_reason"]).where("id", "=", s.r2.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ hidden_at: hiddenAt, hidden_reason: "scam" });
    expect((await auditRows("post.hide", s.r2.id)).map((a) => a.actor_id)).toEqual([null, s.mod.id]);
    await db().updateTable("posts").set({ hidden_reason: "system:secret" }).where("id", "=", s.r2.id).execute();
    await expect(unhidePost(db(), { postId: s.r2.id, actorId: s.mod.id })).rejects.toMatchObject({ code: "secretHidden" });
  });

  it("the database backs the rules", async () => {
    const s = await scene();
    await expect(sql`update posts set deleted_at = now(), deleted_reason = 'x' where id = ${s.q}`.execute(db())).rejects.toThrow();
    await expect(sql`update posts set hidden_at = now() where id = ${s.r1.id}`.execute(db())).rejects.toThrow();
    await expect(sql`update threads set closed_at = now(), duplicate_of_thread_id = id where id = ${s.t.id}`.execute(db())).rejects.toThrow();
    const other = await makeThread(db(), s.asker.id);
    // a target without closed_at; two targets at once
    await expect(sql`update threads set duplicate_of_thread_id = ${s.t.id} where id = ${other.id}`.execute(db())).rejects.toThrow();
    await expect(sql`update threads set closed_at = now(), duplicate_of_thread_id = ${s.t.id}, duplicate_of_faq_id = 1 where id = ${other.id}`.execute(db())).rejects.toThrow();
  });
});

describe("moderation model: thread tools", () => {
  it("lock, pin, move, close as duplicate, reopen, hide", async () => {
    const s = await scene();
    const other = await makeThread(db(), s.asker.id, { title: "充值 USDT 一直没有到账怎么办" });
    await setThreadLocked(db(), { threadId: s.t.id, actorId: s.mod.id, locked: true });
    expect((await threadRow(s.t.id)).locked).toBe(true);
    await expect(createReply(db(), { threadId: s.t.id, authorId: s.voter.id, body: "还有人吗" })).rejects.toMatchObject({ code: "threadLocked" });
    await setThreadPinned(db(), { threadId: s.t.id, actorId: s.mod.id, pinned: true });
    expect((await threadRow(s.t.id)).pinned).toBe(true);

    const from = await boardRow("deposits");
    const to = await boardRow("security");
    await moveThread(db(), { threadId: s.t.id, actorId: s.mod.id, boardId: to.id });
    expect((await threadRow(s.t.id)).board_id).toBe(to.id);
    expect((await boardRow("deposits")).thread_count).toBe(from.thread_count - 1);
    expect((await boardRow("security")).thread_count).toBe(to.thread_count + 1);
    expect((await boardRow("security")).post_count).toBe(to.post_count + 3);
    expect((await threadRow(s.t.id)).status).toBe("answered"); // security needs verification
    await expect(moveThread(db(), { threadId: s.t.id, actorId: s.mod.id, boardId: to.id })).rejects.toMatchObject({ code: "sameBoard" });

    await closeAsDuplicate(db(), { threadId: other.id, actorId: s.mod.id, target: { threadId: s.t.id } });
    const closed = await threadRow(other.id);
    expect(closed.closed_at).not.toBeNull();
    expect(closed.duplicate_of_thread_id).toBe(s.t.id);
    await expect(createReply(db(), { threadId: other.id, authorId: s.voter.id, body: "我也是", allowLocked: true })).rejects.toMatchObject({ code: "threadClosed" });
    await expect(closeAsDuplicate(db(), { threadId: s.t.id, actorId: s.mod.id, target: { threadId: s.t.id } })).rejects.toMatchObject({ code: "duplicateSelf" });
    await expect(closeAsDuplicate(db(), { threadId: s.t.id, actorId: s.mod.id, target: { threadId: other.id } })).rejects.toMatchObject({ code: "duplicateTargetClosed" });
    await reopenThread(db(), { threadId: other.id, actorId: s.mod.id });
    expect((await threadRow(other.id)).closed_at).toBeNull();

    await hideThread(db(), { threadId: other.id, actorId: s.mod.id, reason: "duplicate spam" });
    expect((await threadRow(other.id)).hidden_reason).toBe("duplicate spam");
    await unhideThread(db(), { threadId: other.id, actorId: s.mod.id });
    expect((await threadRow(other.id)).hidden_at).toBeNull();
    for (const a of ["thread.lock", "thread.pin", "thread.move"]) expect(await auditRows(a, s.t.id)).toHaveLength(1);
    for (const a of ["thread.close_duplicate", "thread.reopen", "thread.hide", "thread.unhide"]) expect(await auditRows(a, other.id)).toHaveLength(1);
    expect(await softDeleteThread(db(), { threadId: other.id, actorId: s.mod.id, reason: "x" })).toBeUndefined();
    expect(await boardId(db(), "deposits")).toBe(from.id);
  });
});
