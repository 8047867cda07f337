/**
 * Moderation tools through the thread page's action: every tool × {anonymous, user, the author,
 * moderator, admin, suspended user}, asserting the rows (state, counters, reputation, audit);
 * and visibility of hidden and deleted content on every list, search and page.
 */
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { action as threadAction, loader as threadLoader } from "../../app/routes/t.$id.($slug)/route";
import { loader as boardLoader } from "../../app/routes/b.$slug._index";
import { loader as homeLoader } from "../../app/routes/_index";
import { loader as searchLoader } from "../../app/routes/search";
import { loader as profileLoader } from "../../app/routes/u.$username";
import { loader as revisionsLoader } from "../../app/routes/p.$id.revisions";
import { loader as editLoader } from "../../app/routes/p.$id.edit";
import { listCandidates } from "../../app/models/faq.server";
import { castVote, recountReputation } from "../../app/models/votes.server";
import { hidePost, hideThread, setThreadLocked, softDeletePost, softDeleteThread } from "../../app/models/moderation.server";
import { useTestDb } from "../support/db";
import { call, loginCookie, makeRequest } from "../support/http";
import { boardId, makeReply, makeThread, makeUser, markSolved } from "../support/factories";

const db = useTestDb();

type Who = "anonymous" | "user" | "author" | "moderator" | "admin" | "suspended";
const ROLES: Who[] = ["anonymous", "user", "author", "moderator", "admin", "suspended"];
const people = {} as Record<Exclude<Who, "anonymous">, { id: number; username: string; cookie: string }> & {
  answerer: { id: number; username: string };
  voter: { id: number };
};

beforeAll(async () => {
  for (const who of ["user", "author", "moderator", "admin", "suspended"] as const) {
    const role = who === "moderator" ? "moderator" : who === "admin" ? "admin" : "user";
    const u = await makeUser(db(), { role });
    people[who] = { id: u.id, username: u.username, cookie: await loginCookie(u.id) };
  }
  await db().updateTable("users").set({ suspended_until: new Date(Date.now() + 86_400_000), suspended_reason: "spam" }).where("id", "=", people.suspended.id).execute();
  const a = await makeUser(db());
  people.answerer = { id: a.id, username: a.username };
  people.voter = { id: (await makeUser(db())).id };
});

async function threadRow(id: number) {
  return db().selectFrom("threads").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
}
async function postRow(id: number) {
  return db().selectFrom("posts").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
}
async function boardRow(id: number) {
  return db().selectFrom("boards").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
}
async function rep(userId: number) {
  return (await db().selectFrom("users").select("reputation_raw").where("id", "=", userId).executeTakeFirstOrThrow()).reputation_raw;
}
async function audits(targetId: number) {
  return db().selectFrom("audit_log").select(["action", "actor_id", "target_type"]).where("target_id", "=", targetId).orderBy("id").execute();
}

/** A thread by "author" on the account board, with an upvoted answer by "answerer". */
async function scene() {
  const t = await makeThread(db(), people.author.id);
  const answer = await makeReply(db(), t.id, people.answerer.id);
  await castVote(db(), { userId: people.voter.id, postId: answer.id, value: 1 });
  const target = await makeThread(db(), people.user.id, { title: "另一个关于找回账户的问题" });
  return { t, answer, target };
}
type Scene = Awaited<ReturnType<typeof scene>>;

async function post(who: Who, s: Scene, form: Record<string, string>) {
  const cookie = who === "anonymous" ? undefined : people[who].cookie;
  return call(threadAction, makeRequest(`/t/${s.t.id}/${s.t.slug}`, { form, cookie }), { id: String(s.t.id), slug: s.t.slug });
}

/** What a tool changes, read from the rows. */
async function snapshot(s: Scene) {
  const t = await threadRow(s.t.id);
  const p = await postRow(s.answer.id);
  const b = await boardRow(await boardId(db(), "account"));
  const sec = await boardRow(await boardId(db(), "security"));
  return {
    locked: t.locked,
    pinned: t.pinned,
    board: t.board_id,
    threadHidden: t.hidden_reason,
    threadDeleted: t.deleted_reason,
    duplicateOf: t.duplicate_of_thread_id,
    closed: t.closed_at !== null,
    postHidden: p.hidden_reason,
    postDeleted: p.deleted_reason,
    replies: t.reply_count,
    status: t.status,
    boardThreads: b.thread_count,
    boardPosts: b.post_count,
    securityThreads: sec.thread_count,
    securityPosts: sec.post_count,
    answererRep: await rep(people.answerer.id),
  };
}
type Snap = Awaited<ReturnType<typeof snapshot>>;

