import { sql } from "kysely";
import { describe, expect, it, vi } from "vitest";
import { action as revisionsAction, loader as revisionsLoader } from "../../app/routes/p.$id.revisions";
import { editPost, loadPostHistory, redactRevision } from "../../app/models/posts.server";
import { SCANNED_KINDS, SECRET_REASON, scanStoredSecrets } from "../../app/models/safety.server";
import { audit } from "../../app/models/audit.server";
import { commands } from "../../app/cli/commands";
import type { Actor } from "../../app/policy/policy";
import type { Role } from "../../db/types";
import { oneOfEachKind } from "../fixtures/secret-samples";
import { migrateToLatest, migrator } from "../../db/migrate";
import { useTestDb } from "../support/db";
import { call, loginCookie, makeRequest } from "../support/http";
import { boardId, makeReply, makeThread, makeUser, setTwoFactor } from "../support/factories";

const db = useTestDb();
const actorOf = (u: { id: number; role: Role }): Actor => ({ id: u.id, role: u.role, suspendedUntil: null, emailVerified: true, twoFactor: u.role !== "user", staffRequire2fa: true });
const samples = oneOfEachKind();
const phrase = samples.phrase;
const key = samples.hex;

/** A question with two kept versions; version 1 holds `secret` (content from before the guard). */
async function postWithHistory(secret: string) {
  const author = await makeUser(db());
  const t = await makeThread(db(), author.id);
  const q = await db().selectFrom("posts").select("id").where("thread_id", "=", t.id).where("post_number", "=", 1).executeTakeFirstOrThrow();
  await editPost(db(), { postId: q.id, editorId: author.id, revision: 1, body: "我忘记了登录密码,绑定的邮箱已经不能用了。" });
  await editPost(db(), { postId: q.id, editorId: author.id, revision: 2, body: "我忘记了登录密码,邮箱也不能用了,怎么办?" });
  await db().updateTable("post_revisions").set({ body_md: `我的助记词是 ${secret} 请帮我看看` }).where("post_id", "=", q.id).where("revision", "=", 1).execute();
  return { author, thread: t, postId: q.id };
}

const history = (postId: number, cookie?: string) => call(revisionsLoader, makeRequest(`/p/${postId}/revisions`, { cookie }), { id: String(postId) });
const redactForm = (postId: number, cookie: string, revision: number, confirm = true) =>
  call(
    revisionsAction,
    makeRequest(`/p/${postId}/revisions`, { cookie, form: { intent: "redact", revision: String(revision), ...(confirm ? { confirm: "1" } : {}) } }),
    { id: String(postId) },
  );

async function revisionRow(postId: number, revision: number) {
  return db().selectFrom("post_revisions").selectAll().where("post_id", "=", postId).where("revision", "=", revision).executeTakeFirstOrThrow();
}

/** The row's whole text as stored (every column cast to text), to look for a secret. */
async function rowText(table: string, id: number): Promise<string> {
  const { rows } = await sql<{ v: string }>`select t::text as v from ${sql.table(table)} t where id = ${id}`.execute(db());
  return rows[0]?.v ?? "";
}

