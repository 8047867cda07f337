/**
 * Staff powers through the real loaders and actions: every staff action and staff page ×
 * {moderator with 2FA, moderator without 2FA, suspended moderator, admin without 2FA}; and the read
 * rules × {anonymous, user, author, moderator, admin} for hidden, deleted and secret-hidden content.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { action as threadAction, loader as threadLoader } from "../../app/routes/t.$id.($slug)/route";
import { loader as revisionsLoader } from "../../app/routes/p.$id.revisions";
import { loader as editLoader } from "../../app/routes/p.$id.edit";
import { loader as queueLoader, action as queueAction } from "../../app/routes/staff.reports";
import { loader as myReportsLoader } from "../../app/routes/reports";
import { loader as deflectionLoader } from "../../app/routes/staff.deflection";
import { loader as outboxLoader } from "../../app/routes/staff.outbox";
import { loader as candidatesLoader } from "../../app/routes/staff.faq.candidates";
import { loader as staffFaqLoader } from "../../app/routes/staff.faq._index";
import { loader as promoteLoader } from "../../app/routes/staff.faq.promote.$threadId";
import { loader as auditLoader } from "../../app/routes/staff.audit";
import { loader as officialEditLoader } from "../../app/routes/staff.official";
import { loader as profileLoader, action as profileAction } from "../../app/routes/u.$username";
import { loader as searchLoader } from "../../app/routes/search";
import { action as loginAction } from "../../app/routes/login";
import { createReport } from "../../app/models/reports.server";
import { hidePost, hideThread, softDeletePost, softDeleteThread } from "../../app/models/moderation.server";
import { useTestDb } from "../support/db";
import { call, loginCookie, makeRequest } from "../support/http";
import { makeReply, makeThread, makeUser, PASSWORD } from "../support/factories";

const db = useTestDb();

type Staff = "mod2fa" | "modNo2fa" | "suspendedMod" | "adminNo2fa";
const STAFF: Staff[] = ["mod2fa", "modNo2fa", "suspendedMod", "adminNo2fa"];
type Reader = "anonymous" | "user" | "author" | "moderator" | "admin";
const READERS: Reader[] = ["anonymous", "user", "author", "moderator", "admin"];

const who = {} as Record<Staff | Exclude<Reader, "anonymous" | "moderator" | "admin"> | "admin2fa", { id: number; username: string; cookie: string }>;

beforeAll(async () => {
  const make = async (key: keyof typeof who, opts: Parameters<typeof makeUser>[1]) => {
    const u = await makeUser(db(), opts);
    who[key] = { id: u.id, username: u.username, cookie: await loginCookie(u.id) };
  };
  await make("mod2fa", { role: "moderator" });
  await make("modNo2fa", { role: "moderator", twoFactor: false });
  await make("suspendedMod", { role: "moderator" });
  await make("adminNo2fa", { role: "admin", twoFactor: false });
  await make("admin2fa", { role: "admin" });
  await make("user", {});
  await make("author", {});
  await db().updateTable("users").set({ suspended_until: new Date(Date.now() + 86_400_000), suspended_reason: "spam" }).where("id", "=", who.suspendedMod.id).execute();
});

function cookieOf(r: Reader | Staff): string | undefined {
  if (r === "anonymous") return undefined;
  if (r === "moderator") return who.mod2fa.cookie;
  if (r === "admin") return who.admin2fa.cookie;
  return who[r].cookie;
}

async function scene() {
  const t = await makeThread(db(), who.author.id);
  const answer = await makeReply(db(), t.id, who.user.id);
  return { t, answer };
}

const threadCall = (s: Awaited<ReturnType<typeof scene>>, as: Reader | Staff, form?: Record<string, string>) =>
  form
    ? call(threadAction, makeRequest(`/t/${s.t.id}/${s.t.slug}`, { form, cookie: cookieOf(as) }), { id: String(s.t.id), slug: s.t.slug })
    : call(threadLoader, makeRequest(`/t/${s.t.id}/${s.t.slug}`, { cookie: cookieOf(as) }), { id: String(s.t.id), slug: s.t.slug });

/** Only a moderator with 2FA has staff powers; the others are refused — or sent to enrol on staff pages. */
const ALLOWED: Record<Staff, boolean> = { mod2fa: true, modNo2fa: false, suspendedMod: false, adminNo2fa: false };

