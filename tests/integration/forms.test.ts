/**
 * One form parser and the guard inside the models: a field sent twice is refused before anything runs,
 * and every text a model stores passes the wallet-safety guard there, whichever route sent it.
 */
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { action as threadAction } from "../../app/routes/t.$id.($slug)/route";
import { action as faqEntryAction } from "../../app/routes/faq.$slug";
import { action as askAction } from "../../app/routes/ask";
import { action as forgotAction } from "../../app/routes/forgot-password";
import { action as localeAction } from "../../app/routes/locale";
import { action as loginAction } from "../../app/routes/login";
import { action as login2faAction } from "../../app/routes/login_.2fa";
import { action as logoutAction } from "../../app/routes/logout";
import { action as editAction } from "../../app/routes/p.$id.edit";
import { action as reportAction } from "../../app/routes/p.$id.report";
import { action as resetAction } from "../../app/routes/reset-password";
import { action as settingsAction } from "../../app/routes/settings._index";
import { action as securityAction } from "../../app/routes/settings.security";
import { action as signupAction } from "../../app/routes/signup";
import { action as staffFaqEntryAction } from "../../app/routes/staff.faq.$id";
import { action as staffFaqAction } from "../../app/routes/staff.faq._index";
import { action as promoteAction } from "../../app/routes/staff.faq.promote.$threadId";
import { action as officialAction } from "../../app/routes/staff.official";
import { action as queueAction } from "../../app/routes/staff.reports";
import { action as profileAction } from "../../app/routes/u.$username";
import { action as verifyAction } from "../../app/routes/verify-email";
import { promoteThread, saveOfficialPage, setFeedback } from "../../app/models/faq.server";
import { createThread } from "../../app/models/threads.server";
import { createReply, editPost } from "../../app/models/posts.server";
import { hidePost, softDeleteThread } from "../../app/models/moderation.server";
import { createReport, suspendUser } from "../../app/models/reports.server";
import { createUser } from "../../app/models/users.server";
import { GuardRefusedError } from "../../app/models/errors";
import { inTransaction } from "../../db/index";
import { useTestDb } from "../support/db";
import { call, loginCookie, makeRequest } from "../support/http";
import { boardId, makeReply, makeThread, makeUser } from "../support/factories";

const db = useTestDb();

// Staff pages ask for two-factor sign-in; these tests are about forms, not that rule.
beforeAll(() => {
  process.env.QUORUM_STAFF_REQUIRE_2FA = "0";
});
afterAll(() => {
  delete process.env.QUORUM_STAFF_REQUIRE_2FA;
});

/** A checksum-valid 12-word recovery phrase (a BIP-39 test vector). */
export const PHRASE = "legal winner thank year wave sausage worth useful legal winner thank yellow";
const PHRASE_WORDS = ["sausage", "useful", "yellow"];

function containsPhrase(payload: unknown): boolean {
  const text = typeof payload === "string" ? payload : JSON.stringify(payload ?? "");
  return PHRASE_WORDS.some((w) => text.includes(w));
}

async function storedAnywhere(): Promise<boolean> {
  const posts = await db().selectFrom("posts").select("body_md").execute();
  const threads = await db().selectFrom("threads").select(["title", "hidden_reason", "deleted_reason"]).execute();
  const posts2 = await db().selectFrom("posts").select(["hidden_reason", "deleted_reason"]).execute();
  const audit = await db().selectFrom("audit_log").selectAll().execute();
  const fb = await db().selectFrom("faq_feedback").select("comment").execute();
  return containsPhrase([posts, threads, posts2, audit, fb]);
}

