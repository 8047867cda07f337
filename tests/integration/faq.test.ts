import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loader as candidatesLoader } from "../../app/routes/staff.faq.candidates";
import { loader as promoteLoader, action as promoteAction } from "../../app/routes/staff.faq.promote.$threadId";
import { loader as staffFaqLoader, action as staffFaqAction } from "../../app/routes/staff.faq._index";
import { loader as entryStaffLoader, action as entryStaffAction } from "../../app/routes/staff.faq.$id";
import { loader as auditLoader } from "../../app/routes/staff.audit";
import { loader as faqLoader } from "../../app/routes/faq._index";
import { loader as faqEntryLoader, action as faqEntryAction } from "../../app/routes/faq.$slug";
import { loader as officialLoader } from "../../app/routes/official";
import { loader as officialEditLoader, action as officialEditAction } from "../../app/routes/staff.official";
import { loader as threadLoader } from "../../app/routes/t.$id.($slug)/route";
import { loader as beaconLoader } from "../../app/routes/t.$id.view[.]gif";
import { editPost } from "../../app/models/posts.server";
import { setAccepted } from "../../app/models/votes.server";
import { flushViews, pendingViews, recordView, resetViews } from "../../app/models/views.server";
import { searchForum } from "../../app/models/search.server";
import { useTestDb } from "../support/db";
import { call, loginCookie, makeRequest } from "../support/http";
import { boardId, makeReply, makeThread, makeUser } from "../support/factories";

const db = useTestDb();

beforeAll(() => {
  process.env.QUORUM_STAFF_REQUIRE_2FA = "0";
});
afterAll(() => {
  delete process.env.QUORUM_STAFF_REQUIRE_2FA;
});

/** A solved Chinese thread on "account" (no verification needed): answer accepted by the asker. */
async function solvedThread(title = "忘记密码后如何找回账户？", answer = "在登录页点“找回密码”，用绑定的邮箱重置即可。") {
  const asker = await makeUser(db());
  const helper = await makeUser(db());
  const t = await makeThread(db(), asker.id, { title });
  const a = await makeReply(db(), t.id, helper.id, answer);
  await setAccepted(db(), { threadId: t.id, postId: a.id, actorId: asker.id });
  return { t, a, asker, helper };
}

async function actors() {
  const mod = await makeUser(db(), { role: "moderator" });
  const admin = await makeUser(db(), { role: "admin" });
  const user = await makeUser(db());
  return { mod, admin, user, modC: await loginCookie(mod.id), adminC: await loginCookie(admin.id), userC: await loginCookie(user.id) };
}

async function promote(threadId: number, cookie: string, form: Partial<Record<string, string>> = {}) {
  const accountBoard = await boardId(db(), "account");
  return call(
    promoteAction,
    makeRequest(`/staff/faq/promote/${threadId}`, {
      cookie,
      form: { question: "忘记密码后如何找回账户？", answer: "在登录页点“找回密码”，用绑定的邮箱重置即可。", boardId: String(accountBoard), position: "10", intent: "publish", ...form } as Record<string, string>,
    }),
    { threadId: String(threadId) },
  );
}

const auditRows = (action: string, targetId?: number) => {
  let q = db().selectFrom("audit_log").selectAll().where("action", "=", action);
  if (targetId !== undefined) q = q.where("target_id", "=", targetId);
  return q.execute();
};

