import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { action as threadAction, loader as threadLoader } from "../../app/routes/t.$id.($slug)/route";
import { loader as boardLoader } from "../../app/routes/b.$slug._index";
import { loader as revisionsLoader } from "../../app/routes/p.$id.revisions";
import { countQueries } from "../../app/db.server";
import { castVote, recountReputation, setAccepted, setVerified } from "../../app/models/votes.server";
import { editPost } from "../../app/models/posts.server";
import { ANSWERS_PER_PAGE } from "../../app/models/threads.server";
import { useTestDb, isPostgres } from "../support/db";
import { call, loginCookie, makeRequest } from "../support/http";
import { makeReply, makeThread, makeUser } from "../support/factories";
import { threadPath } from "../../app/web/paths";

const db = useTestDb();

async function rep(userId: number) {
  const u = await db().selectFrom("users").select(["reputation", "reputation_raw"]).where("id", "=", userId).executeTakeFirstOrThrow();
  return u.reputation;
}
async function threadRow(id: number) {
  return db().selectFrom("threads").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
}
async function postRow(id: number) {
  return db().selectFrom("posts").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
}
async function questionId(threadId: number) {
  return (await db().selectFrom("posts").select("id").where("thread_id", "=", threadId).where("post_number", "=", 1).executeTakeFirstOrThrow()).id;
}
async function voteCount(postId: number) {
  return (await db().selectFrom("votes").select(sql<number>`count(*)::int`.as("n")).where("post_id", "=", postId).executeTakeFirstOrThrow()).n;
}

/** A thread with answers by distinct users, for the scenarios below. */
async function scene(board = "account") {
  const asker = await makeUser(db());
  const a1 = await makeUser(db());
  const a2 = await makeUser(db());
  const voter = await makeUser(db());
  const t = await makeThread(db(), asker.id, { board });
  const r1 = await makeReply(db(), t.id, a1.id);
  const r2 = await makeReply(db(), t.id, a2.id, "另一个回答：先检查邮箱的垃圾邮件文件夹。");
  return { asker, a1, a2, voter, t, q: await questionId(t.id), r1, r2 };
}

function voteForm(postId: number, value: number, js = false) {
  return { intent: "vote", postId: String(postId), value: String(value), js: js ? "1" : "0" };
}

