import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loader as reportLoader, action as reportAction } from "../../app/routes/p.$id.report";
import { loader as myReportsLoader } from "../../app/routes/reports";
import { loader as queueLoader, action as queueAction } from "../../app/routes/staff.reports";
import { loader as profileLoader, action as profileAction } from "../../app/routes/u.$username";
import { loader as threadLoader, action as threadAction } from "../../app/routes/t.$id.($slug)/route";
import { loader as editLoader } from "../../app/routes/p.$id.edit";
import { action as askAction } from "../../app/routes/ask";
import { action as loginAction } from "../../app/routes/login";
import { loader as rootLoader } from "../../app/root";
import { createReport, listQueue } from "../../app/models/reports.server";
import { countQueries } from "../../app/db.server";
import { useTestDb } from "../support/db";
import { call, loginCookie, makeRequest } from "../support/http";
import { makeReply, makeThread, makeUser, PASSWORD } from "../support/factories";

const db = useTestDb();
const DAY = 86_400_000;
// A valid BIP-39 phrase: the guard must refuse it in a note or a moderator's reason.
const PHRASE = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

beforeAll(() => {
  process.env.QUORUM_STAFF_REQUIRE_2FA = "0";
});
afterAll(() => {
  delete process.env.QUORUM_STAFF_REQUIRE_2FA;
});

type U = Awaited<ReturnType<typeof makeUser>>;

/** An account that counts for the auto-hide: two days old, reputation 21. */
async function established(u: U): Promise<U> {
  await db()
    .updateTable("users")
    .set({ created_at: new Date(Date.now() - 2 * DAY), reputation_raw: 20, reputation: 21 })
    .where("id", "=", u.id)
    .execute();
  return u;
}

async function suspend(u: U, ms = DAY, reason = "spam links") {
  await db().updateTable("users").set({ suspended_until: new Date(Date.now() + ms), suspended_reason: reason }).where("id", "=", u.id).execute();
}

/** A thread with an answer by `author`; returns the answer (the post reported in most tests). */
async function scene() {
  const asker = await makeUser(db());
  const author = await makeUser(db());
  const t = await makeThread(db(), asker.id, { title: "举报测试：转账一直没到账怎么办" });
  const post = await makeReply(db(), t.id, author.id, "Send 1 BTC to my address and I will double it.");
  return { asker, author, t, post };
}

async function roles() {
  const user = await makeUser(db());
  const mod = await makeUser(db(), { role: "moderator" });
  const admin = await makeUser(db(), { role: "admin" });
  const suspended = await makeUser(db());
  await suspend(suspended);
  return {
    user,
    mod,
    admin,
    suspended,
    c: {
      user: await loginCookie(user.id),
      mod: await loginCookie(mod.id),
      admin: await loginCookie(admin.id),
      suspended: await loginCookie(suspended.id),
    },
  };
}

const report = (postId: number, cookie: string | undefined, form: Record<string, string> = { reportReason: "spam" }) =>
  call(reportAction, makeRequest(`/p/${postId}/report`, { form, cookie }), { id: String(postId) });

const reportsOf = (postId: number) => db().selectFrom("reports").selectAll().where("post_id", "=", postId).orderBy("id").execute();
const postRow = (id: number) => db().selectFrom("posts").select(["hidden_at", "hidden_reason"]).where("id", "=", id).executeTakeFirstOrThrow();
const userRow = (id: number) => db().selectFrom("users").select(["suspended_until", "suspended_reason"]).where("id", "=", id).executeTakeFirstOrThrow();
const auditRows = (action: string, targetId: number) =>
  db().selectFrom("audit_log").selectAll().where("action", "=", action).where("target_id", "=", targetId).orderBy("id").execute();

