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
import { editPost } from "../../app/models/posts.server";
import { setAccepted } from "../../app/models/votes.server";
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

describe("staff powers need two-factor sign-in (and no suspension)", () => {
  it("a moderator without 2FA cannot lock a thread from the thread page", async () => {
    const s = await scene();
    const res = await threadCall(s, "modNo2fa", { intent: "mod.lock", reason: "Calm down" });
    expect(res.status).toBe(403);
    const row = await db().selectFrom("threads").select("locked").where("id", "=", s.t.id).executeTakeFirstOrThrow();
    expect(row.locked).toBe(false);
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