describe("history of a post hidden as a secret", () => {
  it("is shown to nobody, staff and author included, and no diff carries the text", async () => {
    const { author, postId } = await postWithHistory(phrase.secret);
    const staff = await makeUser(db(), { role: "admin" });
    const other = await makeUser(db());
    // Before the scan the page is public (the secret sits in an old version: the scan finds it).
    expect((await history(postId)).status).toBe(200);
    await scanStoredSecrets(db());
    // The scan redacted the version holding it…
    const r1 = await revisionRow(postId, 1);
    expect(r1.body_md).toBeNull();
    expect(r1.redacted_at).not.toBeNull();
    // …and a post hidden as a secret takes its whole history with it.
    await db().updateTable("posts").set({ hidden_at: new Date(), hidden_reason: SECRET_REASON }).where("id", "=", postId).execute();
    for (const u of [null, author, staff, other]) {
      const res = await history(postId, u ? await loginCookie(u.id) : undefined);
      expect(res.status).toBe(404);
      expect(JSON.stringify(res.data)).not.toContain(phrase.secret);
      expect(await loadPostHistory(db(), postId, u ? actorOf(u) : null)).toBeNull();
    }
  });

  it("a redacted version is shown as redacted and the next one is shown whole, never diffed against it", async () => {
    const { author, postId } = await postWithHistory(key.secret);
    await redactRevision(db(), { postId, revision: 1, actor: actorOf(author) });
    const page = await history(postId);
    expect(page.status).toBe(200);
    const text = JSON.stringify(page.data);
    expect(text).not.toContain(key.secret.replace(/^0x/, ""));
    const v1 = page.data.versions.find((v: { revision: number }) => v.revision === 1);
    expect(v1.body).toBeNull();
    expect(v1.redacted.by).toBe(author.username);
    const v2 = page.data.versions.find((v: { revision: number }) => v.revision === 2);
    expect(v2.body.every((p: { op: string }) => p.op === "same")).toBe(true);
  });
});

describe("redacting a revision", () => {
  it("the author redacts a version of their own post: text purged, row kept, audit row without the text", async () => {
    const { author, postId } = await postWithHistory(phrase.secret);
    const cookie = await loginCookie(author.id);
    // The tick is required: without it nothing changes.
    const refused = await redactForm(postId, cookie, 1, false);
    expect(refused.status).toBe(400);
    expect((await revisionRow(postId, 1)).body_md).toContain(phrase.words![0]);

    const res = await redactForm(postId, cookie, 1);
    expect(res.status).toBe(303);
    expect(res.location).toBe(`/p/${postId}/revisions#rev-1`);
    const row = await revisionRow(postId, 1);
    expect(row.body_md).toBeNull();
    expect(row.title).toBeNull();
    expect(row.redacted_by).toBe(author.id);
    expect(row.redacted_at).not.toBeNull();
    expect(await rowText("post_revisions", row.id)).not.toContain(phrase.words!.slice(0, 4).join(" "));
    const log = await db().selectFrom("audit_log").selectAll().where("action", "=", "revision.redact").where("target_id", "=", postId).execute();
    expect(log).toHaveLength(1);
    expect(log[0].actor_id).toBe(author.id);
    expect(JSON.stringify(log[0].details)).not.toContain(phrase.words![0] + " " + phrase.words![1]);
    // Again: nothing more happens (no second audit row).
    expect((await redactForm(postId, cookie, 1)).status).toBe(303);
    expect(await db().selectFrom("audit_log").select("id").where("action", "=", "revision.redact").where("target_id", "=", postId).execute()).toHaveLength(1);
    // The other versions keep their text.
    expect((await revisionRow(postId, 2)).body_md).not.toBeNull();
  });

  it("staff with powers may redact any post's version; other users and staff without 2FA may not", async () => {
    const { postId } = await postWithHistory(phrase.secret);
    const other = await makeUser(db());
    const mod = await makeUser(db(), { role: "moderator" });
    const modNo2fa = await makeUser(db(), { role: "moderator", twoFactor: false });
    expect((await redactForm(postId, await loginCookie(other.id), 1)).status).toBe(403);
    expect((await redactForm(postId, await loginCookie(modNo2fa.id), 1)).status).toBe(403);
    expect((await revisionRow(postId, 1)).redacted_at).toBeNull();
    // The page offers the form only to those who may use it.
    const seen = await history(postId, await loginCookie(other.id));
    expect(seen.data.versions.some((v: { canRedact: boolean }) => v.canRedact)).toBe(false);
    const staffView = await history(postId, await loginCookie(mod.id));
    expect(staffView.data.versions.filter((v: { canRedact: boolean }) => v.canRedact).map((v: { revision: number }) => v.revision)).toEqual([2, 1]);

    expect((await redactForm(postId, await loginCookie(mod.id), 1)).status).toBe(303);
    const row = await revisionRow(postId, 1);
    expect(row.body_md).toBeNull();
    expect(row.redacted_by).toBe(mod.id);
    const log = await db().selectFrom("audit_log").select("actor_id").where("action", "=", "revision.redact").where("target_id", "=", postId).executeTakeFirstOrThrow();
    expect(log.actor_id).toBe(mod.id);
    // Turning 2FA off takes the power away again.
    await setTwoFactor(db(), mod.id, false);
    expect((await redactForm(postId, await loginCookie(mod.id), 2)).status).toBe(403);
  });

  it("bad input is a 4xx, never a 500", async () => {
    const { author, postId } = await postWithHistory(phrase.secret);
    const cookie = await loginCookie(author.id);
    expect((await redactForm(postId, cookie, 99)).status).toBe(400); // no such version
    const bad = await call(revisionsAction, makeRequest(`/p/${postId}/revisions`, { cookie, form: { intent: "redact", revision: "1e3", confirm: "1" } }), { id: String(postId) });
    expect(bad.status).toBe(400);
    const anon = await call(revisionsAction, makeRequest(`/p/${postId}/revisions`, { form: { intent: "redact", revision: "1", confirm: "1" } }), { id: String(postId) });
    expect(anon.status).toBe(302);
    expect((await revisionRow(postId, 1)).redacted_at).toBeNull();
  });
});