type Tool = {
  intent: string;
  /** the state before the action (set through the model) */
  setup?: (s: Scene) => Promise<void>;
  form?: (s: Scene) => Record<string, string>;
  /** what a moderator's action changes, from the snapshot before */
  expect: (before: Snap, s: Scene, security: number) => Partial<Snap>;
  audit: string;
};

const REASON = "scam link";
const TOOLS: Tool[] = [
  { intent: "mod.lock", expect: () => ({ locked: true }), audit: "thread.lock" },
  { intent: "mod.unlock", setup: (s) => setThreadLocked(db(), { threadId: s.t.id, actorId: people.moderator.id, locked: true }), expect: () => ({ locked: false }), audit: "thread.unlock" },
  { intent: "mod.pin", expect: () => ({ pinned: true }), audit: "thread.pin" },
  {
    intent: "mod.unpin",
    setup: async (s) => {
      await db().updateTable("threads").set({ pinned: true }).where("id", "=", s.t.id).execute();
    },
    expect: () => ({ pinned: false }),
    audit: "thread.unpin",
  },
  {
    intent: "mod.hide",
    form: () => ({ reason: REASON }),
    expect: (b) => ({ threadHidden: REASON, boardThreads: b.boardThreads - 1, boardPosts: b.boardPosts - 2, answererRep: b.answererRep - 10 }),
    audit: "thread.hide",
  },
  {
    intent: "mod.unhide",
    setup: (s) => hideThread(db(), { threadId: s.t.id, actorId: people.moderator.id, reason: REASON }),
    expect: (b) => ({ threadHidden: null, boardThreads: b.boardThreads + 1, boardPosts: b.boardPosts + 2, answererRep: b.answererRep + 10 }),
    audit: "thread.unhide",
  },
  {
    intent: "mod.delete",
    form: () => ({ reason: REASON }),
    expect: (b) => ({ threadDeleted: REASON, boardThreads: b.boardThreads - 1, boardPosts: b.boardPosts - 2, answererRep: b.answererRep - 10 }),
    audit: "thread.delete",
  },
  {
    intent: "mod.restore",
    setup: (s) => softDeleteThread(db(), { threadId: s.t.id, actorId: people.moderator.id, reason: REASON }),
    expect: (b) => ({ threadDeleted: null, boardThreads: b.boardThreads + 1, boardPosts: b.boardPosts + 2, answererRep: b.answererRep + 10 }),
    audit: "thread.restore",
  },
  {
    intent: "mod.move",
    form: () => ({ boardId: "__security__" }),
    expect: (b, _s, security) => ({
      board: security,
      boardThreads: b.boardThreads - 1,
      boardPosts: b.boardPosts - 2,
      securityThreads: b.securityThreads + 1,
      securityPosts: b.securityPosts + 2,
    }),
    audit: "thread.move",
  },
  {
    intent: "mod.duplicate",
    form: (s) => ({ target: `http://quorum.test/t/${s.target.id}/${s.target.slug}` }),
    expect: (_b, s) => ({ closed: true, duplicateOf: s.target.id }),
    audit: "thread.close_duplicate",
  },
  {
    intent: "mod.reopen",
    setup: async (s) => {
      await db().updateTable("threads").set({ closed_at: new Date(), duplicate_of_thread_id: s.target.id }).where("id", "=", s.t.id).execute();
    },
    expect: () => ({ closed: false, duplicateOf: null }),
    audit: "thread.reopen",
  },
  {
    intent: "mod.post.hide",
    form: (s) => ({ postId: String(s.answer.id), reason: REASON }),
    expect: (b) => ({ postHidden: REASON, replies: 0, status: "open", boardPosts: b.boardPosts - 1, answererRep: b.answererRep - 10 }),
    audit: "post.hide",
  },
  {
    intent: "mod.post.unhide",
    setup: (s) => hidePost(db(), { postId: s.answer.id, actorId: people.moderator.id, reason: REASON }),
    form: (s) => ({ postId: String(s.answer.id) }),
    expect: (b) => ({ postHidden: null, replies: 1, status: "answered", boardPosts: b.boardPosts + 1, answererRep: b.answererRep + 10 }),
    audit: "post.unhide",
  },
  {
    intent: "mod.post.delete",
    form: (s) => ({ postId: String(s.answer.id), reason: REASON }),
    expect: (b) => ({ postDeleted: REASON, replies: 0, status: "open", boardPosts: b.boardPosts - 1, answererRep: b.answererRep - 10 }),
    audit: "post.delete",
  },
  {
    intent: "mod.post.restore",
    setup: (s) => softDeletePost(db(), { postId: s.answer.id, actorId: people.moderator.id, reason: REASON }),
    form: (s) => ({ postId: String(s.answer.id) }),
    expect: (b) => ({ postDeleted: null, replies: 1, status: "answered", boardPosts: b.boardPosts + 1, answererRep: b.answererRep + 10 }),
    audit: "post.restore",
  },
];