describe("staff URLs are refused to others", () => {
  it("anonymous → login redirect, users → 403, moderators → admin pages 403", async () => {
    const { t } = await solvedThread("匿名用户不能访问的帖子标题");
    const { userC, modC } = await actors();
    const staffUrls: [any, string, Record<string, string>][] = [
      [candidatesLoader, "/staff/faq/candidates", {}],
      [promoteLoader, `/staff/faq/promote/${t.id}`, { threadId: String(t.id) }],
      [staffFaqLoader, "/staff/faq", {}],
      [auditLoader, "/staff/audit", {}],
      [officialEditLoader, "/staff/official", {}],
    ];
    for (const [loader, url, params] of staffUrls) {
      const anon = await call(loader, makeRequest(url), params);
      expect(anon.status, url).toBe(302);
      const user = await call(loader, makeRequest(url, { cookie: userC }), params);
      expect(user.status, url).toBe(403);
    }
    expect((await call(auditLoader, makeRequest("/staff/audit", { cookie: modC }))).status).toBe(403);
    expect((await call(officialEditLoader, makeRequest("/staff/official", { cookie: modC }))).status).toBe(403);
    const res = await promote(t.id, userC);
    expect(res.status).toBe(403);
    expect(await db().selectFrom("faq_entries").select("id").where("source_thread_id", "=", t.id).execute()).toHaveLength(0);
    const post = await call(staffFaqAction, makeRequest("/staff/faq", { cookie: userC, form: { intent: "delete", entryId: "1" } }));
    expect(post.status).toBe(403);
  });

  it("staff must have two-factor sign-in when required", async () => {
    const modC = await loginCookie((await makeUser(db(), { role: "moderator", twoFactor: false })).id);
    process.env.QUORUM_STAFF_REQUIRE_2FA = "1";
    try {
      const res = await call(staffFaqLoader, makeRequest("/staff/faq", { cookie: modC }));
      expect(res.status).toBe(302);
      expect(res.location).toContain("/settings/security");
    } finally {
      process.env.QUORUM_STAFF_REQUIRE_2FA = "0";
    }
  });
});

describe("candidates and promotion", () => {
  it("ranks solved threads not yet in the FAQ, filters by board, pre-fills the editor", async () => {
    const { modC } = await actors();
    const { t: solved, helper } = await solvedThread("转账一直显示待处理怎么办？", "等待网络确认，通常十分钟内完成。");
    const asker = await makeUser(db());
    const unsolved = await makeThread(db(), asker.id, { title: "没有人回答的问题标题" });
    await db().updateTable("threads").set({ view_count: 500 }).where("id", "=", solved.id).execute();
    const res = await call(candidatesLoader, makeRequest("/staff/faq/candidates", { cookie: modC }));
    expect(res.status).toBe(200);
    const ids = res.data.candidates.map((c: { id: number }) => c.id);
    expect(ids).toContain(solved.id);
    expect(ids).not.toContain(unsolved.id);
    expect(ids[0]).toBe(solved.id); // the most viewed solved thread ranks first
    const other = await call(candidatesLoader, makeRequest("/staff/faq/candidates?board=security", { cookie: modC }));
    expect(other.data.candidates.map((c: { id: number }) => c.id)).not.toContain(solved.id);

    const editor = await call(promoteLoader, makeRequest(`/staff/faq/promote/${solved.id}`, { cookie: modC }), { threadId: String(solved.id) });
    expect(editor.status).toBe(200);
    expect(editor.data.initial.question).toBe("转账一直显示待处理怎么办？");
    expect(editor.data.initial.answer).toBe("等待网络确认，通常十分钟内完成。");
    expect(editor.data.author).toBe(helper.username);
  });

  it("promotes with provenance and an audit row; a thread is promoted only once", async () => {
    const { mod, modC } = await actors();
    const { t, a, helper } = await solvedThread();
    const res = await promote(t.id, modC);
    expect(res.status).toBe(302);
    const e = await db().selectFrom("faq_entries").selectAll().where("source_thread_id", "=", t.id).executeTakeFirstOrThrow();
    expect(res.location).toBe(`/staff/faq/${e.id}?promoted=1`);
    expect(e).toMatchObject({ status: "published", source_post_id: a.id, source_revision: 1, source_author_id: helper.id, source_author_name: helper.username, promoted_by: mod.id, position: 10 });
    expect(e.answer_html).toContain("找回密码");
    expect(await db().selectFrom("faq_revisions").select("revision").where("entry_id", "=", e.id).execute()).toEqual([{ revision: 1 }]);
    const audits = await auditRows("faq.promote", e.id);
    expect(audits).toHaveLength(1);
    expect(audits[0].actor_id).toBe(mod.id);

    // Gone from the candidates; the promote page now leads to the entry; a second promotion is refused.
    const cand = await call(candidatesLoader, makeRequest("/staff/faq/candidates", { cookie: modC }));
    expect(cand.data.candidates.map((c: { id: number }) => c.id)).not.toContain(t.id);
    const again = await call(promoteLoader, makeRequest(`/staff/faq/promote/${t.id}`, { cookie: modC }), { threadId: String(t.id) });
    expect(again.location).toBe(`/staff/faq/${e.id}`);
    const twice = await promote(t.id, modC);
    expect(twice.status).toBe(409);
    expect(await db().selectFrom("faq_entries").select("id").where("source_thread_id", "=", t.id).execute()).toHaveLength(1);
  });

  it("saves a draft (not public), refuses bad input and secrets, keeping the text", async () => {
    const { modC } = await actors();
    const { t } = await solvedThread("草稿条目的标题在这里");
    const bad = await promote(t.id, modC, { question: "", answer: "ok" });
    expect(bad.status).toBe(400);
    expect(bad.data.errors.question).toBeDefined();
    expect(bad.data.values.answer).toBe("ok");
    const secret = await promote(t.id, modC, { answer: "助记词: abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about" });
    expect(secret.status).toBe(422);
    expect(await db().selectFrom("faq_entries").select("id").where("source_thread_id", "=", t.id).execute()).toHaveLength(0);
    const draft = await promote(t.id, modC, { intent: "draft", question: "草稿条目的标题在这里" });
    expect(draft.status).toBe(302);
    const e = await db().selectFrom("faq_entries").selectAll().where("source_thread_id", "=", t.id).executeTakeFirstOrThrow();
    expect(e.status).toBe("draft");
    expect((await call(faqEntryLoader, makeRequest(`/faq/${encodeURIComponent(e.slug)}`), { slug: e.slug })).status).toBe(404);
  });
});

