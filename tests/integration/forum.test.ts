import { describe, expect, it } from "vitest";
import { action as askAction, loader as askLoader } from "../../app/routes/ask";
import { action as replyAction, loader as threadLoader } from "../../app/routes/t.$id.($slug)/route";
import { action as editAction, loader as editLoader } from "../../app/routes/p.$id.edit";
import { loader as boardLoader } from "../../app/routes/b.$slug._index";
import { loader as homeLoader } from "../../app/routes/_index";
import { loader as profileLoader } from "../../app/routes/u.$username";
import { useTestDb } from "../support/db";
import { call, loginCookie, makeRequest } from "../support/http";
import { makeReply, makeThread, makeUser } from "../support/factories";
import { threadPath } from "../../app/web/paths";

const db = useTestDb();

const question = {
  board: "account",
  title: "忘记密码后如何找回账户？",
  body: "我忘记了登录密码。\n\n```js\nconsole.log('重置')\n```\n\n绑定的邮箱还能收信。",
};

async function postsOf(threadId: number) {
  return db().selectFrom("posts").selectAll().where("thread_id", "=", threadId).orderBy("post_number").execute();
}

describe("opening a thread", () => {
  it("sends a logged-out visitor to log in and back", async () => {
    const res = await call(askLoader, makeRequest("/ask?board=account"));
    expect(res.status).toBe(302);
    expect(res.location).toBe("/login?redirectTo=%2Fask%3Fboard%3Daccount");
    const post = await call(askAction, makeRequest("/ask", { form: question }));
    expect(post.status).toBe(302);
    expect(post.location).toMatch(/^\/login\?redirectTo=/);
  });

  it("creates the thread, its question as post 1 with rendered HTML, and moves the board's counters", async () => {
    const u = await makeUser(db());
    const cookie = await loginCookie(u.id);
    const before = await db().selectFrom("boards").selectAll().where("slug", "=", "account").executeTakeFirstOrThrow();
    const res = await call(askAction, makeRequest("/ask", { form: question, cookie }));
    expect(res.status).toBe(302);
    const [, id, slug] = res.location!.match(/^\/t\/(\d+)\/(.+)$/)!;
    const thread = await db().selectFrom("threads").selectAll().where("id", "=", Number(id)).executeTakeFirstOrThrow();
    expect(thread.title).toBe(question.title);
    expect(thread.status).toBe("open");
    expect(decodeURIComponent(slug)).toBe(thread.slug);
    const posts = await postsOf(thread.id);
    expect(posts).toHaveLength(1);
    expect(posts[0].post_number).toBe(1);
    expect(posts[0].body_html).toContain('<code class="language-js">');
    const after = await db().selectFrom("boards").selectAll().where("slug", "=", "account").executeTakeFirstOrThrow();
    expect(after.thread_count).toBe(before.thread_count + 1);
    expect(after.post_count).toBe(before.post_count + 1);
    expect(after.last_thread_id).toBe(thread.id);
  });

  it.each([
    [{ ...question, title: "" }, "title", "validation.required"],
    [{ ...question, title: "短标题" }, "title", "validation.tooShort"],
    [{ ...question, title: "x".repeat(151) }, "title", "validation.tooLong"],
    [{ ...question, body: "   " }, "body", "validation.required"],
    [{ ...question, body: "太短了" }, "body", "validation.tooShort"],
    [{ ...question, body: "x".repeat(20_001) }, "body", "validation.tooLong"],
    [{ ...question, body: "> ".repeat(200) + "deep quote text" }, "body", "validation.markdownTooDeep"],
    [{ ...question, board: "no-such-board" }, "board", "validation.boardInvalid"],
    [{ ...question, board: "" }, "board", "validation.boardInvalid"],
  ])("refuses bad input with a 400, the text kept and nothing written %#", async (form, field, key) => {
    const u = await makeUser(db());
    const cookie = await loginCookie(u.id);
    const res = await call(askAction, makeRequest("/ask", { form, cookie }));
    expect(res.status).toBe(400);
    expect(res.data.errors[field].key).toBe(key);
    expect(res.data.values.title).toBe(form.title);
    const rows = await db().selectFrom("threads").select("id").where("author_id", "=", u.id).execute();
    expect(rows).toHaveLength(0);
  });

  it("lets only staff open threads on the announcements board", async () => {
    const u = await makeUser(db());
    const res = await call(askAction, makeRequest("/ask", { form: { ...question, board: "announcements" }, cookie: await loginCookie(u.id) }));
    expect(res.status).toBe(403);
    expect(res.data.errors.board.key).toBe("validation.boardStaffOnly");
    expect(await db().selectFrom("threads").select("id").where("author_id", "=", u.id).execute()).toHaveLength(0);
    const mod = await makeUser(db(), { role: "moderator" });
    const ok = await call(askAction, makeRequest("/ask", { form: { ...question, board: "announcements" }, cookie: await loginCookie(mod.id) }));
    expect(ok.status).toBe(302);
  });

  it("creates one thread when the same form is submitted twice", async () => {
    const u = await makeUser(db());
    const cookie = await loginCookie(u.id);
    const form = { ...question, clientToken: crypto.randomUUID() };
    const [a, b] = await Promise.all([
      call(askAction, makeRequest("/ask", { form, cookie })),
      call(askAction, makeRequest("/ask", { form, cookie })),
    ]);
    expect(a.status).toBe(302);
    expect(b.status).toBe(302);
    expect(a.location).toBe(b.location);
    expect(await db().selectFrom("threads").select("id").where("author_id", "=", u.id).execute()).toHaveLength(1);
  });
});