describe("moderation tools × roles (rows, counters, reputation, audit)", () => {
  for (const tool of TOOLS) {
    for (const who of ROLES) {
      const allowed = who === "moderator" || who === "admin";
      it(`${tool.intent} — ${who}: ${allowed ? "done, counted, audited" : "refused, nothing written"}`, async () => {
        const s = await scene();
        await tool.setup?.(s);
        const security = await boardId(db(), "security");
        const form: Record<string, string> = { intent: tool.intent, ...(tool.form?.(s) ?? {}) };
        if (form.boardId === "__security__") form.boardId = String(security);
        const before = await snapshot(s);
        const auditBefore = (await audits(s.t.id)).length + (await audits(s.answer.id)).length;
        const res = await post(who, s, form);
        const after = await snapshot(s);
        const auditRows = [...(await audits(s.t.id)), ...(await audits(s.answer.id))];
        if (!allowed) {
          if (who === "anonymous") {
            expect(res.status).toBe(302);
            expect(res.location).toMatch(/^\/login/);
          } else {
            expect(res.status).toBe(403);
            expect(res.data.modError.reason).toBe(who === "suspended" ? "suspended" : "staffOnly");
          }
          expect(after).toEqual(before);
          expect(auditRows.length).toBe(auditBefore);
          return;
        }
        expect(res.status).toBe(302);
        expect(after).toEqual({ ...before, ...tool.expect(before, s, security) });
        const mine = auditRows.filter((a) => a.action === tool.audit);
        expect(mine.at(-1)?.actor_id).toBe(people[who].id);
        // Every figure the tool moved agrees with a recount from scratch.
        expect(await recountReputation(db(), { userIds: [people.answerer.id, people.author.id] })).toEqual([]);
      });
    }
  }
});