describe("holes: a repeated field, an unguarded hide reason, an echoed FAQ comment", () => {
  it("a body sent twice (harmless, then a phrase) is a 400 and nothing is stored", async () => {
    const asker = await makeUser(db());
    const helper = await makeUser(db());
    const t = await makeThread(db(), asker.id);
    const before = await db().selectFrom("posts").select("id").where("thread_id", "=", t.id).execute();
    const res = await call(
      threadAction,
      makeRequest(`/t/${t.id}`, { cookie: await loginCookie(helper.id), form: [["body", "harmless answer text"], ["body", PHRASE]] }),
      { id: String(t.id) },
    );
    expect(res.status).toBe(400);
    expect(containsPhrase(res.data)).toBe(false);
    const after = await db().selectFrom("posts").select("id").where("thread_id", "=", t.id).execute();
    expect(after).toHaveLength(before.length);
    expect(await storedAnywhere()).toBe(false);
  });

  it("a moderator's hide reason on the thread page passes the guard: refused, masked, nothing stored", async () => {
    const asker = await makeUser(db());
    const mod = await makeUser(db(), { role: "moderator" });
    const t = await makeThread(db(), asker.id);
    const r = await makeReply(db(), t.id, asker.id, "an answer to hide for a test");
    const res = await call(
      threadAction,
      makeRequest(`/t/${t.id}`, { cookie: await loginCookie(mod.id), form: { intent: "mod.post.hide", postId: String(r.id), reason: `spam ${PHRASE}` } }),
      { id: String(t.id) },
    );
    expect(res.status, JSON.stringify(res)).toBe(422);
    expect(containsPhrase(res.data)).toBe(false);
    const post = await db().selectFrom("posts").select(["hidden_at"]).where("id", "=", r.id).executeTakeFirstOrThrow();
    expect(post.hidden_at).toBeNull();
    expect(await storedAnywhere()).toBe(false);
  });

  it("a FAQ feedback comment holding a phrase is refused and never echoed, even when too long", async () => {
    const asker = await makeUser(db());
    const mod = await makeUser(db(), { role: "moderator" });
    const t = await makeThread(db(), asker.id, { title: "如何备份钱包才安全？" });
    await makeReply(db(), t.id, asker.id, "写在纸上，放在安全的地方。");
    const e = await promoteThread(db(), { threadId: t.id, actorId: mod.id, question: "如何备份钱包才安全？", answerMd: "写在纸上，放在安全的地方。", boardId: await boardId(db()), position: 0, publish: true });
    const slug = (await db().selectFrom("faq_entries").select("slug").where("id", "=", e.id).executeTakeFirstOrThrow()).slug;
    for (const comment of [PHRASE, `${PHRASE} ${"长".repeat(600)}`]) {
      const res = await call(faqEntryAction, makeRequest(`/faq/${slug}`, { form: { helpful: "no", comment } }), { slug });
      expect([400, 422]).toContain(res.status);
      expect(containsPhrase(res.data)).toBe(false);
    }
    expect(await storedAnywhere()).toBe(false);
  });
});

// ───────────────────────── every action, every field sent twice ─────────────────────────