describe("reporting a post: every role", () => {
  it("anonymous → sent to log in and back to the form; nothing written", async () => {
    const { post } = await scene();
    const res = await report(post.id, undefined);
    expect(res.status).toBe(302);
    expect(res.location).toBe(`/login?redirectTo=${encodeURIComponent(`/p/${post.id}/report`)}`);
    const page = await call(reportLoader, makeRequest(`/p/${post.id}/report`), { id: String(post.id) });
    expect(page.status).toBe(302);
    expect(await reportsOf(post.id)).toHaveLength(0);
  });

  it("a user reports with a reason and a note → one open report, and sees it on My reports", async () => {
    const { post } = await scene();
    const { user, c } = await roles();
    const res = await report(post.id, c.user, { reportReason: "scam_phishing", note: "  Asks people to send coins  " });
    expect(res.status).toBe(302);
    const rows = await reportsOf(post.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ reporter_id: user.id, reason: "scam_phishing", note: "Asks people to send coins", status: "open", outcome: null, resolved_by: null });
    expect(res.location).toBe(`/reports?new=${rows[0].id}`);
    const mine = await call(myReportsLoader, makeRequest(`/reports?new=${rows[0].id}`, { cookie: c.user }));
    expect(mine.data.justSent).toBe(rows[0].id);
    expect(mine.data.reports).toHaveLength(1);
    expect(mine.data.reports[0]).toMatchObject({ status: "open", outcome: null, reason: "scam_phishing" });
    expect(mine.data.reports[0].path).toContain(`#post-${2}`);
    // Logged out, My reports sends to log in.
    expect((await call(myReportsLoader, makeRequest("/reports"))).status).toBe(302);
  });

  it("the author cannot report their own post (403, no row)", async () => {
    const { post, author } = await scene();
    const res = await report(post.id, await loginCookie(author.id));
    expect(res.status).toBe(403);
    expect(res.data.errors._form.key).toBe("reports:errors.ownPost");
    expect(await reportsOf(post.id)).toHaveLength(0);
    const page = await call(reportLoader, makeRequest(`/p/${post.id}/report`, { cookie: await loginCookie(author.id) }), { id: String(post.id) });
    expect(page.data.denied).toBe("ownPost");
  });

  it("moderators and admins may report too", async () => {
    const { post } = await scene();
    const { mod, admin, c } = await roles();
    expect((await report(post.id, c.mod)).status).toBe(302);
    expect((await report(post.id, c.admin, { reportReason: "off_topic" })).status).toBe(302);
    expect((await reportsOf(post.id)).map((r) => r.reporter_id)).toEqual([mod.id, admin.id]);
  });

  it("a suspended user and an unverified user are refused (403, no row)", async () => {
    const { post } = await scene();
    const { c } = await roles();
    const s = await report(post.id, c.suspended);
    expect(s.status).toBe(403);
    expect(s.data.errors._form.key).toBe("reports:errors.suspended");
    const unverified = await makeUser(db(), { verified: false });
    const u = await report(post.id, await loginCookie(unverified.id));
    expect(u.status).toBe(403);
    expect(u.data.errors._form.key).toBe("reports:errors.emailUnverified");
    expect(await reportsOf(post.id)).toHaveLength(0);
  });

  it("bad input: no reason, a note too long, a note holding a recovery phrase (masked, nothing stored)", async () => {
    const { post } = await scene();
    const { c } = await roles();
    const none = await report(post.id, c.user, { note: "hi" });
    expect(none.status).toBe(400);
    expect(none.data.errors.reportReason.key).toBe("reports:errors.reasonRequired");
    const bogus = await report(post.id, c.user, { reportReason: "nonsense" });
    expect(bogus.status).toBe(400);
    const long = await report(post.id, c.user, { reportReason: "other", note: "x".repeat(501) });
    expect(long.status).toBe(400);
    expect(long.data.errors.note.key).toBe("reports:errors.noteTooLong");
    const secret = await report(post.id, c.user, { reportReason: "other", note: PHRASE });
    expect(secret.status).toBe(422);
    expect(JSON.stringify(secret.data)).not.toContain("abandon about");
    expect(await reportsOf(post.id)).toHaveLength(0);
  });

  it("a double submit answers 409 and 20 parallel reports leave ONE open report", async () => {
    const { post } = await scene();
    const { user, c } = await roles();
    expect((await report(post.id, c.user)).status).toBe(302);
    const again = await report(post.id, c.user);
    expect(again.status).toBe(409);
    expect(again.data.errors._form.key).toBe("reports:errors.alreadyReported");
    const other = await makeUser(db());
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => createReport(db(), { reporterId: other.id, postId: post.id, reason: "spam", note: null })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rows = await reportsOf(post.id);
    expect(rows.filter((r) => r.reporter_id === user.id)).toHaveLength(1);
    expect(rows.filter((r) => r.reporter_id === other.id)).toHaveLength(1);
  });

  it("a deleted post cannot be reported; reports per user are rate limited (429, the form keeps its text)", async () => {
    const { post, t } = await scene();
    const { c } = await roles();
    await db().updateTable("posts").set({ deleted_at: new Date(), deleted_reason: "gone" }).where("id", "=", post.id).execute();
    expect((await report(post.id, c.user)).status).toBe(404);
    process.env.QUORUM_RATE_LIMIT_REPORT_PER_USER = "2/3600";
    try {
      const reporter = await loginCookie((await makeUser(db())).id);
      const posts = [];
      for (let i = 0; i < 3; i++) posts.push(await makeReply(db(), t.id, (await makeUser(db())).id, `Another answer number ${i} to report.`));
      expect((await report(posts[0].id, reporter)).status).toBe(302);
      // A refused report (already reported) costs nothing.
      expect((await report(posts[0].id, reporter)).status).toBe(409);
      expect((await report(posts[1].id, reporter)).status).toBe(302);
      const limited = await report(posts[2].id, reporter, { reportReason: "other", note: "keep this text" });
      expect(limited.status).toBe(429);
      expect(limited.data.values.note).toBe("keep this text");
      expect(limited.headers.get("Retry-After")).toMatch(/^\d+$/);
      expect(await reportsOf(posts[2].id)).toHaveLength(0);
    } finally {
      delete process.env.QUORUM_RATE_LIMIT_REPORT_PER_USER;
    }
  });

  it("the thread page offers the form to those the policy allows", async () => {
    const { post, author, t } = await scene();
    const { c } = await roles();
    const load = (cookie?: string) => call(threadLoader, makeRequest(`/t/${t.id}/${t.slug}`, { cookie }), { id: String(t.id), slug: t.slug });
    const answer = (d: any) => d.answers.find((a: any) => a.id === post.id);
    expect(answer((await load(c.user)).data).canReport).toBe(true);
    expect(answer((await load(await loginCookie(author.id))).data).canReport).toBe(false);
    expect(answer((await load(c.suspended)).data).canReport).toBe(false);
    expect(answer((await load()).data).canReport).toBe(false);
  });
});