describe("votes", () => {
  it("up, switch, remove: the score, the thread's score and the author's reputation follow", async () => {
    const s = await scene();
    await castVote(db(), { userId: s.voter.id, postId: s.r1.id, value: 1 });
    expect((await postRow(s.r1.id)).score).toBe(1);
    expect(await rep(s.a1.id)).toBe(11);
    await castVote(db(), { userId: s.voter.id, postId: s.r1.id, value: -1 });
    expect((await postRow(s.r1.id)).score).toBe(-1);
    expect(await rep(s.a1.id)).toBe(1); // 1 + (-2) is clamped at 1
    await castVote(db(), { userId: s.voter.id, postId: s.r1.id, value: 0 });
    expect((await postRow(s.r1.id)).score).toBe(0);
    expect(await rep(s.a1.id)).toBe(1);
    expect(await voteCount(s.r1.id)).toBe(0);

    await castVote(db(), { userId: s.voter.id, postId: s.q, value: 1 });
    expect((await threadRow(s.t.id)).score).toBe(1);
    expect(await rep(s.asker.id)).toBe(6);
    await castVote(db(), { userId: s.a1.id, postId: s.q, value: 1 });
    expect((await threadRow(s.t.id)).score).toBe(2);
    expect(await rep(s.asker.id)).toBe(11);
  });

  it("never lets reputation fall below 1, and undoing a downvote restores it exactly", async () => {
    const s = await scene();
    const v2 = await makeUser(db());
    await castVote(db(), { userId: s.voter.id, postId: s.r1.id, value: -1 });
    await castVote(db(), { userId: v2.id, postId: s.r1.id, value: -1 });
    expect(await rep(s.a1.id)).toBe(1);
    await castVote(db(), { userId: s.a2.id, postId: s.r1.id, value: 1 }); // raw -4 + 10 = 6
    expect(await rep(s.a1.id)).toBe(7);
    await castVote(db(), { userId: s.voter.id, postId: s.r1.id, value: 0 });
    await castVote(db(), { userId: v2.id, postId: s.r1.id, value: 0 });
    expect(await rep(s.a1.id)).toBe(11);
  });

  it("50 identical votes in parallel leave exactly one", async () => {
    const s = await scene();
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, () => castVote(db(), { userId: s.voter.id, postId: s.r1.id, value: 1 })),
    );
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    expect(await voteCount(s.r1.id)).toBe(1);
    expect((await postRow(s.r1.id)).score).toBe(1);
    expect(await rep(s.a1.id)).toBe(11);
    // On PostgreSQL these 50 transactions really race (a pool of 20 connections); on PGlite the
    // one connection runs them in turn — the same code and the same assertions.
    if (isPostgres()) expect(await db().selectFrom("votes").select("user_id").where("post_id", "=", s.r1.id).execute()).toEqual([{ user_id: s.voter.id }]);
  });

  it("20 parallel votes from different users on one post all count", async () => {
    const s = await scene();
    const voters = await Promise.all(Array.from({ length: 20 }, () => makeUser(db())));
    await Promise.all(voters.map((v, i) => castVote(db(), { userId: v.id, postId: s.r2.id, value: i % 4 === 0 ? -1 : 1 })));
    expect(await voteCount(s.r2.id)).toBe(20);
    expect((await postRow(s.r2.id)).score).toBe(15 - 5);
    expect(await recountReputation(db())).toEqual([]);
  });

  it("the route: without JS redirects back, with JS answers with the new score", async () => {
    const s = await scene();
    const cookie = await loginCookie(s.voter.id);
    const path = threadPath(s.t.id, s.t.slug);
    const params = { id: String(s.t.id), slug: s.t.slug };
    const noJs = await call(threadAction, makeRequest(path, { form: voteForm(s.r1.id, 1), cookie }), params);
    expect(noJs.status).toBe(302);
    expect(noJs.location).toBe(`${path}#post-id-${s.r1.id}`);
    const js = await call(threadAction, makeRequest(path, { form: voteForm(s.r1.id, -1, true), cookie }), params);
    expect(js.status).toBe(200);
    expect(js.data).toEqual({ vote: { postId: s.r1.id, score: -1, myVote: -1 } });
    const loaded = await call(threadLoader, makeRequest(path, { cookie }), params);
    expect(loaded.data.answers.find((a: { id: number }) => a.id === s.r1.id).my_vote).toBe(-1);
  });

  it("refuses own-post votes (403), sends logged-out voters to log in and back, refuses suspended users", async () => {
    const s = await scene();
    const path = threadPath(s.t.id, s.t.slug);
    const params = { id: String(s.t.id), slug: s.t.slug };
    const own = await call(threadAction, makeRequest(path, { form: voteForm(s.r1.id, 1), cookie: await loginCookie(s.a1.id) }), params);
    expect(own.status).toBe(403);
    expect(own.data.qaError.reason).toBe("ownPost");
    await expect(castVote(db(), { userId: s.a1.id, postId: s.r1.id, value: 1 })).rejects.toMatchObject({ code: "ownPost" });

    const anon = await call(threadAction, makeRequest(path, { form: voteForm(s.r1.id, 1) }), params);
    expect(anon.status).toBe(302);
    expect(anon.location).toBe(`/login?redirectTo=${encodeURIComponent(`${path}#post-id-${s.r1.id}`)}`);

    await db().updateTable("users").set({ suspended_until: new Date(Date.now() + 86_400_000) }).where("id", "=", s.voter.id).execute();
    const susp = await call(threadAction, makeRequest(path, { form: voteForm(s.r1.id, 1), cookie: await loginCookie(s.voter.id) }), params);
    expect(susp.status).toBe(403);
    expect(susp.data.qaError.reason).toBe("suspended");
    expect(await voteCount(s.r1.id)).toBe(0);
  });
});