describe("replying", () => {
  it("adds the reply after the question, marks the thread answered and counts it", async () => {
    const asker = await makeUser(db());
    const helper = await makeUser(db());
    const t = await makeThread(db(), asker.id);
    const res = await call(
      replyAction,
      makeRequest(`/t/${t.id}/${t.slug}`, { form: { body: "在登录页点“找回密码”。\n\n- 输入邮箱\n- 打开邮件里的链接" }, cookie: await loginCookie(helper.id) }),
      { id: String(t.id), slug: t.slug },
    );
    expect(res.status).toBe(302);
    expect(res.location).toBe(threadPath(t.id, t.slug, { post: 2 }));
    const posts = await postsOf(t.id);
    expect(posts.map((p) => [p.post_number, p.author_id])).toEqual([
      [1, asker.id],
      [2, helper.id],
    ]);
    expect(posts[1].body_html).toContain("<li>输入邮箱</li>");
    const thread = await db().selectFrom("threads").selectAll().where("id", "=", t.id).executeTakeFirstOrThrow();
    expect(thread.status).toBe("answered");
    expect(thread.reply_count).toBe(1);
    expect(thread.last_post_user_id).toBe(helper.id);
  });

  it("refuses an empty reply with a 400 and writes nothing", async () => {
    const u = await makeUser(db());
    const t = await makeThread(db(), u.id);
    const res = await call(replyAction, makeRequest(`/t/${t.id}/${t.slug}`, { form: { body: "  " }, cookie: await loginCookie(u.id) }), {
      id: String(t.id),
      slug: t.slug,
    });
    expect(res.status).toBe(400);
    expect(await postsOf(t.id)).toHaveLength(1);
  });

  it("refuses answers on a locked thread to members, with a 403", async () => {
    const u = await makeUser(db());
    const t = await makeThread(db(), u.id);
    await db().updateTable("threads").set({ locked: true }).where("id", "=", t.id).execute();
    const res = await call(replyAction, makeRequest(`/t/${t.id}/${t.slug}`, { form: { body: "still answering this" }, cookie: await loginCookie(u.id) }), {
      id: String(t.id),
    });
    expect(res.status).toBe(403);
    expect(await postsOf(t.id)).toHaveLength(1);
  });

  it("sends a logged-out visitor to log in, and 404s a missing thread", async () => {
    const u = await makeUser(db());
    const t = await makeThread(db(), u.id);
    const res = await call(replyAction, makeRequest(`/t/${t.id}/${t.slug}`, { form: { body: "hello there" } }), { id: String(t.id) });
    expect(res.status).toBe(302);
    expect(res.location).toMatch(/^\/login/);
    const missing = await call(threadLoader, makeRequest(`/t/999999/x`), { id: "999999", slug: "x" });
    expect(missing.status).toBe(404);
    const bad = await call(threadLoader, makeRequest(`/t/abc/x`), { id: "abc", slug: "x" });
    expect(bad.status).toBe(404);
  });

  it("numbers concurrent replies without gaps or duplicates", async () => {
    const u = await makeUser(db());
    const t = await makeThread(db(), u.id);
    const others = await Promise.all([0, 1, 2, 3, 4, 5].map(() => makeUser(db())));
    await Promise.all(others.map((o, i) => makeReply(db(), t.id, o.id, `concurrent answer number ${i}`)));
    const posts = await postsOf(t.id);
    expect(posts.map((p) => p.post_number)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const thread = await db().selectFrom("threads").select("reply_count").where("id", "=", t.id).executeTakeFirstOrThrow();
    expect(thread.reply_count).toBe(6);
  });
});

describe("reading", () => {
  it("redirects to the canonical slug and paginates long threads", async () => {
    const u = await makeUser(db());
    const t = await makeThread(db(), u.id);
    const wrong = await call(threadLoader, makeRequest(`/t/${t.id}/wrong`), { id: String(t.id), slug: "wrong" });
    expect(wrong.status).toBe(301);
    expect(wrong.location).toBe(threadPath(t.id, t.slug));
    for (let i = 0; i < 35; i++) await makeReply(db(), t.id, u.id, `answer number ${i + 1}`);
    const p1 = await call(threadLoader, makeRequest(`/t/${t.id}/${t.slug}`), { id: String(t.id), slug: t.slug });
    expect(p1.data.pages).toBe(2);
    expect(p1.data.answers).toHaveLength(30);
    const p2 = await call(threadLoader, makeRequest(`/t/${t.id}/${t.slug}?page=2`), { id: String(t.id), slug: t.slug });
    expect(p2.data.answers).toHaveLength(5);
    expect(p2.data.question.post_number).toBe(1);
    const p3 = await call(threadLoader, makeRequest(`/t/${t.id}/${t.slug}?page=3`), { id: String(t.id), slug: t.slug });
    expect(p3.status).toBe(404);
  });

  it("lists a board's threads pinned first, then by activity, with keyset pages", async () => {
    const u = await makeUser(db());
    const ids: number[] = [];
    for (let i = 0; i < 33; i++) ids.push((await makeThread(db(), u.id, { board: "tips", title: `经验分享第 ${i + 1} 篇:备份助记词的正确方法` })).id);
    await db().updateTable("threads").set({ pinned: true }).where("id", "=", ids[0]).execute();
    const p1 = await call(boardLoader, makeRequest("/b/tips"), { slug: "tips" });
    expect(p1.data.threads[0].id).toBe(ids[0]);
    expect(p1.data.threads[1].id).toBe(ids[32]);
    expect(p1.data.threads).toHaveLength(30);
    expect(p1.data.nextAfter).not.toBeNull();
    const p2 = await call(boardLoader, makeRequest(`/b/tips?after=${p1.data.nextAfter}`), { slug: "tips" });
    const seen = [...p1.data.threads, ...p2.data.threads].map((t: { id: number }) => t.id);
    expect(new Set(seen).size).toBe(33);
    expect(p2.data.nextAfter).toBeNull();
    const missing = await call(boardLoader, makeRequest("/b/nope"), { slug: "nope" });
    expect(missing.status).toBe(404);
  });

  it("shows boards with counts on the home page, and a profile with questions and answers", async () => {
    const u = await makeUser(db(), { username: "profiled" });
    const t = await makeThread(db(), u.id, { board: "security" });
    await makeReply(db(), t.id, u.id, "answering my own question here");
    const home = await call(homeLoader, makeRequest("/"));
    const slugs = home.data.boards.map((b: { slug: string }) => b.slug);
    expect(slugs).toEqual(["account", "deposits", "transactions", "frozen-assets", "security", "tips", "announcements"]);
    const security = home.data.boards.find((b: { slug: string }) => b.slug === "security");
    expect(security.last_thread_id).toBe(t.id);
    const profile = await call(profileLoader, makeRequest("/u/PROFILED"), { username: "PROFILED" });
    expect(profile.data.user.username).toBe("profiled");
    expect(profile.data.counts).toEqual({ threads: 1, replies: 1 });
    expect((await call(profileLoader, makeRequest("/u/ghost"), { username: "ghost" })).status).toBe(404);
  });
});

describe("editing", () => {
  it("lets the author edit the question's title and body, bumping the revision", async () => {
    const u = await makeUser(db());
    const t = await makeThread(db(), u.id);
    const [q] = await postsOf(t.id);
    const cookie = await loginCookie(u.id);
    expect((await call(editLoader, makeRequest(`/p/${q.id}/edit`, { cookie }), { id: String(q.id) })).status).toBe(200);
    const res = await call(
      editAction,
      makeRequest(`/p/${q.id}/edit`, { form: { title: "忘记密码后如何找回账户(已补充)", body: "补充:我用的是安卓版本 3.2。", revision: "1" }, cookie }),
      { id: String(q.id) },
    );
    expect(res.status).toBe(302);
    const [after] = await postsOf(t.id);
    expect(after.revision).toBe(2);
    expect(after.edited_at).not.toBeNull();
    expect(after.body_html).toContain("安卓版本 3.2");
    const thread = await db().selectFrom("threads").select(["title", "slug"]).where("id", "=", t.id).executeTakeFirstOrThrow();
    expect(thread.title).toBe("忘记密码后如何找回账户(已补充)");
    expect(res.location).toBe(threadPath(t.id, thread.slug, { post: 1 }));
  });

  it("refuses someone else's post with a 403 and a stale form with a 409", async () => {
    const author = await makeUser(db());
    const other = await makeUser(db());
    const t = await makeThread(db(), author.id);
    const [q] = await postsOf(t.id);
    const form = { title: "A perfectly fine new title", body: "new body text here", revision: "1" };
    const denied = await call(editAction, makeRequest(`/p/${q.id}/edit`, { form, cookie: await loginCookie(other.id) }), { id: String(q.id) });
    expect(denied.status).toBe(403);
    const cookie = await loginCookie(author.id);
    expect((await call(editAction, makeRequest(`/p/${q.id}/edit`, { form, cookie }), { id: String(q.id) })).status).toBe(302);
    const stale = await call(editAction, makeRequest(`/p/${q.id}/edit`, { form: { ...form, body: "a second edit from an old tab" }, cookie }), {
      id: String(q.id),
    });
    expect(stale.status).toBe(409);
    expect(stale.data.errors._form.key).toBe("validation.editConflict");
    expect(stale.data.values.body).toBe("a second edit from an old tab");
    const [after] = await postsOf(t.id);
    expect(after.body_md).toBe("new body text here");
  });

  it("lets a moderator edit any post", async () => {
    const author = await makeUser(db());
    const mod = await makeUser(db(), { role: "moderator" });
    const t = await makeThread(db(), author.id);
    const r = await makeReply(db(), t.id, author.id, "original answer text");
    const res = await call(editAction, makeRequest(`/p/${r.id}/edit`, { form: { body: "moderated answer text", revision: "1" }, cookie: await loginCookie(mod.id) }), {
      id: String(r.id),
    });
    expect(res.status).toBe(302);
  });
});