describe("auto-hide", () => {
  it("hiding goes through the moderation tools: the reply count drops and comes back on dismiss; a reported question hides its thread", async () => {
    const { post, t } = await scene();
    const count = async () => (await db().selectFrom("threads").select(["reply_count", "hidden_reason"]).where("id", "=", t.id).executeTakeFirstOrThrow());
    expect((await count()).reply_count).toBe(1);
    await report(post.id, await loginCookie((await makeUser(db())).id), { reportReason: "exposed_secret" });
    expect((await count()).reply_count).toBe(0);
    const mod = await makeUser(db(), { role: "moderator" });
    const item = await queueItem(await loginCookie(mod.id), post.id);
    await decide(await loginCookie(mod.id), { intent: "dismiss", postId: String(post.id), reportIds: item.reportIds.join(",") });
    expect((await count()).reply_count).toBe(1);
    expect(await auditRows("post.unhide", post.id)).toHaveLength(1);

    const question = await db().selectFrom("posts").select("id").where("thread_id", "=", t.id).where("post_number", "=", 1).executeTakeFirstOrThrow();
    await report(question.id, await loginCookie((await makeUser(db())).id), { reportReason: "exposed_secret" });
    expect((await count()).hidden_reason).toBe("system:reports");
    expect((await call(threadLoader, makeRequest(`/t/${t.id}/${t.slug}`), { id: String(t.id), slug: t.slug })).status).toBe(404);
    expect((await queueItem(await loginCookie(mod.id), question.id)).post.hiddenReason).toBe("system:reports");
  });


  it("hides a post reported by 3 distinct established users, not by new accounts; one transaction with an audit row", async () => {
    const { post, t, author } = await scene();
    // Two new accounts and two established ones: not enough.
    for (const u of [await makeUser(db()), await makeUser(db()), await established(await makeUser(db())), await established(await makeUser(db()))]) {
      expect((await report(post.id, await loginCookie(u.id))).status).toBe(302);
    }
    expect((await postRow(post.id)).hidden_at).toBeNull();
    const third = await established(await makeUser(db()));
    const res = await report(post.id, await loginCookie(third.id), { reportReason: "abusive" });
    expect(res.location).toMatch(/&hidden=1$/);
    const row = await postRow(post.id);
    expect(row.hidden_at).not.toBeNull();
    expect(row.hidden_reason).toBe("system:reports");
    const audits = await auditRows("post.auto_hide", post.id);
    expect(audits).toHaveLength(1);
    expect(audits[0].actor_id).toBeNull();
    expect(audits[0].details).toMatchObject({ trigger: "threshold", reporters: 3 });
    // The public sees a notice in its place, never the text.
    const page = await call(threadLoader, makeRequest(`/t/${t.id}/${t.slug}`), { id: String(t.id), slug: t.slug });
    const shown = page.data.answers.find((a: any) => a.id === post.id);
    expect(shown.hidden).toBe(true);
    expect(shown.body_html).toBe("");
    // The author sees why.
    const mine = await call(threadLoader, makeRequest(`/t/${t.id}/${t.slug}`, { cookie: await loginCookie(author.id) }), { id: String(t.id), slug: t.slug });
    expect(mine.data.answers.find((a: any) => a.id === post.id).hidden_reason).toBe("system:reports");
  });

  it("the threshold and 'established' come from the environment", async () => {
    process.env.QUORUM_REPORT_HIDE_THRESHOLD = "1";
    process.env.QUORUM_REPORT_MIN_REPUTATION = "1";
    process.env.QUORUM_REPORT_MIN_AGE_HOURS = "0";
    try {
      const { post } = await scene();
      const fresh = await makeUser(db());
      await report(post.id, await loginCookie(fresh.id));
      expect((await postRow(post.id)).hidden_reason).toBe("system:reports");
    } finally {
      delete process.env.QUORUM_REPORT_HIDE_THRESHOLD;
      delete process.env.QUORUM_REPORT_MIN_REPUTATION;
      delete process.env.QUORUM_REPORT_MIN_AGE_HOURS;
    }
  });

  it("ONE exposed-secret report by any verified user hides the post at once", async () => {
    const { post } = await scene();
    const fresh = await makeUser(db());
    const res = await report(post.id, await loginCookie(fresh.id), { reportReason: "exposed_secret" });
    expect(res.status).toBe(302);
    expect((await postRow(post.id)).hidden_reason).toBe("system:reports");
    expect((await auditRows("post.auto_hide", post.id))[0].details).toMatchObject({ trigger: "exposed_secret" });
  });
});