describe("reading", () => {
  it("lists published entries by section with FAQPage data, shows credit, and the thread's banner", async () => {
    const { modC } = await actors();
    const { t, helper } = await solvedThread("如何备份钱包助记词才安全？", "抄在纸上，离线保存，不要拍照。");
    await promote(t.id, modC, { question: "如何备份钱包助记词才安全？", answer: "抄在纸上，离线保存，不要拍照。" });
    const e = await db().selectFrom("faq_entries").selectAll().where("source_thread_id", "=", t.id).executeTakeFirstOrThrow();
    const list = await call(faqLoader, makeRequest("/faq"));
    const section = list.data.sections.find((s: { boardSlug: string }) => s.boardSlug === "account");
    expect(section.entries.map((x: { id: number }) => x.id)).toContain(e.id);
    const page = await call(faqEntryLoader, makeRequest(`/faq/${encodeURIComponent(e.slug)}`), { slug: e.slug });
    expect(page.status).toBe(200);
    expect(page.data.entry.thread_id).toBe(t.id);
    expect(page.data.entry.author_username).toBe(helper.username);
    const thread = await call(threadLoader, makeRequest(`/t/${t.id}/${encodeURIComponent(t.slug)}`), { id: String(t.id), slug: t.slug });
    expect(thread.data.faqSlug).toBe(e.slug);
    expect(thread.data.qaPage.mainEntity.acceptedAnswer.text).toContain("离线保存");

    // A deleted source thread leaves the entry and its credit text.
    await db().deleteFrom("threads").where("id", "=", t.id).execute();
    const after = await db().selectFrom("faq_entries").selectAll().where("id", "=", e.id).executeTakeFirstOrThrow();
    expect(after.source_thread_id).toBeNull();
    expect(after.source_post_id).toBeNull();
    expect(after.source_author_name).toBe(helper.username);
    const gone = await call(faqEntryLoader, makeRequest(`/faq/${encodeURIComponent(e.slug)}`), { slug: e.slug });
    expect(gone.status).toBe(200);
    expect(gone.data.entry.thread_id).toBeNull();
    expect(gone.data.entry.source_author_name).toBe(helper.username);
  });
});

