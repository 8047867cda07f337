/**
 * Through the real routes: a phishing link is refused by the reply action (nothing stored), the thread
 * page's loader data says which posts imitate staff or link to untrusted sites, and /official lists the
 * accounts that carry the staff badge.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { action as replyAction, loader as threadLoader } from "../../app/routes/t.$id.($slug)/route";
import { loader as officialLoader } from "../../app/routes/official";
import { useTestDb } from "../support/db";
import { call, loginCookie, makeRequest } from "../support/http";
import { makeReply, makeThread, makeUser } from "../support/factories";

const db = useTestDb();

const saved = process.env.QUORUM_OFFICIAL_DOMAINS;
beforeAll(() => {
  process.env.QUORUM_OFFICIAL_DOMAINS = "examplewallet.com";
});
afterAll(() => {
  if (saved === undefined) delete process.env.QUORUM_OFFICIAL_DOMAINS;
  else process.env.QUORUM_OFFICIAL_DOMAINS = saved;
});

async function reply(threadId: number, userId: number, body: string) {
  return call(replyAction, makeRequest(`/t/${threadId}/x`, { cookie: await loginCookie(userId), form: { body } }), { id: String(threadId) });
}

async function threadPage(threadId: number) {
  const t = await db().selectFrom("threads").select("slug").where("id", "=", threadId).executeTakeFirstOrThrow();
  return call(threadLoader, makeRequest(`/t/${threadId}/${encodeURIComponent(t.slug)}`), { id: String(threadId), slug: t.slug });
}

describe("phishing links in replies", () => {
  it("refuses a look-alike of an official domain and a wallet-connect link, storing nothing", async () => {
    const asker = await makeUser(db());
    const scammer = await makeUser(db());
    const { id: threadId } = await makeThread(db(), asker.id);
    for (const [body, reason] of [
      ["Official help: [examplewallet.com](https://examp1ewallet-support.com/login)", "lookalike"],
      ["同步一下钱包就好：https://walletconnect-sync.example/start", "walletConnect"],
    ] as const) {
      const res = await reply(threadId, scammer.id, body);
      expect(res.status, body).toBe(422);
      expect(res.data.safety.issue).toMatchObject({ kind: "phishingLink", reason });
      expect(res.data.errors.body.key).toBe("safety:field.phishingLink");
    }
    expect(await db().selectFrom("posts").select("id").where("author_id", "=", scammer.id).execute()).toHaveLength(0);
    // the official domain itself is fine
    expect((await reply(threadId, scammer.id, "下载请到 https://examplewallet.com/download")).status).toBe(302);
  });
});

describe("notices in the thread page's data", () => {
  it("a staff-like opening by a non-staff author gets the notice; the real staff member does not", async () => {
    const asker = await makeUser(db());
    const impostor = await makeUser(db());
    const staff = await makeUser(db(), { role: "moderator" });
    const { id: threadId } = await makeThread(db(), asker.id);
    expect((await reply(threadId, impostor.id, "**[Staff] 官方客服**\n\n请私信我处理。")).status).toBe(302);
    expect((await reply(threadId, staff.id, "**[Staff]** 请不要私信任何人。")).status).toBe(302);
    expect((await reply(threadId, impostor.id, "Try [this guide](https://random-blog.example/guide).")).status).toBe(302);
    expect((await reply(threadId, impostor.id, "See the help centre: https://examplewallet.com/help")).status).toBe(302);

    const page = await threadPage(threadId);
    expect(page.status).toBe(200);
    const answers = page.data.answers as { post_number: number; notStaffNotice: boolean; linkWarning: boolean; author_role: string }[];
    const byNumber = [...answers].sort((a, b) => a.post_number - b.post_number);
    expect(byNumber.map((a) => a.notStaffNotice)).toEqual([true, false, false, false]);
    expect(byNumber.map((a) => a.linkWarning)).toEqual([false, false, true, false]);
    expect(byNumber[1].author_role).toBe("moderator");
    expect(page.data.question.notStaffNotice).toBe(false);
    // only the verdict reaches the page, not the Markdown source's opening
    expect(JSON.stringify(page.data)).not.toContain("body_opening");
  });

  it("a staff role without staff powers (no two-factor sign-in) gets no badge and so the notice", async () => {
    const asker = await makeUser(db());
    const lapsed = await makeUser(db(), { role: "moderator", twoFactor: false });
    const { id: threadId } = await makeThread(db(), asker.id);
    await makeReply(db(), threadId, lapsed.id, "[官方] 请联系我");
    const page = await threadPage(threadId);
    const [answer] = page.data.answers as { notStaffNotice: boolean; author_role: string }[];
    expect(answer.author_role).toBe("user");
    expect(answer.notStaffNotice).toBe(true);
  });
});

describe("the staff list on /official", () => {
  it("lists exactly the accounts that carry the badge", async () => {
    await makeUser(db(), { username: "mod_real", role: "moderator" });
    await makeUser(db(), { username: "admin_real", role: "admin" });
    await makeUser(db(), { username: "mod_no2fa", role: "moderator", twoFactor: false });
    await makeUser(db(), { username: "plain_user" });
    const res = await call(officialLoader, makeRequest("/official"));
    expect(res.status).toBe(200);
    const names = (res.data.staff as { username: string; badge_role: string }[]).map((s) => `${s.username}:${s.badge_role}`);
    expect(names).toContain("mod_real:moderator");
    expect(names).toContain("admin_real:admin");
    expect(names.some((n) => n.startsWith("mod_no2fa") || n.startsWith("plain_user"))).toBe(false);
  });
});