describe("moderation tools: bad input", () => {
  it("refuses a hide without a reason, an unknown duplicate target, itself, the same board — writing nothing", async () => {
    const s = await scene();
    const other = await makeThread(db(), people.user.id);
    const otherAnswer = await makeReply(db(), other.id, people.answerer.id);
    const before = await snapshot(s);
    const hide = await post("moderator", s, { intent: "mod.post.hide", postId: String(s.answer.id), reason: "  " });
    expect([hide.status, hide.data.modError.reason]).toEqual([400, "reasonRequired"]);
    const long = await post("moderator", s, { intent: "mod.hide", reason: "x".repeat(201) });
    expect([long.status, long.data.modError.reason, long.data.modError.values.reason.length]).toEqual([400, "reasonTooLong", 201]);
    const unknown = await post("moderator", s, { intent: "mod.duplicate", target: "no-such-faq-entry" });
    expect([unknown.status, unknown.data.modError.reason]).toEqual([400, "duplicateTargetNotFound"]);
    const self = await post("moderator", s, { intent: "mod.duplicate", target: String(s.t.id) });
    expect([self.status, self.data.modError.reason]).toEqual([400, "duplicateSelf"]);
    const same = await post("moderator", s, { intent: "mod.move", boardId: String(before.board) });
    expect([same.status, same.data.modError.reason]).toEqual([400, "sameBoard"]);
    const foreign = await post("moderator", s, { intent: "mod.post.hide", postId: String(otherAnswer.id), reason: "x" });
    expect(foreign.status).toBe(404);
    const bad = await post("moderator", s, { intent: "mod.nothing" });
    expect(bad.status).toBe(400);
    expect(await snapshot(s)).toEqual(before);
    expect(await postRow(otherAnswer.id)).toMatchObject({ hidden_at: null });
  });

  it("closes as a duplicate of a FAQ entry by its link; the page links to it and shows no reply box", async () => {
    const s = await scene();
    await markSolved(db(), s.target.id);
    const boardIdAccount = await boardId(db(), "account");
    const entry = await db()
      .insertInto("faq_entries")
      .values({ slug: "reset-password-faq", question: "如何找回密码？", answer_md: "点找回密码。", answer_html: "<p>点找回密码。</p>", board_id: boardIdAccount, status: "published" })
      .returning("id")
      .executeTakeFirstOrThrow();
    const res = await post("moderator", s, { intent: "mod.duplicate", target: "/faq/reset-password-faq" });
    expect(res.status).toBe(302);
    const t = await threadRow(s.t.id);
    expect([t.duplicate_of_faq_id, t.duplicate_of_thread_id, t.closed_by]).toEqual([entry.id, null, people.moderator.id]);
    const page = await call(threadLoader, makeRequest(`/t/${s.t.id}/${s.t.slug}`, { cookie: people.user.cookie }), { id: String(s.t.id), slug: s.t.slug });
    expect(page.data.thread.duplicate_faq_slug).toBe("reset-password-faq");
    expect(page.data.canReply).toBe(false);
    const reply = await post("user", s, { body: "我也遇到了同样的问题，请问解决了吗" });
    expect(reply.status).toBe(403);
    expect(reply.data.errors.body.key).toBe("validation.threadClosed");
    expect((await threadRow(s.t.id)).reply_count).toBe(1);
    // Deleting the FAQ entry for good leaves the thread closed, without a link.
    await db().deleteFrom("faq_entries").where("id", "=", entry.id).execute();
    expect(await threadRow(s.t.id)).toMatchObject({ duplicate_of_faq_id: null });
    expect((await threadRow(s.t.id)).closed_at).not.toBeNull();
  });

  it("a locked thread refuses a user's answer but takes a moderator's", async () => {
    const s = await scene();
    await post("moderator", s, { intent: "mod.lock" });
    const refused = await post("user", s, { body: "锁定后还能回答吗？我想补充一点。" });
    expect(refused.status).toBe(403);
    const ok = await post("moderator", s, { body: "版主补充：请按 FAQ 操作即可。" });
    expect(ok.status).toBe(302);
    expect((await threadRow(s.t.id)).reply_count).toBe(2);
  });
});