describe("accepted answers", () => {
  it("accept, switch, withdraw: status and reputation follow", async () => {
    const s = await scene();
    expect((await threadRow(s.t.id)).status).toBe("answered");
    await setAccepted(db(), { threadId: s.t.id, postId: s.r1.id, actorId: s.asker.id });
    let t = await threadRow(s.t.id);
    expect([t.status, t.accepted_post_id, t.accepted_by]).toEqual(["resolved", s.r1.id, s.asker.id]);
    expect(t.accepted_at).not.toBeNull();
    expect(await rep(s.a1.id)).toBe(16);
    expect(await rep(s.asker.id)).toBe(3);
    await setAccepted(db(), { threadId: s.t.id, postId: s.r2.id, actorId: s.asker.id });
    expect(await rep(s.a1.id)).toBe(1);
    expect(await rep(s.a2.id)).toBe(16);
    expect(await rep(s.asker.id)).toBe(3);
    await setAccepted(db(), { threadId: s.t.id, postId: null, actorId: s.asker.id });
    t = await threadRow(s.t.id);
    expect([t.status, t.accepted_post_id, t.accepted_by, t.accepted_at]).toEqual(["answered", null, null, null]);
    expect(await rep(s.a2.id)).toBe(1);
    expect(await rep(s.asker.id)).toBe(1);
  });

  it("a self-answer may be accepted, without reputation", async () => {
    const s = await scene();
    const own = await makeReply(db(), s.t.id, s.asker.id, "我自己解决了：在设置里重新绑定邮箱。");
    await setAccepted(db(), { threadId: s.t.id, postId: own.id, actorId: s.asker.id });
    expect((await threadRow(s.t.id)).status).toBe("resolved");
    expect(await rep(s.asker.id)).toBe(1);
  });

  it("staff accept on the asker's behalf, but never over the asker", async () => {
    const s = await scene();
    const mod = await makeUser(db(), { role: "moderator" });
    const path = threadPath(s.t.id, s.t.slug);
    const params = { id: String(s.t.id), slug: s.t.slug };
    const modCookie = await loginCookie(mod.id);
    const res = await call(threadAction, makeRequest(path, { form: { intent: "accept", postId: String(s.r1.id) }, cookie: modCookie }), params);
    expect(res.status).toBe(302);
    let t = await threadRow(s.t.id);
    expect([t.status, t.accepted_post_id, t.accepted_by]).toEqual(["resolved", s.r1.id, mod.id]);
    expect(await rep(s.a1.id)).toBe(16);
    expect(await rep(s.asker.id)).toBe(1); // the asker did not accept
    // The asker overrides staff's choice, then staff cannot override the asker's.
    await call(threadAction, makeRequest(path, { form: { intent: "accept", postId: String(s.r2.id) }, cookie: await loginCookie(s.asker.id) }), params);
    t = await threadRow(s.t.id);
    expect([t.accepted_post_id, t.accepted_by]).toEqual([s.r2.id, s.asker.id]);
    const over = await call(threadAction, makeRequest(path, { form: { intent: "accept", postId: String(s.r1.id) }, cookie: modCookie }), params);
    expect(over.status).toBe(403);
    expect(over.data.qaError.reason).toBe("askerAccepted");
    const other = await call(threadAction, makeRequest(path, { form: { intent: "accept", postId: String(s.r1.id) }, cookie: await loginCookie(s.voter.id) }), params);
    expect(other.status).toBe(403);
    expect(other.data.qaError.reason).toBe("notAsker");
    expect((await threadRow(s.t.id)).accepted_post_id).toBe(s.r2.id);
    expect(await recountReputation(db())).toEqual([]);
  });

  it("two parallel accepts leave one accepted answer and consistent reputation", async () => {
    const s = await scene();
    await Promise.all([
      setAccepted(db(), { threadId: s.t.id, postId: s.r1.id, actorId: s.asker.id }),
      setAccepted(db(), { threadId: s.t.id, postId: s.r2.id, actorId: s.asker.id }),
    ]);
    const t = await threadRow(s.t.id);
    expect([s.r1.id, s.r2.id]).toContain(t.accepted_post_id);
    expect((await rep(s.a1.id)) + (await rep(s.a2.id))).toBe(17);
    expect(await recountReputation(db())).toEqual([]);
  });

  it("refuses accepting the question itself or a post of another thread", async () => {
    const s = await scene();
    const other = await scene();
    await expect(setAccepted(db(), { threadId: s.t.id, postId: s.q, actorId: s.asker.id })).rejects.toMatchObject({ code: "notAnAnswer" });
    await expect(setAccepted(db(), { threadId: s.t.id, postId: other.r1.id, actorId: s.asker.id })).rejects.toMatchObject({ code: "notAnAnswer" });
  });

  it("keeps the status correct when the accepted answer is deleted", async () => {
    const s = await scene();
    await setAccepted(db(), { threadId: s.t.id, postId: s.r1.id, actorId: s.asker.id });
    await db().deleteFrom("posts").where("id", "=", s.r1.id).execute();
    const t = await threadRow(s.t.id);
    expect([t.accepted_post_id, t.status]).toEqual([null, "answered"]);
    // Deleting posts is moderation's job (it must run the recount for the users involved, or
    // reputation:recount does it): the recount finds and repairs exactly the two figures.
    const diffs = await recountReputation(db(), { fix: true });
    expect(diffs.map((d) => d.id).sort()).toEqual([s.asker.id, s.a1.id].sort());
    expect(await rep(s.a1.id)).toBe(1);
    expect(await rep(s.asker.id)).toBe(1);
  });
});