describe("staff powers need two-factor sign-in (and no suspension)", () => {
  it("a moderator without 2FA cannot lock a thread from the thread page", async () => {
    const s = await scene();
    const res = await threadCall(s, "modNo2fa", { intent: "mod.lock", reason: "Calm down" });
    expect(res.status).toBe(403);
    const row = await db().selectFrom("threads").select("locked").where("id", "=", s.t.id).executeTakeFirstOrThrow();
    expect(row.locked).toBe(false);
  });

  // Each thread-page tool, with what must be true before it (set up through the models' own route).
  const TOOLS: [string, Record<string, string>, string[]][] = [
    ["mod.lock", {}, []],
    ["mod.unlock", {}, ["mod.lock"]],
    ["mod.pin", {}, []],
    ["mod.unpin", {}, ["mod.pin"]],
    ["mod.hide", {}, []],
    ["mod.unhide", {}, ["mod.hide"]],
    ["mod.delete", {}, []],
    ["mod.restore", {}, ["mod.delete"]],
    ["mod.move", { boardId: "" }, []],
    ["mod.duplicate", { target: "" }, []],
    ["mod.reopen", {}, ["mod.duplicate"]],
    ["mod.post.hide", { postId: "" }, []],
    ["mod.post.unhide", { postId: "" }, ["mod.post.hide"]],
    ["mod.post.delete", { postId: "" }, []],
    ["mod.post.restore", { postId: "" }, ["mod.post.delete"]],
  ];

  for (const [intent, extra, before] of TOOLS) {
    it(`${intent} × {moderator with 2FA, without 2FA, suspended, admin without 2FA}`, async () => {
      for (const as of STAFF) {
        const s = await scene();
        const other = await makeThread(db(), who.user.id, { title: "另一个关于找回账户的问题" });
        const security = await db().selectFrom("boards").select("id").where("slug", "=", "security").executeTakeFirstOrThrow();
        const fill = (f: Record<string, string>) => ({
          ...f,
          ...("boardId" in f ? { boardId: String(security.id) } : {}),
          ...("target" in f ? { target: `/t/${other.id}/${other.slug}` } : {}),
          ...("postId" in f ? { postId: String(s.answer.id) } : {}),
        });
        for (const b of before) {
          const prep = TOOLS.find(([i]) => i === b)!;
          expect((await threadCall(s, "mod2fa", { intent: b, reason: "setup", ...fill(prep[1]) })).status).toBe(302);
        }
        const res = await threadCall(s, as, { intent, reason: "A reason", ...fill(extra) });
        expect([as, res.status]).toEqual([as, ALLOWED[as] ? 302 : 403]);
        if (!ALLOWED[as]) expect(res.data.modError.reason).toBe(as === "suspendedMod" ? "suspended" : "staffOnly");
      }
    });
  }

  it("verifying an answer, accepting for the asker, replying to a locked thread", async () => {
    for (const as of STAFF) {
      const t = await makeThread(db(), who.author.id, { board: "security" });
      const answer = await makeReply(db(), t.id, who.user.id);
      const s = { t, answer };
      const verify = await threadCall(s, as, { intent: "verify", postId: String(answer.id) });
      expect([as, "verify", verify.status]).toEqual([as, "verify", ALLOWED[as] ? 302 : 403]);
      const accept = await threadCall(s, as, { intent: "accept", postId: String(answer.id) });
      expect([as, "accept", accept.status]).toEqual([as, "accept", ALLOWED[as] ? 302 : 403]);
      const row = await db().selectFrom("threads").select(["verified_post_id", "accepted_post_id"]).where("id", "=", t.id).executeTakeFirstOrThrow();
      expect(row).toEqual(ALLOWED[as] ? { verified_post_id: answer.id, accepted_post_id: answer.id } : { verified_post_id: null, accepted_post_id: null });
      const locked = await scene();
      expect((await threadCall(locked, "mod2fa", { intent: "mod.lock", reason: "heated" })).status).toBe(302);
      const reply = await threadCall(locked, as, { body: "锁定后仍可以由版主补充说明：请通过官方客服渠道处理。", clientToken: crypto.randomUUID() });
      expect([as, "reply", reply.status]).toEqual([as, "reply", ALLOWED[as] ? 302 : 403]);
    }
  });

  it("the thread page shows staff controls only to those with staff powers", async () => {
    const s = await scene();
    for (const as of STAFF) {
      const page = await threadCall(s, as);
      expect(page.status).toBe(200);
      const controls = { canModerate: page.data.canModerate, canModeratePosts: page.data.canModeratePosts, onBehalf: page.data.onBehalf, staffView: page.data.staffView, canPromote: page.data.canPromote };
      const on = ALLOWED[as];
      expect([as, controls]).toEqual([as, { canModerate: on, canModeratePosts: on, onBehalf: on, staffView: on, canPromote: on }]);
    }
  });

  const STAFF_PAGES: [string, unknown, Record<string, string>, boolean][] = [
    ["/staff/reports", queueLoader, {}, false],
    ["/staff/deflection", deflectionLoader, {}, false],
    ["/staff/faq", staffFaqLoader, {}, false],
    ["/staff/faq/candidates", candidatesLoader, {}, false],
    ["/staff/outbox", outboxLoader, {}, true],
    ["/staff/audit", auditLoader, {}, true],
    ["/staff/official", officialEditLoader, {}, true],
  ];

  it("every staff page × {moderator with 2FA, without 2FA, suspended, admin without 2FA}", async () => {
    const t = await makeThread(db(), who.author.id);
    const pages = [...STAFF_PAGES, [`/staff/faq/promote/${t.id}`, promoteLoader, { threadId: String(t.id) }, false] as const];
    for (const [path, loader, params, adminOnly] of pages) {
      for (const as of STAFF) {
        const res = await call(loader as never, makeRequest(path, { cookie: cookieOf(as) }), params);
        const expected =
          as === "mod2fa" ? (adminOnly ? { status: 403, location: null } : { status: 200, location: null })
          : as === "suspendedMod" ? { status: 403, location: null }
          : { status: 302, location: "/settings/security?required=staff" };
        expect([path, as, { status: res.status, location: res.location }]).toEqual([path, as, expected]);
      }
      // And an admin with 2FA gets every one.
      expect([path, (await call(loader as never, makeRequest(path, { cookie: who.admin2fa.cookie }), params)).status]).toEqual([path, 200]);
    }
  });

  it("deciding reports and suspending from a profile need staff powers", async () => {
    for (const as of STAFF) {
      const s = await scene();
      const reporter = await makeUser(db());
      const { reportId } = await createReport(db(), { reporterId: reporter.id, postId: s.answer.id, reason: "spam", note: null });
      const form = { intent: "dismiss", postId: String(s.answer.id), reportIds: String(reportId) };
      const decide = await call(queueAction, makeRequest("/staff/reports", { cookie: cookieOf(as), form }));
      const open = await db().selectFrom("reports").select("status").where("post_id", "=", s.answer.id).executeTakeFirstOrThrow();
      expect([as, open.status]).toEqual([as, ALLOWED[as] ? "dismissed" : "open"]);
      if (!ALLOWED[as]) expect([as, decide.status]).toEqual([as, as === "suspendedMod" ? 403 : 302]);
      const target = await makeUser(db());
      const suspend = { intent: "suspend", duration: "1", reason: "Spam links" };
      await call(profileAction, makeRequest(`/u/${target.username}`, { cookie: cookieOf(as), form: suspend }), { username: target.username });
      const row = await db().selectFrom("users").select("suspended_until").where("id", "=", target.id).executeTakeFirstOrThrow();
      expect([as, row.suspended_until !== null]).toEqual([as, ALLOWED[as]]);
      const profile = await call(profileLoader, makeRequest(`/u/${target.username}`, { cookie: cookieOf(as) }), { username: target.username });
      expect([as, profile.data.moderation !== null]).toEqual([as, ALLOWED[as]]);
    }
  });

  it("posts carry the staff badge only while their author has staff powers", async () => {
    const t = await makeThread(db(), who.author.id);
    const by = {} as Record<Staff, number>;
    for (const as of STAFF) by[as] = (await makeReply(db(), t.id, who[as].id, `${as} 的回答：请只通过官方渠道联系客服。`)).id;
    const page = await threadCall({ t, answer: { id: by.mod2fa } } as never, "anonymous");
    for (const as of STAFF) {
      const a = page.data.answers.find((x: { id: number }) => x.id === by[as]);
      expect([as, a.author_role]).toEqual([as, ALLOWED[as] ? "moderator" : as === "adminNo2fa" ? "user" : "user"]);
      const profile = await call(profileLoader, makeRequest(`/u/${who[as].username}`), { username: who[as].username });
      expect([as, profile.data.user.badge_role]).toEqual([as, ALLOWED[as] ? "moderator" : "user"]);
    }
  });

  it("a staff member without 2FA is sent to enrol right after logging in; with 2FA to the code step", async () => {
    const noTwoFactor = await call(loginAction, makeRequest("/login", { form: { login: who.modNo2fa.username, password: PASSWORD, redirectTo: "/" } }));
    expect(noTwoFactor.status).toBe(302);
    expect(noTwoFactor.location).toBe("/settings/security?required=staff");
    const admin = await call(loginAction, makeRequest("/login", { form: { login: who.adminNo2fa.username, password: PASSWORD, redirectTo: "/b/account" } }));
    expect(admin.location).toBe("/settings/security?required=staff");
    const withTwoFactor = await call(loginAction, makeRequest("/login", { form: { login: who.mod2fa.username, password: PASSWORD, redirectTo: "/" } }));
    expect(withTwoFactor.location).toMatch(/^\/login\/2fa/);
    const user = await call(loginAction, makeRequest("/login", { form: { login: who.user.username, password: PASSWORD, redirectTo: "/b/account" } }));
    expect(user.location).toBe("/b/account");
  });

  it("with the site's 2FA rule off, the role alone gives staff powers again", async () => {
    process.env.QUORUM_STAFF_REQUIRE_2FA = "0";
    try {
      const s = await scene();
      expect((await threadCall(s, "modNo2fa", { intent: "mod.lock", reason: "Calm down" })).status).toBe(302);
      expect((await threadCall(s, "suspendedMod", { intent: "mod.unlock", reason: "x" })).status).toBe(403);
    } finally {
      delete process.env.QUORUM_STAFF_REQUIRE_2FA;
    }
  });
});