/** Rows in every table: a refused form must leave every count as it was. */
async function rowCounts(): Promise<Record<string, number>> {
  const { rows: tables } = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(db());
  const out: Record<string, number> = {};
  for (const { table_name } of tables) {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table_name)}`.execute(db());
    out[table_name] = Number(rows[0].n);
  }
  return out;
}

type Handler = (args: never) => unknown;
type Case = { name: string; action: Handler; path: string; params?: Record<string, string>; cookie?: string; form: Record<string, string> };

describe("every route action refuses a field sent twice: 400, nothing written", () => {
  const cases: Case[] = [];
  beforeAll(async () => {
    const user = await makeUser(db());
    const other = await makeUser(db());
    const mod = await makeUser(db(), { role: "moderator" });
    const admin = await makeUser(db(), { role: "admin" });
    const userC = await loginCookie(user.id);
    const modC = await loginCookie(mod.id);
    const adminC = await loginCookie(admin.id);
    const t = await makeThread(db(), user.id, { title: "如何设置两步验证才安全？" });
    const q = await db().selectFrom("posts").select("id").where("thread_id", "=", t.id).where("post_number", "=", 1).executeTakeFirstOrThrow();
    const a = await makeReply(db(), t.id, other.id, "在安全设置里打开两步验证即可。");
    const board = String(await boardId(db()));
    const t2 = await makeThread(db(), user.id, { title: "另一个可以提升为常见问题的帖子" });
    await makeReply(db(), t2.id, other.id, "这是一个可以采用的回答。");
    const e = await promoteThread(db(), { threadId: t.id, actorId: mod.id, question: "如何设置两步验证？", answerMd: "在安全设置里打开。", boardId: Number(board), position: 0, publish: true });
    const slug = (await db().selectFrom("faq_entries").select("slug").where("id", "=", e.id).executeTakeFirstOrThrow()).slug;
    const reply = { body: "一个足够长的回答，写给提问的人。", clientToken: crypto.randomUUID() };
    cases.push(
      { name: "ask", action: askAction, path: "/ask", cookie: userC, form: { board: "account", title: "一个足够长的新问题标题", body: "问题的详细说明写在这里。", clientToken: crypto.randomUUID() } },
      { name: "thread: reply", action: threadAction, path: `/t/${t.id}`, params: { id: String(t.id) }, cookie: other.id ? await loginCookie(other.id) : userC, form: reply },
      { name: "thread: vote", action: threadAction, path: `/t/${t.id}`, params: { id: String(t.id) }, cookie: userC, form: { intent: "vote", postId: String(a.id), value: "1" } },
      { name: "thread: accept", action: threadAction, path: `/t/${t.id}`, params: { id: String(t.id) }, cookie: userC, form: { intent: "accept", postId: String(a.id) } },
      { name: "thread: hide a post", action: threadAction, path: `/t/${t.id}`, params: { id: String(t.id) }, cookie: modC, form: { intent: "mod.post.hide", postId: String(a.id), reason: "off topic" } },
      { name: "thread: move", action: threadAction, path: `/t/${t.id}`, params: { id: String(t.id) }, cookie: modC, form: { intent: "mod.move", boardId: board, reason: "wrong board" } },
      { name: "edit", action: editAction, path: `/p/${q.id}/edit`, params: { id: String(q.id) }, cookie: userC, form: { title: "如何设置两步验证才更安全？", body: "修改后的问题说明写在这里。", revision: "1" } },
      { name: "report", action: reportAction, path: `/p/${a.id}/report`, params: { id: String(a.id) }, cookie: userC, form: { reportReason: "spam", note: "looks like an advert" } },
      { name: "faq feedback", action: faqEntryAction, path: `/faq/${slug}`, params: { slug }, form: { helpful: "no", comment: "没有说明手续费" } },
      { name: "promote", action: promoteAction, path: `/staff/faq/promote/${t2.id}`, params: { threadId: String(t2.id) }, cookie: modC, form: { question: "另一个常见问题的标题", answer: "官方答案的文字。", boardId: board, position: "0", intent: "draft" } },
      { name: "faq entry edit", action: staffFaqEntryAction, path: `/staff/faq/${e.id}`, params: { id: String(e.id) }, cookie: modC, form: { question: "如何设置两步验证？（修订）", answer: "新的官方答案。", boardId: board, position: "0", intent: "draft" } },
      { name: "faq list tools", action: staffFaqAction, path: "/staff/faq", cookie: modC, form: { intent: "archive", entryId: String(e.id) } },
      { name: "official page", action: officialAction, path: "/staff/official", cookie: adminC, form: { body: "官方渠道：只有本站。" } },
      { name: "report queue", action: queueAction, path: "/staff/reports", cookie: modC, form: { intent: "hide", postId: String(a.id), reportIds: "1", reason: "spam" } },
      { name: "profile: suspend", action: profileAction, path: `/u/${other.username}`, params: { username: other.username }, cookie: modC, form: { intent: "suspend", reason: "spam", duration: "1" } },
      { name: "signup", action: signupAction, path: "/signup", form: { username: "newperson", email: "newperson@example.com", password: "a long enough password" } },
      { name: "login", action: loginAction, path: "/login", form: { login: user.username, password: "correct horse battery" } },
      { name: "login 2fa", action: login2faAction, path: "/login/2fa", form: { code: "123456", redirectTo: "/" } },
      { name: "logout", action: logoutAction, path: "/logout", cookie: userC, form: { x: "1" } },
      { name: "locale", action: localeAction, path: "/locale", form: { locale: "en", redirectTo: "/" } },
      { name: "forgot password", action: forgotAction, path: "/forgot-password", form: { email: `${user.username}@example.com` } },
      { name: "reset password", action: resetAction, path: "/reset-password", form: { token: "abc", password: "another long password" } },
      { name: "settings: e-mail", action: settingsAction, path: "/settings", cookie: userC, form: { intent: "email", current: "correct horse battery", email: "changed@example.com" } },
      { name: "settings: security", action: securityAction, path: "/settings/security", cookie: userC, form: { intent: "enrol" } },
      { name: "verify e-mail", action: verifyAction, path: "/verify-email", cookie: userC, form: { redirectTo: "/" } },
    );
  });

  it("walks all 21 route actions with each field repeated", async () => {
    const actions = new Set(cases.map((c) => c.action));
    expect(actions.size).toBe(21);
    for (const c of cases) {
      for (const field of Object.keys(c.form)) {
        const before = await rowCounts();
        const pairs: [string, string][] = [];
        for (const [k, v] of Object.entries(c.form)) {
          pairs.push([k, v]);
          if (k === field) pairs.push([k, k === "body" || k === "comment" || k === "note" || k === "reason" ? PHRASE : v]);
        }
        const res = await call(c.action as never, makeRequest(c.path, { cookie: c.cookie, form: pairs }), c.params ?? {});
        expect(res.status, `${c.name}: ${field} twice`).toBe(400);
        expect(res.data?.message, `${c.name}: ${field} twice`).toBe("duplicateField");
        expect(containsPhrase(res.data)).toBe(false);
        expect(await rowCounts(), `${c.name}: ${field} twice wrote a row`).toEqual(before);
      }
    }
    // The same forms with each field once get past the parser (whatever the action then answers).
    for (const c of cases) {
      const res = await call(c.action as never, makeRequest(c.path, { cookie: c.cookie, form: c.form }), c.params ?? {});
      expect(res.data?.message, c.name).not.toBe("duplicateField");
      expect(res.status, c.name).toBeLessThan(500);
    }
  });

  it("control characters and bytes that are not UTF-8 are a 400 before anything runs", async () => {
    const u = await makeUser(db());
    const cookie = await loginCookie(u.id);
    const before = await rowCounts();
    const form = { board: "account", title: "一个足够长的新问题标题", body: "问题的详细说明写在这里。" };
    for (const bad of ["a\u0000b", "a\u0007b", "a\u001bb", "a\u007fb", "a\u0085b"]) {
      const res = await call(askAction, makeRequest("/ask", { cookie, form: { ...form, body: form.body + bad } }));
      expect(res.status).toBe(400);
      expect(res.data.message).toBe("controlCharacter");
      expect(res.data.field).toBe("body");
    }
    const invalid = await call(askAction, makeRequest("/ask", { cookie, body: "board=account&title=%E4%B8%80%E4%B8%AA%E8%B6%B3%E5%A4%9F%E9%95%BF%E7%9A%84%E6%A0%87%E9%A2%98&body=%FF%FE%E4" }));
    expect(invalid.status).toBe(400);
    expect(invalid.data.message).toBe("invalidEncoding");
    expect(await rowCounts()).toEqual(before);
    // Line breaks and tabs are text; raw UTF-8 (curl -d) reads the same as percent-encoded.
    const ok = await call(askAction, makeRequest("/ask", { cookie, body: `board=account&title=${"一个足够长的新问题标题"}&body=${encodeURIComponent("第一行\r\n\t第二行的说明")}` }));
    expect(ok.status).toBe(302);
    const post = await db().selectFrom("posts").select("body_md").where("author_id", "=", u.id).executeTakeFirstOrThrow();
    expect(post.body_md).toBe("第一行\r\n\t第二行的说明");
  });

  it("ids are ranges: a 20-digit id in a form or a URL is a 4xx, never a 500", async () => {
    const u = await makeUser(db());
    const mod = await makeUser(db(), { role: "moderator" });
    const modC = await loginCookie(mod.id);
    const t = await makeThread(db(), u.id, { title: "一个用来测试编号范围的帖子" });
    await makeReply(db(), t.id, mod.id, "一个回答，用来提升为常见问题。");
    const huge = "99999999999999999999";
    const tries = [
      await call(threadAction, makeRequest(`/t/${huge}`, { cookie: modC, form: { body: "一个足够长的回答。" } }), { id: huge }),
      await call(threadAction, makeRequest(`/t/${t.id}`, { cookie: modC, form: { intent: "vote", postId: huge, value: "1" } }), { id: String(t.id) }),
      await call(threadAction, makeRequest(`/t/${t.id}`, { cookie: modC, form: { intent: "mod.move", boardId: huge, reason: "x" } }), { id: String(t.id) }),
      await call(threadAction, makeRequest(`/t/${t.id}`, { cookie: modC, form: { intent: "mod.post.hide", postId: huge, reason: "x" } }), { id: String(t.id) }),
      await call(editAction, makeRequest(`/p/${huge}/edit`, { cookie: modC, form: { body: "x", revision: "1" } }), { id: huge }),
      await call(reportAction, makeRequest(`/p/${huge}/report`, { cookie: modC, form: { reportReason: "spam" } }), { id: huge }),
      await call(queueAction, makeRequest("/staff/reports", { cookie: modC, form: { intent: "dismiss", postId: huge, reportIds: huge } })),
      await call(promoteAction, makeRequest(`/staff/faq/promote/${t.id}`, { cookie: modC, form: { question: "一个常见问题的标题", answer: "官方答案的文字。", boardId: huge, position: "0" } }), { threadId: String(t.id) }),
      await call(promoteAction, makeRequest(`/staff/faq/promote/${t.id}`, { cookie: modC, form: { question: "一个常见问题的标题", answer: "官方答案的文字。", boardId: "1", position: huge } }), { threadId: String(t.id) }),
      await call(staffFaqAction, makeRequest("/staff/faq", { cookie: modC, form: { intent: "archive", entryId: huge } })),
      await call(staffFaqEntryAction, makeRequest(`/staff/faq/${huge}`, { cookie: modC, form: { intent: "review" } }), { id: huge }),
    ];
    for (const [i, r] of tries.entries()) {
      expect(r.status, `try ${i}: ${r.location} ${JSON.stringify(r.data).slice(0, 200)}`).toBeGreaterThanOrEqual(400);
      expect(r.status, `try ${i}`).toBeLessThan(500);
    }
  });
});

// ───────────────────────── the guard lives in the models ─────────────────────────

describe("model functions that store text run the guard themselves", () => {
  it("every storing function refuses a phrase with GuardRefusedError, carrying only masked text", async () => {
    const u = await makeUser(db());
    const mod = await makeUser(db(), { role: "moderator" });
    const t = await makeThread(db(), u.id, { title: "一个用来测试模型守卫的帖子" });
    const q = await db().selectFrom("posts").select("id").where("thread_id", "=", t.id).executeTakeFirstOrThrow();
    const a = await makeReply(db(), t.id, mod.id, "一个普通的回答。");
    const board = await boardId(db());
    const actor = { id: mod.id, role: "moderator" as const, suspended_until: null, email_verified_at: new Date() };
    const before = await rowCounts();
    const attempts: [string, () => Promise<unknown>][] = [
      ["createThread title", () => createThread(db(), { boardId: board, authorId: u.id, title: PHRASE, body: "正文写在这里。" })],
      ["createThread body", () => createThread(db(), { boardId: board, authorId: u.id, title: "一个足够长的标题", body: PHRASE })],
      ["createReply", () => createReply(db(), { threadId: t.id, authorId: u.id, body: `my words: ${PHRASE}` })],
      ["editPost", () => editPost(db(), { postId: q.id, editorId: u.id, title: "一个足够长的标题", body: PHRASE, revision: 1 })],
      ["hidePost reason", () => hidePost(db(), { postId: a.id, actorId: mod.id, reason: PHRASE })],
      ["softDeleteThread reason", () => softDeleteThread(db(), { threadId: t.id, actorId: mod.id, reason: PHRASE })],
      ["createReport note", () => createReport(db(), { reporterId: u.id, postId: a.id, reason: "spam", note: PHRASE })],
      ["suspendUser reason", () => suspendUser(db(), { actor: actor as never, userId: u.id, until: new Date(Date.now() + 86_400_000), reason: PHRASE })],
      ["promoteThread answer", () => promoteThread(db(), { threadId: t.id, actorId: mod.id, question: "一个常见问题", answerMd: PHRASE, boardId: board, position: 0, publish: false })],
      ["setFeedback comment", () => setFeedback(db(), { entryId: 1, voterKey: "v:x", helpful: false, comment: PHRASE })],
      ["saveOfficialPage", () => saveOfficialPage(db(), { bodyMd: PHRASE, actorId: mod.id })],
      ["createUser", () => createUser(db(), { username: PHRASE, email: "p@example.com", password: "a long enough password" })],
    ];
    for (const [name, run] of attempts) {
      const error = await run().then(() => null, (e: unknown) => e);
      expect(error, name).toBeInstanceOf(GuardRefusedError);
      const refused = error as GuardRefusedError;
      expect(refused.status, name).toBe(422);
      expect(refused.message, name).toBe("unsafeText");
      expect(containsPhrase(refused.refusal.values), name).toBe(false);
    }
    expect(await rowCounts()).toEqual(before);
  });

  it("writes compose in a caller's transaction: a thread and its answer roll back together", async () => {
    const u = await makeUser(db());
    const board = await boardId(db());
    const before = await rowCounts();
    const failed = await inTransaction(db(), async (trx) => {
      const t = await createThread(trx, { boardId: board, authorId: u.id, title: "一起回滚的帖子标题", body: "正文写在这里。" });
      await createReply(trx, { threadId: t.id, authorId: u.id, body: "同一个事务里的回答。" });
      throw new Error("rollback");
    }).then(() => false, () => true);
    expect(failed).toBe(true);
    expect(await rowCounts()).toEqual(before);
    const kept = await inTransaction(db(), async (trx) => {
      const t = await createThread(trx, { boardId: board, authorId: u.id, title: "一起提交的帖子标题", body: "正文写在这里。" });
      await createReply(trx, { threadId: t.id, authorId: u.id, body: "同一个事务里的回答。" });
      return t;
    });
    const posts = await db().selectFrom("posts").select("id").where("thread_id", "=", kept.id).execute();
    expect(posts).toHaveLength(2);
  });
});