describe("staff verification", () => {
  it("on a money-at-risk board only a verified answer resolves the thread", async () => {
    const s = await scene("frozen-assets");
    const mod = await makeUser(db(), { role: "moderator" });
    const path = threadPath(s.t.id, s.t.slug);
    const params = { id: String(s.t.id), slug: s.t.slug };
    await setAccepted(db(), { threadId: s.t.id, postId: s.r1.id, actorId: s.asker.id });
    expect((await threadRow(s.t.id)).status).toBe("answered");
    const page = await call(threadLoader, makeRequest(path), params);
    expect(page.data.thread.board_needs_verification).toBe(true);

    const notStaff = await call(threadAction, makeRequest(path, { form: { intent: "verify", postId: String(s.r2.id) }, cookie: await loginCookie(s.asker.id) }), params);
    expect(notStaff.status).toBe(403);
    expect(notStaff.data.qaError.reason).toBe("staffOnly");

    const ok = await call(threadAction, makeRequest(path, { form: { intent: "verify", postId: String(s.r2.id) }, cookie: await loginCookie(mod.id) }), params);
    expect(ok.status).toBe(302);
    let t = await threadRow(s.t.id);
    expect([t.status, t.verified_post_id, t.verified_by]).toEqual(["resolved", s.r2.id, mod.id]);
    expect(await rep(s.a2.id)).toBe(16);
    // Withdrawing the asker's acceptance does not unresolve a verified thread.
    await setAccepted(db(), { threadId: s.t.id, postId: null, actorId: s.asker.id });
    expect((await threadRow(s.t.id)).status).toBe("resolved");
    await call(threadAction, makeRequest(path, { form: { intent: "unverify", postId: String(s.r2.id) }, cookie: await loginCookie(mod.id) }), params);
    t = await threadRow(s.t.id);
    expect([t.status, t.verified_post_id]).toEqual(["answered", null]);
    expect(await rep(s.a2.id)).toBe(1);
    expect(await recountReputation(db())).toEqual([]);
    // Staff actions are audited with the change; the asker's own acceptance is not a staff action.
    await setAccepted(db(), { threadId: s.t.id, postId: s.r1.id, actorId: mod.id });
    const log = await db()
      .selectFrom("audit_log")
      .select(["actor_id", "action", "target_id"])
      .where("target_type", "=", "thread")
      .where("target_id", "=", s.t.id)
      .orderBy("id")
      .execute();
    expect(log.map((r) => [r.actor_id, r.action])).toEqual([
      [mod.id, "answer.verify"],
      [mod.id, "answer.unverify"],
      [mod.id, "answer.accept_for_asker"],
    ]);
  });

  it("is refused on ordinary boards", async () => {
    const s = await scene("account");
    const mod = await makeUser(db(), { role: "moderator" });
    await expect(setVerified(db(), { threadId: s.t.id, postId: s.r1.id, actorId: mod.id })).rejects.toMatchObject({ code: "noVerification" });
  });
});