describe("staleness", () => {
  it("flags an edited source with a diff; update from source and mark reviewed clear it, audited", async () => {
    const { mod, modC } = await actors();
    const { t, a, helper, asker } = await solvedThread("提现需要多久到账？", "通常三十分钟内到账。");
    await promote(t.id, modC, { question: "提现需要多久到账？", answer: "通常三十分钟内到账。" });
    const e = await db().selectFrom("faq_entries").selectAll().where("source_thread_id", "=", t.id).executeTakeFirstOrThrow();
    const flag = async () => (await call(staffFaqLoader, makeRequest("/staff/faq", { cookie: modC }))).data.entries.find((x: { id: number }) => x.id === e.id);
    expect((await flag()).source_changed).toBe(false);
    await editPost(db(), { postId: a.id, editorId: helper.id, revision: 1, body: "通常三十分钟内到账，高峰期可能要两小时。" });
    expect((await flag()).source_changed).toBe(true);
    const page = await call(entryStaffLoader, makeRequest(`/staff/faq/${e.id}`, { cookie: modC }), { id: String(e.id) });
    expect(page.data.sourceChanged).toBe(true);
    expect(page.data.diff.some((p: { op: string; text: string }) => p.op === "ins" && p.text.includes("两小时"))).toBe(true);

    const up = await call(entryStaffAction, makeRequest(`/staff/faq/${e.id}`, { cookie: modC, form: { intent: "update" } }), { id: String(e.id) });
    expect(up.status).toBe(302);
    const after = await db().selectFrom("faq_entries").selectAll().where("id", "=", e.id).executeTakeFirstOrThrow();
    expect(after.answer_md).toContain("两小时");
    expect(after.source_revision).toBe(2);
    expect(after.revision).toBe(2);
    expect((await flag()).source_changed).toBe(false);
    expect(await auditRows("faq.update_from_source", e.id)).toHaveLength(1);

    // Another answer becomes the accepted one → flagged; mark reviewed takes the new source as reference.
    const other = await makeReply(db(), t.id, mod.id, "也可以联系官方客服查询进度。");
    await setAccepted(db(), { threadId: t.id, postId: other.id, actorId: asker.id });
    expect((await flag()).source_changed).toBe(true);
    const rev = await call(staffFaqAction, makeRequest("/staff/faq", { cookie: modC, form: { intent: "review", entryId: String(e.id) } }));
    expect(rev.status).toBe(302);
    expect((await flag()).source_changed).toBe(false);
    expect(await auditRows("faq.review", e.id)).toHaveLength(1);

    // Not reviewed for QUORUM_FAQ_STALE_DAYS → stale.
    await db().updateTable("faq_entries").set({ reviewed_at: new Date(Date.now() - 181 * 86400_000) }).where("id", "=", e.id).execute();
    expect((await flag()).stale).toBe(true);
  });
});

describe("feedback", () => {
  it("visitors and users vote once each (changeable), with a comment on No; staff sort by ratio", async () => {
    const { modC, user, userC } = await actors();
    const { t } = await solvedThread("钱包地址可以重复使用吗？", "可以，地址可以多次使用。");
    await promote(t.id, modC, { question: "钱包地址可以重复使用吗？", answer: "可以，地址可以多次使用。" });
    const e = await db().selectFrom("faq_entries").selectAll().where("source_thread_id", "=", t.id).executeTakeFirstOrThrow();
    const url = `/faq/${encodeURIComponent(e.slug)}`;
    const v1 = await call(faqEntryAction, makeRequest(url, { form: { helpful: "no", comment: "没有说明手续费" } }), { slug: e.slug });
    expect(v1.status).toBe(200);
    const cookie = v1.headers.get("Set-Cookie")!.split(";")[0];
    expect(cookie).toMatch(/^quorum_vid=/);
    let row = await db().selectFrom("faq_entries").select(["helpful_yes", "helpful_no"]).where("id", "=", e.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ helpful_yes: 0, helpful_no: 1 });
    // The same visitor changes their mind: still one vote.
    await call(faqEntryAction, makeRequest(url, { cookie, form: { helpful: "yes" } }), { slug: e.slug });
    row = await db().selectFrom("faq_entries").select(["helpful_yes", "helpful_no"]).where("id", "=", e.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ helpful_yes: 1, helpful_no: 0 });
    await call(faqEntryAction, makeRequest(url, { cookie: userC, form: { helpful: "no", comment: "步骤不清楚" } }), { slug: e.slug });
    await call(faqEntryAction, makeRequest(url, { cookie: userC, form: { helpful: "no", comment: "步骤不清楚，需要截图" } }), { slug: e.slug });
    const fb = await db().selectFrom("faq_feedback").selectAll().where("entry_id", "=", e.id).orderBy("id").execute();
    expect(fb).toHaveLength(2);
    expect(fb[1]).toMatchObject({ voter_key: `u:${user.id}`, helpful: false, comment: "步骤不清楚，需要截图" });
    expect(fb[0].comment).toBeNull();
    row = await db().selectFrom("faq_entries").select(["helpful_yes", "helpful_no"]).where("id", "=", e.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ helpful_yes: 1, helpful_no: 1 });
    const long = await call(faqEntryAction, makeRequest(url, { cookie: userC, form: { helpful: "no", comment: "长".repeat(501) } }), { slug: e.slug });
    expect(long.status).toBe(400);
    const mine = await call(faqEntryLoader, makeRequest(url, { cookie: userC }), { slug: e.slug });
    expect(mine.data.mine).toEqual({ helpful: false, comment: "步骤不清楚，需要截图" });
    const staff = await call(staffFaqLoader, makeRequest("/staff/faq?sort=helpful", { cookie: modC }));
    expect(staff.data.entries.find((x: { id: number }) => x.id === e.id).ratio).toBe(0.5);
    const page = await call(entryStaffLoader, makeRequest(`/staff/faq/${e.id}`, { cookie: modC }), { id: String(e.id) });
    expect(page.data.comments.map((c: { comment: string }) => c.comment)).toEqual(["步骤不清楚，需要截图"]);
  });
});