describe("visibility of hidden and deleted content", () => {
  const TITLE = "Zebrafinch 钱包 斑马雀 unique title";
  async function place() {
    const t = await makeThread(db(), people.author.id, { title: TITLE, board: "deposits" });
    const answer = await makeReply(db(), t.id, people.answerer.id, "Okapi answer text 独角兽");
    return { t, answer };
  }
  const boardIds = async (cookie?: string) =>
    ((await call(boardLoader, makeRequest("/b/deposits", { cookie }), { slug: "deposits" })).data.threads as { id: number }[]).map((x) => x.id);
  const searchIds = async (q: string, cookie?: string) =>
    ((await call(searchLoader, makeRequest(`/search?q=${encodeURIComponent(q)}`, { cookie }))).data.hits as { id: number }[]).map((h) => h.id);
  const profile = async (username: string, cookie?: string) => (await call(profileLoader, makeRequest(`/u/${username}`, { cookie }), { username })).data;
  const home = async () => (await call(homeLoader, makeRequest("/"))).data.boards.find((b: { slug: string }) => b.slug === "deposits");
  const page = (t: { id: number; slug: string }, cookie?: string, qs = "") =>
    call(threadLoader, makeRequest(`/t/${t.id}/${t.slug}${qs}`, { cookie }), { id: String(t.id), slug: t.slug });

  it("a hidden thread is absent from board list, search, home and profile for users; present for staff; back intact when restored", async () => {
    const { t } = await place();
    const homeBefore = await home();
    expect(homeBefore.last_thread_id).toBe(t.id);
    expect(await boardIds()).toContain(t.id);
    expect(await searchIds("zebrafinch")).toContain(t.id);

    await hideThread(db(), { threadId: t.id, actorId: people.moderator.id, reason: "spam" });
    for (const cookie of [undefined, people.user.cookie]) {
      expect(await boardIds(cookie)).not.toContain(t.id);
      expect(await searchIds("zebrafinch", cookie)).not.toContain(t.id);
      expect((await profile(people.author.username, cookie)).threads.map((x: { id: number }) => x.id)).not.toContain(t.id);
      expect((await profile(people.answerer.username, cookie)).replies.map((x: { thread_id: number }) => x.thread_id)).not.toContain(t.id);
      expect((await page(t, cookie)).status).toBe(404);
    }
    const homeHidden = await home();
    expect(homeHidden.last_thread_id).not.toBe(t.id);
    expect(homeHidden.thread_count).toBe(homeBefore.thread_count - 1);
    expect(homeHidden.post_count).toBe(homeBefore.post_count - 2);
    // Staff see it everywhere, marked; the author sees the page with the reason.
    expect(await boardIds(people.moderator.cookie)).toContain(t.id);
    expect(await searchIds("zebrafinch", people.admin.cookie)).toContain(t.id);
    expect((await profile(people.author.username, people.moderator.cookie)).threads.map((x: { id: number }) => x.id)).toContain(t.id);
    const own = await page(t, people.author.cookie);
    expect(own.status).toBe(200);
    expect(own.data.thread.hidden_reason).toBe("spam");
    expect(own.data.canReply).toBe(false);

    await call(threadAction, makeRequest(`/t/${t.id}/${t.slug}`, { form: { intent: "mod.unhide" }, cookie: people.moderator.cookie }), { id: String(t.id), slug: t.slug });
    expect(await boardIds()).toContain(t.id);
    expect(await searchIds("zebrafinch")).toContain(t.id);
    expect(await home()).toMatchObject({ last_thread_id: t.id, thread_count: homeBefore.thread_count, post_count: homeBefore.post_count });
  });

  it("a deleted thread is a 404 for everyone but staff (its author too); FAQ candidates skip it", async () => {
    const { t } = await place();
    await markSolved(db(), t.id);
    expect((await listCandidates(db(), {})).map((c) => c.id)).toContain(t.id);
    await softDeleteThread(db(), { threadId: t.id, actorId: people.moderator.id, reason: "scam" });
    expect((await page(t)).status).toBe(404);
    expect((await page(t, people.author.cookie)).status).toBe(404);
    const staff = await page(t, people.moderator.cookie);
    expect(staff.status).toBe(200);
    expect(staff.data.thread.deleted_reason).toBe("scam");
    expect((await listCandidates(db(), {})).map((c) => c.id)).not.toContain(t.id);
  });

  it("a hidden answer: the public gets a notice without its text, the author the reason and text, staff everything; search forgets its words", async () => {
    const { t, answer } = await place();
    expect(await searchIds("okapi")).toContain(t.id);
    await hidePost(db(), { postId: answer.id, actorId: people.moderator.id, reason: "abusive" });
    const pub = await page(t);
    const a = pub.data.answers.find((x: { id: number }) => x.id === answer.id);
    expect(a).toMatchObject({ hidden: true, body_html: "", hidden_reason: null });
    expect(JSON.stringify(pub.data)).not.toContain("Okapi");
    expect(pub.data.thread.reply_count).toBe(0);
    const own = (await page(t, people.answerer.id ? await loginCookie(people.answerer.id) : undefined)).data.answers[0];
    expect(own).toMatchObject({ hidden: true, hidden_reason: "abusive" });
    expect(own.body_html).toContain("Okapi");
    const staff = await page(t, people.moderator.cookie);
    expect(staff.data.canModeratePosts).toBe(true);
    expect(await searchIds("okapi")).not.toContain(t.id);
    expect((await profile(people.answerer.username)).replies.map((x: { id: number }) => x.id)).not.toContain(answer.id);
  });

  it("a deleted answer is not listed for readers, and pages count without it; staff see it marked", async () => {
    const { t, answer } = await place();
    const more = [];
    for (let i = 0; i < 3; i++) more.push(await makeReply(db(), t.id, people.user.id, `第 ${i} 个补充回答，内容足够长。`));
    await softDeletePost(db(), { postId: answer.id, actorId: people.moderator.id, reason: "duplicate answer" });
    for (const qs of ["", "?sort=date"]) {
      const pub = await page(t, undefined, qs);
      expect(pub.data.answers.map((x: { id: number }) => x.id)).toEqual(qs ? more.map((m) => m.id) : expect.arrayContaining(more.map((m) => m.id)));
      expect(pub.data.answers).toHaveLength(3);
      const staff = await page(t, people.admin.cookie, qs);
      expect(staff.data.answers).toHaveLength(4);
      expect(staff.data.answers.find((x: { id: number }) => x.id === answer.id)).toMatchObject({ deleted: true, deleted_reason: "duplicate answer" });
    }
    expect((await threadRow(t.id)).reply_count).toBe(3);
  });

  it("a hidden accepted answer is not 'accepted' for readers (status and timeline agree); staff still see the mark; unhide brings it back", async () => {
    const { t } = await place();
    await markSolved(db(), t.id); // an accepted answer by another account (deposits needs no verification)
    const accepted = (await threadRow(t.id)).accepted_post_id!;
    await hidePost(db(), { postId: accepted, actorId: people.moderator.id, reason: "spam" });
    const pub = await page(t);
    expect(pub.data.thread).toMatchObject({ status: "answered", accepted_post_id: null, accepted_at: null });
    expect((await page(t, people.moderator.cookie)).data.thread.accepted_post_id).toBe(accepted);
    await call(threadAction, makeRequest(`/t/${t.id}/${t.slug}`, { form: { intent: "mod.post.unhide", postId: String(accepted) }, cookie: people.admin.cookie }), { id: String(t.id), slug: t.slug });
    expect((await page(t)).data.thread).toMatchObject({ status: "resolved", accepted_post_id: accepted });
  });

  it("after a reply, readers land on the page their answer is on, counted without deleted answers", async () => {
    const { t, answer } = await place();
    for (let i = 1; i < 30; i++) await makeReply(db(), t.id, people.answerer.id, `回答 ${i}：请检查网络。`);
    await softDeletePost(db(), { postId: answer.id, actorId: people.moderator.id, reason: "spam" });
    const res = await call(threadAction, makeRequest(`/t/${t.id}/${t.slug}`, { form: { body: "第三十一个回答，放在第一页最后。" }, cookie: people.user.cookie }), {
      id: String(t.id),
      slug: t.slug,
    });
    expect(res.status).toBe(302);
    expect(res.location).not.toContain("page=2");
    const last = await page(t, undefined, "?sort=date");
    expect(last.data.pages).toBe(1);
    expect(last.data.answers).toHaveLength(30);
  });

  it("the edit history of hidden or deleted answers is for staff only; their authors cannot edit them", async () => {
    const { answer } = await place();
    const history = (cookie?: string) => call(revisionsLoader, makeRequest(`/p/${answer.id}/revisions`, { cookie }), { id: String(answer.id) });
    const answererCookie = await loginCookie(people.answerer.id);
    expect((await history()).status).toBe(200);
    await hidePost(db(), { postId: answer.id, actorId: people.moderator.id, reason: "spam" });
    expect((await history()).status).toBe(404);
    expect((await history(people.user.cookie)).status).toBe(404);
    expect((await history(people.moderator.cookie)).status).toBe(200);
    expect((await call(editLoader, makeRequest(`/p/${answer.id}/edit`, { cookie: answererCookie }), { id: String(answer.id) })).status).toBe(403);
    await softDeletePost(db(), { postId: answer.id, actorId: people.moderator.id, reason: "spam" });
    expect((await history(answererCookie)).status).toBe(404);
    expect((await call(editLoader, makeRequest(`/p/${answer.id}/edit`, { cookie: answererCookie }), { id: String(answer.id) })).status).toBe(403);
  });

  it("votes and acceptance on hidden content are refused; the recount agrees with every figure", async () => {
    const { t, answer } = await place();
    await hidePost(db(), { postId: answer.id, actorId: people.moderator.id, reason: "spam" });
    await expect(castVote(db(), { userId: people.user.id, postId: answer.id, value: 1 })).rejects.toMatchObject({ code: "notFound" });
    const res = await call(
      threadAction,
      makeRequest(`/t/${t.id}/${t.slug}`, { form: { intent: "accept", postId: String(answer.id) }, cookie: people.author.cookie }),
      { id: String(t.id), slug: t.slug },
    );
    expect(res.status).toBe(400);
    expect((await threadRow(t.id)).accepted_post_id).toBeNull();
    expect(await recountReputation(db())).toEqual([]);
    const n = await sql<{ n: number }>`select count(*)::int as n from audit_log where target_id = ${answer.id} and action = 'post.hide'`.execute(db());
    expect(n.rows[0].n).toBe(1);
  });
});