describe("reputation recount", () => {
  it("a random sequence of votes, switches, accepts and withdrawals matches the recount", async () => {
    const users = await Promise.all(Array.from({ length: 6 }, () => makeUser(db())));
    const mod = await makeUser(db(), { role: "moderator" });
    const threads: { id: number; asker: number; posts: { id: number; author: number }[] }[] = [];
    for (let i = 0; i < 3; i++) {
      const asker = users[i];
      const t = await makeThread(db(), asker.id, { board: i === 2 ? "security" : "account" });
      const posts = [{ id: await questionId(t.id), author: asker.id }];
      for (let j = 0; j < 3; j++) {
        const author = users[(i + j + 1) % users.length];
        const r = await makeReply(db(), t.id, author.id, `回答 ${i}-${j}：请检查设置。`);
        posts.push({ id: r.id, author: author.id });
      }
      threads.push({ id: t.id, asker: asker.id, posts });
    }
    let seed = 20261124;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let step = 0; step < 300; step++) {
      const th = threads[rnd(threads.length)];
      const kind = rnd(10);
      if (kind < 7) {
        const post = th.posts[rnd(th.posts.length)];
        const voter = users[rnd(users.length)];
        if (voter.id === post.author) continue;
        await castVote(db(), { userId: voter.id, postId: post.id, value: ([1, -1, 0] as const)[rnd(3)] });
      } else if (kind < 9) {
        const answer = rnd(4) === 0 ? null : th.posts[1 + rnd(3)].id;
        await setAccepted(db(), { threadId: th.id, postId: answer, actorId: rnd(3) === 0 ? mod.id : th.asker }).catch((e) => {
          if (e.code !== "askerAccepted") throw e;
        });
      } else if (th === threads[2]) {
        await setVerified(db(), { threadId: th.id, postId: rnd(3) === 0 ? null : th.posts[1 + rnd(3)].id, actorId: mod.id });
      }
    }
    const before = await db().selectFrom("users").select(["id", "reputation"]).orderBy("id").execute();
    expect(await recountReputation(db())).toEqual([]);
    // And the recount repairs a figure tampered with.
    await db().updateTable("users").set({ reputation: 999, reputation_raw: 998 }).where("id", "=", users[0].id).execute();
    const diffs = await recountReputation(db(), { fix: true });
    expect(diffs.map((d) => d.id)).toEqual([users[0].id]);
    expect(await db().selectFrom("users").select(["id", "reputation"]).orderBy("id").execute()).toEqual(before);
  });
});