describe("secrets:scan over every kind of stored text", () => {
  it("redacts revisions and masks titles, slugs, FAQ entries, notes, reasons, audit details and feedback; prints counts only", async () => {
    const words = phrase.words!.join(" ");
    const four = phrase.words!.slice(0, 4).join(" ");
    const hex = key.secret.replace(/^0x/, "");
    const author = await makeUser(db());
    const reporter = await makeUser(db());
    const staff = await makeUser(db(), { role: "admin" });
    const { postId } = await postWithHistory(words);
    const t = await makeThread(db(), author.id, { title: "导入钱包以后余额为零是怎么回事" });
    const reply = await makeReply(db(), t.id, author.id, "请先确认网络是否选对。");
    // Pre-guard or imported content, written straight into the tables.
    const t2 = await makeThread(db(), author.id, { title: "帮忙看看这个私钥格式对不对" });
    await db().updateTable("threads").set({ title: `私钥 ${key.secret}` }).where("id", "=", t2.id).execute();
    await db().updateTable("threads").set({ slug: phrase.words!.join("-") }).where("id", "=", t.id).execute();
    await db().updateTable("threads").set({ hidden_at: new Date(), hidden_reason: `因为 ${words}` }).where("id", "=", t.id).execute();
    await db().updateTable("posts").set({ hidden_at: new Date(), hidden_reason: `含有 ${words}` }).where("id", "=", reply.id).execute();
    const faq = await db()
      .insertInto("faq_entries")
      .values({ slug: `seed-${phrase.words!.join("-")}`, question: `这个私钥 ${key.secret} 能用吗`, answer_md: `不要发 ${words}`, answer_html: `<p>不要发 ${words}</p>`, board_id: await boardId(db()) })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db().insertInto("faq_revisions").values({ entry_id: faq.id, revision: 1, question: "问题", answer_md: `旧版 ${words}`, editor_id: staff.id }).execute();
    const report = await db().insertInto("reports").values({ reporter_id: reporter.id, post_id: reply.id, reason: "exposed_secret", note: `他贴了 ${words}` }).returning("id").executeTakeFirstOrThrow();
    await db().updateTable("users").set({ suspended_reason: `posted a private key: ${key.secret}` }).where("id", "=", reporter.id).execute();
    await audit(db(), { actorId: staff.id, action: "post.hide", targetType: "post", targetId: reply.id, details: { reason: `含有 ${words}` } });
    const fb = await db().insertInto("faq_feedback").values({ entry_id: faq.id, voter_key: "v1", helpful: false, comment: `我的是 ${words}` }).returning("id").executeTakeFirstOrThrow();

    const first = await scanStoredSecrets(db(), { batchSize: 2 });
    expect(first.threadsHidden).toBe(1);
    // Earlier tests of this file left unredacted versions holding a phrase: found too.
    expect(first.kinds.revisions.fixed).toBeGreaterThanOrEqual(1);
    expect((await revisionRow(postId, 1)).body_md).toBeNull();
    expect(first.kinds.faqRevisions.fixed).toBe(1);
    expect(first.kinds.faqEntries.fixed).toBe(1);
    expect(first.kinds.slugs.fixed).toBe(2);
    expect(first.kinds.reportNotes.fixed).toBe(1);
    expect(first.kinds.reasons.fixed).toBe(3);
    expect(first.kinds.auditLog.fixed).toBe(1);
    expect(first.kinds.feedback.fixed).toBe(1);

    const stored = [
      await rowText("threads", t.id),
      await rowText("threads", t2.id),
      await rowText("posts", reply.id),
      await rowText("faq_entries", faq.id),
      await rowText("reports", report.id),
      await rowText("users", reporter.id),
      await rowText("faq_feedback", fb.id),
      ...(await db().selectFrom("post_revisions").select(sql<string>`post_revisions::text`.as("v")).where("post_id", "=", postId).execute()).map((r) => r.v),
      ...(await db().selectFrom("faq_revisions").select(sql<string>`faq_revisions::text`.as("v")).execute()).map((r) => r.v),
      ...(await db().selectFrom("audit_log").select(sql<string>`audit_log::text`.as("v")).execute()).map((r) => r.v),
    ].join("\n");
    expect(stored).not.toContain(four);
    expect(stored.toLowerCase()).not.toContain(hex.toLowerCase());
    // The masked texts still read as what they were.
    const reportRow = await db().selectFrom("reports").select("note").where("id", "=", report.id).executeTakeFirstOrThrow();
    expect(reportRow.note).toContain("他贴了");
    const entry = await db().selectFrom("faq_entries").select(["slug", "answer_html"]).where("id", "=", faq.id).executeTakeFirstOrThrow();
    expect(entry.slug).toBe(`faq-${faq.id}`);
    expect(entry.answer_html).toContain("不要发");

    // Idempotent; the CLI prints a line per kind and no secret.
    const second = await scanStoredSecrets(db());
    for (const k of SCANNED_KINDS) expect(second.kinds[k].fixed, k).toBe(0);
    const spy = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      await commands["secrets:scan"].run(db(), []);
      const printed = spy.mock.calls.map((c) => c.join(" ")).join("\n");
      for (const k of SCANNED_KINDS) expect(printed).toContain(`${k}:`);
      expect(printed).not.toContain(four);
      expect(printed.toLowerCase()).not.toContain(hex.toLowerCase());
    } finally {
      spy.mockRestore();
    }
  });
});

describe("the redaction migration", () => {
  it("goes down (redacted rows keep an empty body) and up again", async () => {
    const { author, postId } = await postWithHistory(phrase.secret);
    await redactRevision(db(), { postId, revision: 1, actor: actorOf(author) });
    // Down to the migration before this one (and any later ones with it).
    const down = await migrator(db()).migrateTo("2026-12-03-0001-session-hashes");
    expect(down.error).toBeUndefined();
    const { rows } = await sql<{ body_md: string }>`select body_md from post_revisions where post_id = ${postId} and revision = 1`.execute(db());
    expect(rows[0].body_md).toBe("");
    await migrateToLatest(db());
    // Text and redaction cannot be mixed: the CHECKs refuse a redacted row with text.
    await expect(
      db().updateTable("post_revisions").set({ redacted_at: new Date() }).where("post_id", "=", postId).where("revision", "=", 2).execute(),
    ).rejects.toThrow();
  });
});