describe("manage", () => {
  it("edits with revisions, reorders, unpublishes, archives and deletes — each audited", async () => {
    const { mod, modC } = await actors();
    const a1 = await solvedThread("第一个排序测试的问题");
    const a2 = await solvedThread("第二个排序测试的问题");
    await promote(a1.t.id, modC, { question: "第一个排序测试的问题", position: "1" });
    await promote(a2.t.id, modC, { question: "第二个排序测试的问题", position: "2" });
    const e1 = await db().selectFrom("faq_entries").selectAll().where("source_thread_id", "=", a1.t.id).executeTakeFirstOrThrow();
    const e2 = await db().selectFrom("faq_entries").selectAll().where("source_thread_id", "=", a2.t.id).executeTakeFirstOrThrow();

    const board = String(e1.board_id);
    const edit = await call(
      entryStaffAction,
      makeRequest(`/staff/faq/${e1.id}`, { cookie: modC, form: { question: "第一个排序测试的问题（已修订）", answer: "新的官方答案文字。", boardId: board, position: "1", intent: "draft" } }),
      { id: String(e1.id) },
    );
    expect(edit.status).toBe(302);
    const after = await db().selectFrom("faq_entries").selectAll().where("id", "=", e1.id).executeTakeFirstOrThrow();
    expect(after).toMatchObject({ question: "第一个排序测试的问题（已修订）", answer_md: "新的官方答案文字。", revision: 2, status: "published" });
    const revs = await db().selectFrom("faq_revisions").select(["revision", "editor_id"]).where("entry_id", "=", e1.id).orderBy("revision").execute();
    expect(revs).toEqual([
      { revision: 1, editor_id: mod.id },
      { revision: 2, editor_id: mod.id },
    ]);
    const secret = await call(
      entryStaffAction,
      makeRequest(`/staff/faq/${e1.id}`, { cookie: modC, form: { question: "问题", answer: "私钥 5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ", boardId: board, position: "1", intent: "draft" } }),
      { id: String(e1.id) },
    );
    expect(secret.status).toBe(422);

    await call(staffFaqAction, makeRequest("/staff/faq", { cookie: modC, form: { intent: "down", entryId: String(e1.id) } }));
    const order = await db().selectFrom("faq_entries").select(["id"]).where("board_id", "=", e1.board_id).orderBy("position").orderBy("id").execute();
    expect(order.map((r) => r.id).indexOf(e2.id)).toBeLessThan(order.map((r) => r.id).indexOf(e1.id));

    await call(staffFaqAction, makeRequest("/staff/faq", { cookie: modC, form: { intent: "unpublish", entryId: String(e2.id) } }));
    expect((await db().selectFrom("faq_entries").select("status").where("id", "=", e2.id).executeTakeFirstOrThrow()).status).toBe("draft");
    await call(staffFaqAction, makeRequest("/staff/faq", { cookie: modC, form: { intent: "archive", entryId: String(e2.id) } }));
    expect((await db().selectFrom("faq_entries").select("status").where("id", "=", e2.id).executeTakeFirstOrThrow()).status).toBe("archived");
    const del = await call(staffFaqAction, makeRequest("/staff/faq", { cookie: modC, form: { intent: "delete", entryId: String(e2.id) } }));
    expect(del.status).toBe(302);
    expect(await db().selectFrom("faq_entries").select("id").where("id", "=", e2.id).execute()).toHaveLength(0);
    const missing = await call(staffFaqAction, makeRequest("/staff/faq", { cookie: modC, form: { intent: "delete", entryId: String(e2.id) } }));
    expect(missing.status).toBe(404);
    for (const action of ["faq.edit", "faq.move", "faq.unpublish", "faq.archive", "faq.delete"]) expect((await auditRows(action)).length, action).toBeGreaterThan(0);
  });
});