describe("thread page", () => {
  it("orders answers accepted, verified, score, oldest; ?sort=date by date", async () => {
    const s = await scene("security");
    const a3 = await makeUser(db());
    const r3 = await makeReply(db(), s.t.id, a3.id, "第三个回答：联系官方客服。");
    const mod = await makeUser(db(), { role: "moderator" });
    await castVote(db(), { userId: s.voter.id, postId: r3.id, value: 1 });
    await setVerified(db(), { threadId: s.t.id, postId: s.r1.id, actorId: mod.id });
    await setAccepted(db(), { threadId: s.t.id, postId: s.r2.id, actorId: s.asker.id });
    const params = { id: String(s.t.id), slug: s.t.slug };
    const path = threadPath(s.t.id, s.t.slug);
    const best = await call(threadLoader, makeRequest(path), params);
    expect(best.data.answers.map((a: { id: number }) => a.id)).toEqual([s.r2.id, s.r1.id, r3.id]);
    expect(best.data.question.id).toBe(s.q);
    const byDate = await call(threadLoader, makeRequest(`${path}?sort=date`), params);
    expect(byDate.data.answers.map((a: { id: number }) => a.id)).toEqual([s.r1.id, s.r2.id, r3.id]);
    expect(byDate.data.thread.first_answer_at).not.toBeNull();
    expect(byDate.data.thread.verified_by_name).toBe(mod.username);
  });

  it("runs at most 5 SQL queries at 1 and at 100 answers, and pages keep the order", async () => {
    const asker = await makeUser(db());
    const viewer = await makeUser(db());
    const t = await makeThread(db(), asker.id);
    const authors = await Promise.all(Array.from({ length: 10 }, () => makeUser(db())));
    await makeReply(db(), t.id, authors[0].id);
    const params = { id: String(t.id), slug: t.slug };
    const path = threadPath(t.id, t.slug);
    const cookie = await loginCookie(viewer.id);
    const one = await countQueries(() => call(threadLoader, makeRequest(path, { cookie }), params));
    expect(one.result.status).toBe(200);
    expect(one.count).toBeLessThanOrEqual(5);

    const ids: number[] = [];
    for (let i = 1; i < 100; i++) ids.push((await makeReply(db(), t.id, authors[i % 10].id, `回答 ${i}`)).id);
    for (let i = 0; i < 40; i++) await castVote(db(), { userId: viewer.id, postId: ids[i * 2], value: i % 3 === 0 ? -1 : 1 });
    const hundred = await countQueries(() => call(threadLoader, makeRequest(path, { cookie }), params));
    expect(hundred.result.status).toBe(200);
    expect(hundred.count).toBeLessThanOrEqual(5);
    expect(hundred.count).toBe(one.count);
    expect(hundred.result.data.pages).toBe(Math.ceil(100 / ANSWERS_PER_PAGE));

    // Every answer appears exactly once across the pages, in score order.
    const seen: { id: number; score: number }[] = [];
    for (let p = 1; p <= hundred.result.data.pages; p++) {
      const r = await call(threadLoader, makeRequest(`${path}?page=${p}`, { cookie }), params);
      seen.push(...r.data.answers.map((a: { id: number; score: number }) => ({ id: a.id, score: a.score })));
    }
    expect(seen).toHaveLength(100);
    expect(new Set(seen.map((x) => x.id)).size).toBe(100);
    const scores = seen.map((x) => x.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });
});

describe("edit history", () => {
  it("keeps the previous version and shows a word diff", async () => {
    const s = await scene();
    await editPost(db(), { postId: s.q, editorId: s.asker.id, revision: 1, title: "忘记密码后如何找回我的账户?", body: "我忘记了登录密码,绑定的邮箱已经不能用了。" });
    await editPost(db(), { postId: s.q, editorId: s.asker.id, revision: 2, body: "我忘记了登录密码,绑定的邮箱已经不能用了。<script>alert(1)</script>" });
    const revs = await db().selectFrom("post_revisions").selectAll().where("post_id", "=", s.q).orderBy("revision").execute();
    expect(revs.map((r) => [r.revision, r.title, r.editor_id])).toEqual([
      [1, "忘记密码后如何找回账户?", s.asker.id],
      [2, "忘记密码后如何找回我的账户?", s.asker.id],
    ]);
    expect(revs[0].body_md).toBe("我忘记了登录密码,绑定的邮箱还能用。应该怎么重置?");
    await expect(editPost(db(), { postId: s.q, editorId: s.asker.id, revision: 2, body: "过时的编辑" })).rejects.toMatchObject({ code: "editConflict" });

    const page = await call(revisionsLoader, makeRequest(`/p/${s.q}/revisions`), { id: String(s.q) });
    expect(page.status).toBe(200);
    const versions = page.data.versions;
    expect(versions.map((v: { revision: number }) => v.revision)).toEqual([3, 2, 1]);
    expect(versions[1].title).toContainEqual({ op: "ins", text: "我的" });
    expect(versions[0].body).toContainEqual({ op: "ins", text: "<script>alert(1)</script>" });
    const { slug } = await threadRow(s.t.id);
    const thread = await call(threadLoader, makeRequest(threadPath(s.t.id, slug)), { id: String(s.t.id), slug });
    expect(thread.data.question.edited_at).not.toBeNull();
  });
});

describe("board page", () => {
  it("filters and sorts: activity, newest, top, unanswered, unsolved, solved", async () => {
    const u = await makeUser(db());
    const voter = await makeUser(db());
    const helper = await makeUser(db());
    const open = await makeThread(db(), u.id, { board: "transactions", title: "钱包同步一直卡在百分之九十九" });
    const answered = await makeThread(db(), u.id, { board: "transactions", title: "转账显示成功但对方没有收到" });
    const solved = await makeThread(db(), u.id, { board: "transactions", title: "如何导出交易记录到表格文件" });
    await makeReply(db(), answered.id, helper.id);
    const r = await makeReply(db(), solved.id, helper.id);
    await setAccepted(db(), { threadId: solved.id, postId: r.id, actorId: u.id });
    await castVote(db(), { userId: voter.id, postId: await questionId(answered.id), value: 1 });
    const ids = async (tab: string) => {
      const res = await call(boardLoader, makeRequest(`/b/transactions?tab=${tab}`), { slug: "transactions" });
      return res.data.threads.map((t: { id: number }) => t.id).filter((id: number) => [open.id, answered.id, solved.id].includes(id));
    };
    expect(await ids("newest")).toEqual([solved.id, answered.id, open.id]);
    expect(await ids("unanswered")).toEqual([open.id]);
    expect(await ids("unsolved")).toEqual([answered.id, open.id]);
    expect(await ids("solved")).toEqual([solved.id]);
    expect((await ids("top"))[0]).toBe(answered.id);
    expect(await ids("activity")).toEqual([solved.id, answered.id, open.id]);
  });
});