describe("a secret-hidden thread title is shown to nobody", () => {
  async function secretScene() {
    const s = await scene();
    await db().updateTable("threads").set({ hidden_at: new Date(), hidden_reason: "system:secret", slug: "hidden" }).where("id", "=", s.t.id).execute();
    const q = await db().selectFrom("posts").select("id").where("thread_id", "=", s.t.id).where("post_number", "=", 1).executeTakeFirstOrThrow();
    return { ...s, q };
  }

  it("not on the question's revisions page, even for staff", async () => {
    const s = await secretScene();
    const res = await call(revisionsLoader, makeRequest(`/p/${s.q.id}/revisions`, { cookie: who.admin2fa.cookie }), { id: String(s.q.id) });
    if (res.status === 200) {
      expect(res.data.title).toBeNull();
      for (const v of res.data.versions) expect(v.title).toBeNull();
    } else expect(res.status).toBe(404);
  });

  it("not in the report queue", async () => {
    const s = await secretScene();
    const reporter = await makeUser(db());
    await createReport(db(), { reporterId: reporter.id, postId: s.answer.id, reason: "spam", note: null });
    const res = await call(queueLoader, makeRequest("/staff/reports", { cookie: who.mod2fa.cookie }));
    expect(res.status).toBe(200);
    const item = res.data.items.find((i: { postId: number }) => i.postId === s.answer.id);
    expect(item).toBeTruthy();
    expect(item.post.title).toBeNull();
  });
});