describe("audit log and the official page", () => {
  it("admins browse the audit log with a filter; admins edit /official, audited; the warning is fixed", async () => {
    const { admin, adminC } = await actors();
    const save = await call(officialEditAction, makeRequest("/staff/official", { cookie: adminC, form: { body: "- 在线客服：App 内“帮助”\n- 邮箱：support@example.com" } }));
    expect(save.status).toBe(302);
    const page = await call(officialLoader, makeRequest("/official"));
    expect(page.data.html).toContain("support@example.com");
    const log = await call(auditLoader, makeRequest("/staff/audit?action=official.edit", { cookie: adminC }));
    expect(log.status).toBe(200);
    expect(log.data.rows.length).toBeGreaterThan(0);
    expect(log.data.rows.every((r: { action: string }) => r.action === "official.edit")).toBe(true);
    expect(log.data.rows[0].username).toBe(admin.username);
    const refused = await call(officialEditAction, makeRequest("/staff/official", { cookie: adminC, form: { body: "请把你的助记词发给客服：abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about" } }));
    expect(refused.status).toBe(422);
  });
});

describe("view counting", () => {
  it("counts once per visitor per thread per hour, batched into one write", async () => {
    resetViews();
    const u = await makeUser(db());
    const t = await makeThread(db(), u.id, { title: "浏览计数测试的帖子标题" });
    const before = (await db().selectFrom("threads").select("view_count").where("id", "=", t.id).executeTakeFirstOrThrow()).view_count;
    const first = await call(beaconLoader, makeRequest(`/t/${t.id}/view.gif`), { id: String(t.id) });
    expect(first.status).toBe(200);
    const cookie = first.headers.get("Set-Cookie")!.split(";")[0];
    await call(beaconLoader, makeRequest(`/t/${t.id}/view.gif`, { cookie }), { id: String(t.id) });
    await call(beaconLoader, makeRequest(`/t/${t.id}/view.gif`, { cookie }), { id: String(t.id) });
    expect(pendingViews().get(t.id)).toBe(1);
    // No write yet: the count is still in memory.
    expect((await db().selectFrom("threads").select("view_count").where("id", "=", t.id).executeTakeFirstOrThrow()).view_count).toBe(before);
    recordView(t.id, "v:other");
    recordView(t.id, "v:other", Date.now() + 3600_000); // the next hour counts again
    await flushViews(db());
    expect((await db().selectFrom("threads").select("view_count").where("id", "=", t.id).executeTakeFirstOrThrow()).view_count).toBe(before + 3);
    expect(pendingViews().size).toBe(0);
  });
});

describe("search", () => {
  it("finds published FAQ entries first, labelled official; filters by type; suggests them first; opens them", async () => {
    const { modC } = await actors();
    const { t } = await solvedThread("硬件钱包蓝牙配对失败怎么办？", "重启蓝牙后重新配对，并更新固件。");
    await promote(t.id, modC, { question: "硬件钱包蓝牙配对失败怎么办？", answer: "重启蓝牙后重新配对，并更新固件。" });
    const e = await db().selectFrom("faq_entries").selectAll().where("source_thread_id", "=", t.id).executeTakeFirstOrThrow();
    const res = await searchForum(db(), "蓝牙配对");
    expect(res.official.map((h) => h.id)).toContain(e.id);
    expect(res.official[0].type).toBe("faq");
    expect(res.official[0].url).toBe(`/faq/${encodeURIComponent(e.slug)}`);
    const only = await searchForum(db(), "蓝牙配对", { type: "faq" });
    expect(only.hits.every((h) => h.type === "faq")).toBe(true);
    const { suggestSimilar, suggestionTargetUrl } = await import("../../app/models/search.server");
    const sugg = await suggestSimilar(db(), "蓝牙配对失败");
    expect(sugg[0]).toMatchObject({ type: "faq", id: e.id });
    expect(await suggestionTargetUrl(db(), { type: "faq", id: e.id })).toBe(`/faq/${encodeURIComponent(e.slug)}`);
    // Unpublished entries are not found.
    await call(staffFaqAction, makeRequest("/staff/faq", { cookie: modC, form: { intent: "unpublish", entryId: String(e.id) } }));
    expect((await searchForum(db(), "蓝牙配对")).official.map((h) => h.id)).not.toContain(e.id);
  });
});