/** Reports on a fresh post by n users; returns the post and the reporters. */
async function reported(n = 2, reason = "spam") {
  const s = await scene();
  const reporters: U[] = [];
  for (let i = 0; i < n; i++) {
    const u = await makeUser(db());
    reporters.push(u);
    await createReport(db(), { reporterId: u.id, postId: s.post.id, reason: reason as "spam", note: i === 0 ? "fake giveaway" : null });
  }
  return { ...s, reporters };
}

async function queueItem(cookie: string, postId: number) {
  const res = await call(queueLoader, makeRequest("/staff/reports", { cookie }));
  expect(res.status).toBe(200);
  return res.data.items.find((i: any) => i.postId === postId);
}

const decide = (cookie: string | undefined, form: Record<string, string>) => call(queueAction, makeRequest("/staff/reports", { form, cookie }));

describe("the moderator queue", () => {
  it("is staff only: anonymous → login, user and suspended user → 403", async () => {
    const { c } = await roles();
    expect((await call(queueLoader, makeRequest("/staff/reports"))).status).toBe(302);
    expect((await call(queueLoader, makeRequest("/staff/reports", { cookie: c.user }))).status).toBe(403);
    expect((await call(queueLoader, makeRequest("/staff/reports", { cookie: c.suspended }))).status).toBe(403);
    const { post, reporters } = await reported(1);
    const item = await queueItem(c.mod, post.id);
    for (const cookie of [undefined, c.user, c.suspended]) {
      const res = await decide(cookie, { intent: "dismiss", postId: String(post.id), reportIds: item.reportIds.join(",") });
      expect(res.status).toBe(cookie ? 403 : 302);
    }
    expect((await reportsOf(post.id)).every((r) => r.status === "open" && r.reporter_id === reporters[0].id)).toBe(true);
  });

  it("refuses a suspended moderator: the queue and its decisions answer 403 and change nothing", async () => {
    const { mod, c } = await roles();
    const { post } = await reported(1);
    const item = await queueItem(c.mod, post.id);
    await suspend(mod);
    expect((await call(queueLoader, makeRequest("/staff/reports", { cookie: c.mod }))).status).toBe(403);
    const res = await decide(c.mod, { intent: "dismiss", postId: String(post.id), reportIds: item.reportIds.join(",") });
    expect(res.status).toBe(403);
    expect((await reportsOf(post.id)).every((r) => r.status === "open")).toBe(true);
  });

  it("reads a page of the queue in three queries however many posts and reports it holds", async () => {
    await reported(1);
    const few = await countQueries(() => listQueue(db()));
    for (let i = 0; i < 3; i++) await reported(4);
    const many = await countQueries(() => listQueue(db()));
    expect(many.result.items.some((i) => i.count === 4)).toBe(true);
    expect(many.count).toBe(3);
    expect(few.count).toBe(many.count);
  });

  it("groups open reports by post, oldest first, with count, reasons, notes, reporters and the post in context", async () => {
    const { c } = await roles();
    const a = await reported(2);
    const b = await reported(1, "off_topic");
    const res = await call(queueLoader, makeRequest("/staff/reports", { cookie: c.mod }));
    const ids = res.data.items.map((i: any) => i.postId);
    expect(ids.indexOf(a.post.id)).toBeLessThan(ids.indexOf(b.post.id));
    const item = res.data.items.find((i: any) => i.postId === a.post.id);
    expect(item.count).toBe(2);
    expect(item.reasons).toEqual({ spam: 2 });
    expect(item.reports.map((r: any) => r.reporter)).toEqual(a.reporters.map((r) => r.username));
    expect(item.reports[0].note).toBe("fake giveaway");
    expect(item.post.title).toBe("举报测试：转账一直没到账怎么办");
    expect(item.post.bodyHtml).toContain("double it");
    expect(item.post.path).toContain(`/t/${a.t.id}/`);
    expect(item.denied).toBeNull();
    const root = await call(rootLoader, makeRequest("/", { cookie: c.mod }));
    expect(root.data.openReports).toBeGreaterThanOrEqual(2);
    expect((await call(rootLoader, makeRequest("/", { cookie: c.user }))).data.openReports).toBeNull();
  });

  it("dismiss: every open report dismissed by the moderator, a post hidden by reports comes back, audit row", async () => {
    const { c, mod } = await roles();
    const { post } = await reported(1, "exposed_secret");
    expect((await postRow(post.id)).hidden_reason).toBe("system:reports");
    const late = await makeUser(db());
    await createReport(db(), { reporterId: late.id, postId: post.id, reason: "spam", note: null });
    const item = await queueItem(c.mod, post.id);
    const res = await decide(c.mod, { intent: "dismiss", postId: String(post.id), reportIds: item.reportIds.join(",") });
    expect(res.status).toBe(302);
    expect(res.location).toBe("/staff/reports?done=dismissed");
    const rows = await reportsOf(post.id);
    expect(rows).toHaveLength(2);
    for (const r of rows) expect(r).toMatchObject({ status: "dismissed", outcome: "dismissed", resolved_by: mod.id });
    expect(rows.every((r) => r.resolved_at !== null)).toBe(true);
    expect((await postRow(post.id)).hidden_at).toBeNull();
    const audit = await auditRows("report.dismiss", post.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: mod.id });
    expect(audit[0].details).toMatchObject({ outcome: "dismissed", restored: true });
    // The reporter sees the outcome; the same user may report again now.
    const mine = await call(myReportsLoader, makeRequest("/reports", { cookie: await loginCookie(late.id) }));
    expect(mine.data.reports[0]).toMatchObject({ status: "dismissed", outcome: "dismissed" });
    expect((await report(post.id, await loginCookie(late.id))).status).toBe(302);
  });

  it("hide: the post is hidden with the moderator's reason (the author sees it), reports actioned, audit row", async () => {
    const { c, admin } = await roles();
    const { post, t, reporters, author } = await reported(2);
    const item = await queueItem(c.admin, post.id);
    const missing = await decide(c.admin, { intent: "hide", postId: String(post.id), reportIds: item.reportIds.join(","), reason: " " });
    expect(missing.status).toBe(400);
    expect(missing.data.errors.reason.key).toBe("reports:errors.reasonMissing");
    const unsafe = await decide(c.admin, { intent: "hide", postId: String(post.id), reportIds: item.reportIds.join(","), reason: PHRASE });
    expect(unsafe.status).toBe(422);
    expect((await reportsOf(post.id)).every((r) => r.status === "open")).toBe(true);
    const res = await decide(c.admin, { intent: "hide", postId: String(post.id), reportIds: item.reportIds.join(","), reason: "Scam: asks for funds" });
    expect(res.status).toBe(302);
    expect(await postRow(post.id)).toMatchObject({ hidden_reason: "Scam: asks for funds" });
    expect((await postRow(post.id)).hidden_at).not.toBeNull();
    for (const r of await reportsOf(post.id)) expect(r).toMatchObject({ status: "actioned", outcome: "hidden", resolved_by: admin.id });
    expect((await auditRows("report.resolve", post.id))[0].details).toMatchObject({ outcome: "hidden", reason: "Scam: asks for funds" });
    const authorView = await call(threadLoader, makeRequest(`/t/${t.id}/${t.slug}`, { cookie: await loginCookie(author.id) }), { id: String(t.id), slug: t.slug });
    expect(authorView.data.answers.find((a: any) => a.id === post.id).hidden_reason).toBe("Scam: asks for funds");
    const mine = await call(myReportsLoader, makeRequest("/reports", { cookie: await loginCookie(reporters[0].id) }));
    expect(mine.data.reports[0]).toMatchObject({ status: "actioned", outcome: "hidden" });
  });

  it("delete and lock resolve every report with their outcome", async () => {
    const { c, mod } = await roles();
    const del = await reported(1);
    let item = await queueItem(c.mod, del.post.id);
    expect((await decide(c.mod, { intent: "delete", postId: String(del.post.id), reportIds: item.reportIds.join(","), reason: "" })).status).toBe(400);
    expect((await decide(c.mod, { intent: "delete", postId: String(del.post.id), reportIds: item.reportIds.join(","), reason: "Scam" })).status).toBe(302);
    const deleted = await db().selectFrom("posts").select(["deleted_at", "deleted_by", "deleted_reason"]).where("id", "=", del.post.id).executeTakeFirstOrThrow();
    expect(deleted).toMatchObject({ deleted_by: mod.id, deleted_reason: "Scam" });
    expect(deleted.deleted_at).not.toBeNull();
    expect(await auditRows("post.delete", del.post.id)).toHaveLength(1);
    expect((await reportsOf(del.post.id))[0]).toMatchObject({ status: "actioned", outcome: "deleted", resolved_by: mod.id });
    expect(await auditRows("report.resolve", del.post.id)).toHaveLength(1);

    const lock = await reported(2);
    item = await queueItem(c.mod, lock.post.id);
    expect((await decide(c.mod, { intent: "lock", postId: String(lock.post.id), reportIds: item.reportIds.join(",") })).status).toBe(302);
    const thread = await db().selectFrom("threads").select("locked").where("id", "=", lock.t.id).executeTakeFirstOrThrow();
    expect(thread.locked).toBe(true);
    expect(await auditRows("thread.lock", lock.t.id)).toHaveLength(1);
    for (const r of await reportsOf(lock.post.id)) expect(r).toMatchObject({ status: "actioned", outcome: "locked" });
  });

  it("suspend the author for a chosen time with a reason: user row, reports, two audit rows", async () => {
    const { c, mod } = await roles();
    const { post, author } = await reported(1);
    const item = await queueItem(c.mod, post.id);
    const base = { intent: "suspend", postId: String(post.id), reportIds: item.reportIds.join(","), reason: "Scam posts" };
    const bad = await decide(c.mod, { ...base, duration: "custom", customDays: "0" });
    expect(bad.status).toBe(400);
    expect(bad.data.errors.duration.key).toBe("reports:errors.badDuration");
    const before = Date.now();
    const res = await decide(c.mod, { ...base, duration: "7" });
    expect(res.status).toBe(302);
    const u = await userRow(author.id);
    expect(u.suspended_reason).toBe("Scam posts");
    expect(u.suspended_until!.getTime()).toBeGreaterThanOrEqual(before + 7 * DAY - 1000);
    expect(u.suspended_until!.getTime()).toBeLessThanOrEqual(Date.now() + 7 * DAY + 1000);
    expect((await reportsOf(post.id))[0]).toMatchObject({ status: "actioned", outcome: "suspended", resolved_by: mod.id });
    expect(await auditRows("user.suspend", author.id)).toHaveLength(1);
    expect((await auditRows("report.resolve", post.id))[0].details).toMatchObject({ outcome: "suspended", user: author.id });
  });

  it("a custom number of days works", async () => {
    const { c } = await roles();
    const { post, author } = await reported(1);
    const item = await queueItem(c.mod, post.id);
    await decide(c.mod, { intent: "suspend", postId: String(post.id), reportIds: item.reportIds.join(","), reason: "x", duration: "custom", customDays: "45" });
    const until = (await userRow(author.id)).suspended_until!.getTime();
    expect(Math.round((until - Date.now()) / DAY)).toBe(45);
  });

  it("a stale form (another moderator was first) → 409 and the first decision stands", async () => {
    const { c, mod } = await roles();
    const { post } = await reported(2);
    const item = await queueItem(c.mod, post.id);
    const form = { postId: String(post.id), reportIds: item.reportIds.join(",") };
    expect((await decide(c.mod, { ...form, intent: "dismiss" })).status).toBe(302);
    const second = await decide(c.admin, { ...form, intent: "hide", reason: "too late" });
    expect(second.status).toBe(409);
    expect(second.data.errors._form.key).toBe("reports:errors.stale");
    expect(second.data.postId).toBeNull();
    for (const r of await reportsOf(post.id)) expect(r).toMatchObject({ outcome: "dismissed", resolved_by: mod.id });
    expect((await postRow(post.id)).hidden_at).toBeNull();
    expect(await auditRows("report.resolve", post.id)).toHaveLength(0);
  });

  it("two moderators deciding in parallel: one wins, the other gets 409", async () => {
    const { c } = await roles();
    const { post } = await reported(1);
    const item = await queueItem(c.mod, post.id);
    const form = { postId: String(post.id), reportIds: item.reportIds.join(",") };
    const [a, b] = await Promise.all([decide(c.mod, { ...form, intent: "lock" }), decide(c.admin, { ...form, intent: "dismiss" })]);
    expect([a.status, b.status].sort()).toEqual([302, 409]);
    const rows = await reportsOf(post.id);
    expect(rows[0].status).not.toBe("open");
    expect((await auditRows("report.resolve", post.id)).length + (await auditRows("report.dismiss", post.id)).length).toBe(1);
  });

  it("nobody acts on their own report, nor on reports about their own post", async () => {
    const { c, mod } = await roles();
    const { post } = await reported(1);
    await createReport(db(), { reporterId: mod.id, postId: post.id, reason: "spam", note: null });
    const item = await queueItem(c.mod, post.id);
    expect(item.denied).toBe("ownReport");
    const res = await decide(c.mod, { intent: "dismiss", postId: String(post.id), reportIds: item.reportIds.join(",") });
    expect(res.status).toBe(403);
    expect(res.data.errors._form.key).toBe("reports:errors.ownReport");
    expect((await reportsOf(post.id)).every((r) => r.status === "open")).toBe(true);

    const t = await makeThread(db(), mod.id, { title: "版主自己的帖子被举报了" });
    const q = await db().selectFrom("posts").select("id").where("thread_id", "=", t.id).executeTakeFirstOrThrow();
    const u = await makeUser(db());
    await createReport(db(), { reporterId: u.id, postId: q.id, reason: "other", note: null });
    const own = await queueItem(c.mod, q.id);
    expect(own.denied).toBe("ownPost");
    expect((await decide(c.mod, { intent: "dismiss", postId: String(q.id), reportIds: own.reportIds.join(",") })).status).toBe(403);
    // An admin decides instead.
    expect((await decide(c.admin, { intent: "dismiss", postId: String(q.id), reportIds: own.reportIds.join(",") })).status).toBe(302);
  });

  it("a moderator cannot suspend a moderator or an admin author from the queue; an admin can suspend a moderator", async () => {
    const { c } = await roles();
    const otherMod = await makeUser(db(), { role: "moderator" });
    const t = await makeThread(db(), (await makeUser(db())).id);
    const p = await makeReply(db(), t.id, otherMod.id, "A moderator's answer that someone reported.");
    await createReport(db(), { reporterId: (await makeUser(db())).id, postId: p.id, reason: "abusive", note: null });
    const item = await queueItem(c.mod, p.id);
    expect(item.canSuspend).toBe(false);
    const form = { intent: "suspend", postId: String(p.id), reportIds: item.reportIds.join(","), reason: "x", duration: "1" };
    const res = await decide(c.mod, form);
    expect(res.status).toBe(403);
    expect(res.data.errors._form.key).toBe("reports:errors.targetModerator");
    expect((await userRow(otherMod.id)).suspended_until).toBeNull();
    expect((await reportsOf(p.id))[0].status).toBe("open");
    expect((await queueItem(c.admin, p.id)).canSuspend).toBe(true);
    expect((await decide(c.admin, form)).status).toBe(302);
    expect((await userRow(otherMod.id)).suspended_until).not.toBeNull();
  });

  it("a suspended moderator cannot decide", async () => {
    const { c } = await roles();
    const susMod = await makeUser(db(), { role: "moderator" });
    await suspend(susMod);
    const { post } = await reported(1);
    const item = await queueItem(c.mod, post.id);
    const res = await decide(await loginCookie(susMod.id), { intent: "dismiss", postId: String(post.id), reportIds: item.reportIds.join(",") });
    expect(res.status).toBe(403);
    expect((await reportsOf(post.id))[0].status).toBe("open");
  });
});