describe("read rules × {anonymous, user, author, moderator, admin}", () => {
  type State = "public" | "hidden" | "deleted" | "secret";
  const y = true;
  const n = false;
  // Columns follow READERS: anonymous, user, author, moderator, admin.
  const table: Record<State, { page: boolean[]; title: boolean[]; history: boolean[]; search: boolean[] }> = {
    public: { page: [y, y, y, y, y], title: [y, y, y, y, y], history: [y, y, y, y, y], search: [y, y, y, y, y] },
    hidden: { page: [n, n, y, y, y], title: [n, n, y, y, y], history: [n, n, n, y, y], search: [n, n, n, y, y] },
    deleted: { page: [n, n, n, y, y], title: [n, n, n, y, y], history: [n, n, n, y, y], search: [n, n, n, y, y] },
    secret: { page: [n, n, y, y, y], title: [n, n, n, n, n], history: [n, n, n, y, y], search: [n, n, n, n, n] },
  };
  const token = () => `zq${Math.random().toString(36).slice(2, 8)}`;

  async function threadIn(state: State) {
    const word = token();
    const t = await makeThread(db(), who.author.id, { title: `Wallet sync question ${word} 钱包同步`, board: "deposits" });
    const answerer = await makeUser(db());
    const answer = await makeReply(db(), t.id, answerer.id);
    const by = { actorId: who.mod2fa.id, reason: "spam" };
    if (state === "hidden") await hideThread(db(), { threadId: t.id, ...by });
    if (state === "deleted") await softDeleteThread(db(), { threadId: t.id, ...by });
    if (state === "secret") await db().updateTable("threads").set({ hidden_at: new Date(), hidden_reason: "system:secret" }).where("id", "=", t.id).execute();
    const q = await db().selectFrom("posts").select("id").where("thread_id", "=", t.id).where("post_number", "=", 1).executeTakeFirstOrThrow();
    return { t, answer, q, word };
  }

  for (const state of ["public", "hidden", "deleted", "secret"] as const) {
    it(`a ${state} thread: page, title, the question's history, search`, async () => {
      const s = await threadIn(state);
      const title = (await db().selectFrom("threads").select("title").where("id", "=", s.t.id).executeTakeFirstOrThrow()).title;
      for (const [i, r] of READERS.entries()) {
        const page = await threadCall(s, r);
        expect([state, r, "page", page.status]).toEqual([state, r, "page", table[state].page[i] ? 200 : 404]);
        if (page.status === 200) expect([state, r, "title", page.data.thread.title]).toEqual([state, r, "title", table[state].title[i] ? title : null]);
        const history = await call(revisionsLoader, makeRequest(`/p/${s.q.id}/revisions`, { cookie: cookieOf(r) }), { id: String(s.q.id) });
        expect([state, r, "history", history.status]).toEqual([state, r, "history", table[state].history[i] ? 200 : 404]);
        if (history.status === 200 && state === "secret") {
          expect(history.data.title).toBeNull();
          expect(JSON.stringify(history.data.versions)).not.toContain(s.word);
        }
        const search = await call(searchLoader, makeRequest(`/search?q=${s.word}`, { cookie: cookieOf(r) }));
        const found = (search.data.hits as { id: number }[]).some((h) => h.id === s.t.id);
        expect([state, r, "search", found]).toEqual([state, r, "search", table[state].search[i]]);
      }
    });
  }

  it("the report queue: staff only, and a secret-hidden title or text is masked there too", async () => {
    for (const state of ["hidden", "secret"] as const) {
      const s = await threadIn(state);
      const reporter = await makeUser(db());
      await createReport(db(), { reporterId: reporter.id, postId: s.answer.id, reason: "spam", note: null });
      for (const r of READERS) {
        const res = await call(queueLoader, makeRequest("/staff/reports", { cookie: cookieOf(r) }));
        const staff = r === "moderator" || r === "admin";
        expect([r, res.status]).toEqual([r, r === "anonymous" ? 302 : staff ? 200 : 403]);
        if (!staff) continue;
        const item = res.data.items.find((x: { postId: number }) => x.postId === s.answer.id);
        expect([state, r, item.post.title === null]).toEqual([state, r, state === "secret"]);
      }
      // "My reports" masks the same title the same way.
      const mine = await call(myReportsLoader, makeRequest("/reports", { cookie: await loginCookie(reporter.id) }));
      const row = mine.data.reports.find((x: { post_id: number }) => x.post_id === s.answer.id);
      expect([state, row.title === null]).toEqual([state, state === "secret"]);
    }
  });

  // Posts (answers) in a public thread; "author" wrote the answer.
  const posts: Record<Exclude<State, "public">, { listed: boolean[]; body: boolean[]; reason: boolean[]; history: boolean[] }> = {
    hidden: { listed: [y, y, y, y, y], body: [n, n, y, y, y], reason: [n, n, y, y, y], history: [n, n, n, y, y] },
    deleted: { listed: [n, n, n, y, y], body: [n, n, n, y, y], reason: [n, n, n, y, y], history: [n, n, n, y, y] },
    secret: { listed: [y, y, y, y, y], body: [n, n, n, n, n], reason: [n, n, y, y, y], history: [n, n, n, n, n] },
  };
  for (const state of ["hidden", "deleted", "secret"] as const) {
    it(`a ${state} answer: listed, body, reason, history`, async () => {
      const asker = await makeUser(db());
      const t = await makeThread(db(), asker.id);
      const answer = await makeReply(db(), t.id, who.author.id, "回答正文：请到设置里重新绑定邮箱。");
      const by = { actorId: who.mod2fa.id, reason: "abusive" };
      if (state === "hidden") await hidePost(db(), { postId: answer.id, ...by });
      if (state === "deleted") await softDeletePost(db(), { postId: answer.id, ...by });
      if (state === "secret") await db().updateTable("posts").set({ hidden_at: new Date(), hidden_reason: "system:secret" }).where("id", "=", answer.id).execute();
      for (const [i, r] of READERS.entries()) {
        const page = await threadCall({ t, answer }, r);
        expect(page.status).toBe(200);
        const a = page.data.answers.find((x: { id: number }) => x.id === answer.id);
        expect([state, r, "listed", !!a]).toEqual([state, r, "listed", posts[state].listed[i]]);
        if (a) {
          expect([state, r, "body", a.body_html !== ""]).toEqual([state, r, "body", posts[state].body[i]]);
          const reason = a.hidden_reason ?? a.deleted_reason;
          expect([state, r, "reason", reason !== null]).toEqual([state, r, "reason", posts[state].reason[i]]);
        }
        const history = await call(revisionsLoader, makeRequest(`/p/${answer.id}/revisions`, { cookie: cookieOf(r) }), { id: String(answer.id) });
        expect([state, r, "history", history.status]).toEqual([state, r, "history", posts[state].history[i] ? 200 : 404]);
      }
    });
  }
});