describe("suspensions from the profile page", () => {
  const profileCall = (username: string, cookie: string | undefined, form: Record<string, string>) =>
    call(profileAction, makeRequest(`/u/${username}`, { form, cookie }), { username });

  it("moderator suspends and lifts a user: rows and audit; the profile shows it to staff only", async () => {
    const { c, mod, user } = await roles();
    const target = await makeUser(db());
    const res = await profileCall(target.username, c.mod, { intent: "suspend", duration: "3", reason: "Repeated spam" });
    expect(res.status).toBe(302);
    const row = await userRow(target.id);
    expect(row.suspended_reason).toBe("Repeated spam");
    expect(Math.round((row.suspended_until!.getTime() - Date.now()) / DAY)).toBe(3);
    expect((await auditRows("user.suspend", target.id))[0]).toMatchObject({ actor_id: mod.id });
    const staffView = await call(profileLoader, makeRequest(`/u/${target.username}`, { cookie: c.mod }), { username: target.username });
    expect(staffView.data.moderation).toMatchObject({ suspendedReason: "Repeated spam", canSuspend: true });
    const publicView = await call(profileLoader, makeRequest(`/u/${target.username}`, { cookie: c.user }), { username: target.username });
    expect(publicView.data.moderation).toBeNull();
    expect(user.id).not.toBe(target.id);

    const lift = await profileCall(target.username, c.mod, { intent: "lift" });
    expect(lift.status).toBe(302);
    expect(await userRow(target.id)).toEqual({ suspended_until: null, suspended_reason: null });
    expect(await auditRows("user.unsuspend", target.id)).toHaveLength(1);
    // Lifting again is a stale form.
    expect((await profileCall(target.username, c.mod, { intent: "lift" })).status).toBe(409);
  });

  it("refusals: anonymous → login, user → 403, moderator vs moderator/admin/self → 403, admin vs moderator ok, suspended → 403", async () => {
    const { c, mod, admin, user } = await roles();
    const target = await makeUser(db());
    const form = { intent: "suspend", duration: "1", reason: "r" };
    expect((await profileCall(target.username, undefined, form)).status).toBe(302);
    expect((await profileCall(target.username, c.user, form)).status).toBe(403);
    expect((await profileCall(target.username, c.suspended, form)).status).toBe(403);
    const otherMod = await makeUser(db(), { role: "moderator" });
    const cases: [string, string, string][] = [
      [c.mod, otherMod.username, "targetModerator"],
      [c.mod, admin.username, "targetAdmin"],
      [c.mod, mod.username, "self"],
      [c.admin, admin.username, "self"],
    ];
    for (const [cookie, name, code] of cases) {
      const res = await profileCall(name, cookie, form);
      expect(res.status, `${name}`).toBe(403);
      expect(res.data.errors._form.key).toBe(`reports:errors.${code}`);
    }
    for (const u of [target, otherMod, admin, mod, user]) expect((await userRow(u.id)).suspended_until).toBeNull();
    expect((await profileCall(otherMod.username, c.admin, form)).status).toBe(302);
    expect((await userRow(otherMod.id)).suspended_until).not.toBeNull();
    const bad = await profileCall(target.username, c.mod, { intent: "suspend", duration: "2", reason: "r" });
    expect(bad.status).toBe(400);
    const noReason = await profileCall(target.username, c.mod, { intent: "suspend", duration: "1", reason: "" });
    expect(noReason.status).toBe(400);
    const badIntent = await profileCall(target.username, c.mod, { intent: "banish", duration: "1", reason: "r" });
    expect(badIntent.status).toBe(400);
    expect(badIntent.data.errors._form.key).toBe("reports:errors.badDecision");
    expect((await profileCall(`${target.username}-nobody`, c.mod, form)).status).toBe(404);
    expect((await userRow(target.id)).suspended_until).toBeNull();
  });

  it("a suspended user can log in and read, sees the banner data, but cannot post, edit, vote or report", async () => {
    const { post, t } = await scene();
    const s = await makeUser(db());
    await suspend(s, 2 * DAY, "Scam links");
    const own = await makeReply(db(), t.id, s.id, "An answer written before the suspension.");
    const login = await call(loginAction, makeRequest("/login", { form: { login: s.username, password: PASSWORD, redirectTo: "/" } }));
    expect(login.status).toBe(302);
    const cookie = await loginCookie(s.id);
    const root = await call(rootLoader, makeRequest("/", { cookie }));
    expect(root.data.user.suspendedReason).toBe("Scam links");
    expect(new Date(root.data.user.suspendedUntil).getTime()).toBeGreaterThan(Date.now() + DAY);
    const read = await call(threadLoader, makeRequest(`/t/${t.id}/${t.slug}`, { cookie }), { id: String(t.id), slug: t.slug });
    expect(read.status).toBe(200);

    const replies = () => db().selectFrom("posts").select("id").where("thread_id", "=", t.id).execute();
    const before = (await replies()).length;
    const reply = await call(threadAction, makeRequest(`/t/${t.id}/${t.slug}`, { form: { body: "I should not be able to post this." }, cookie }), { id: String(t.id), slug: t.slug });
    expect(reply.status).toBe(403);
    expect((await replies()).length).toBe(before);
    const vote = await call(threadAction, makeRequest(`/t/${t.id}/${t.slug}`, { form: { intent: "vote", postId: String(post.id), value: "1" }, cookie }), { id: String(t.id), slug: t.slug });
    expect(vote.status).toBe(403);
    expect(await db().selectFrom("votes").select("user_id").where("user_id", "=", s.id).execute()).toHaveLength(0);
    const edit = await call(editLoader, makeRequest(`/p/${own.id}/edit`, { cookie }), { id: String(own.id) });
    expect(edit.status).toBe(403);
    const ask = await call(askAction, makeRequest("/ask", { form: { board: "account", title: "A question while suspended", body: "This must not be posted at all." }, cookie }));
    expect(ask.status).toBe(403);
    expect((await report(post.id, cookie)).status).toBe(403);
    expect(await reportsOf(post.id)).toHaveLength(0);
  });

  it("the suspension ends by itself when the time has passed", async () => {
    const { post, t } = await scene();
    const s = await makeUser(db());
    await db().updateTable("users").set({ suspended_until: new Date(Date.now() - 1000), suspended_reason: "over" }).where("id", "=", s.id).execute();
    const cookie = await loginCookie(s.id);
    const reply = await call(threadAction, makeRequest(`/t/${t.id}/${t.slug}`, { form: { body: "Back again after my suspension ended." }, cookie }), { id: String(t.id), slug: t.slug });
    expect(reply.status).toBe(302);
    expect((await report(post.id, cookie)).status).toBe(302);
    const staff = await makeUser(db(), { role: "moderator" });
    const view = await call(profileLoader, makeRequest(`/u/${s.username}`, { cookie: await loginCookie(staff.id) }), { username: s.username });
    expect(view.data.moderation.suspendedUntil).toBeNull();
  });
});
