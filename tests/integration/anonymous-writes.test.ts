import { describe, expect, it } from "vitest";
import { action as faqEntryAction } from "../../app/routes/faq.$slug";
import { loader as viewLoader } from "../../app/routes/t.$id.view[.]gif";
import { action as reportAction } from "../../app/routes/p.$id.report";
import { flushViews, resetViews } from "../../app/models/views.server";
import { spentPoints } from "../../app/models/ratelimit.server";
import { useTestDb } from "../support/db";
import { call, loginCookie, makeRequest } from "../support/http";
import { boardId, makeReply, makeThread, makeUser } from "../support/factories";

const db = useTestDb();
const DAY = 24 * 3600 * 1000;

describe("anonymous writes are limited", () => {
  it("FAQ feedback: 40 cookie-less votes from one address record 30, the rest get 429; another address is not affected", async () => {
    const e = await db()
      .insertInto("faq_entries")
      .values({ slug: "limits-entry", question: "Q?", answer_md: "A.", answer_html: "<p>A.</p>", board_id: await boardId(db()), status: "published" } as never)
      .returning(["id", "slug"])
      .executeTakeFirstOrThrow();
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) {
      const r = await call(faqEntryAction, makeRequest(`/faq/${e.slug}`, { form: { helpful: "no", comment: `spam ${i}` } }), { slug: e.slug }, { clientIp: "198.51.100.7" });
      statuses.push(r.status);
      if (r.status === 429) expect(r.headers.get("Retry-After")).toMatch(/^\d+$/);
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(30);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
    const row = await db().selectFrom("faq_entries").select(["helpful_no"]).where("id", "=", e.id).executeTakeFirstOrThrow();
    expect(row.helpful_no).toBe(30);
    const other = await call(faqEntryAction, makeRequest(`/faq/${e.slug}`, { form: { helpful: "yes" } }), { slug: e.slug }, { clientIp: "203.0.113.9" });
    expect(other.status).toBe(200);
  });

  it("views: only public, existing threads count, within the per-address limit", async () => {
    resetViews();
    const u = await makeUser(db());
    const t = await makeThread(db(), u.id);
    const hidden = await makeThread(db(), u.id, { title: "A hidden thread about something" });
    await db().updateTable("threads").set({ hidden_at: new Date(), hidden_reason: "x" }).where("id", "=", hidden.id).execute();
    const hit = (id: number | string) => call(viewLoader, makeRequest(`/t/${id}/view.gif`), { id: String(id) }, { clientIp: "198.51.100.8" });
    for (let i = 0; i < 150; i++) expect((await hit(t.id)).status).toBe(200);
    await hit(hidden.id);
    await hit(99_999_999);
    await hit("99999999999999999999");
    await flushViews(db());
    const views = async (id: number) => (await db().selectFrom("threads").select("view_count").where("id", "=", id).executeTakeFirstOrThrow()).view_count;
    expect(await views(t.id)).toBe(120);
    expect(await views(hidden.id)).toBe(0);
  });

  it("a burst of 20 identical reports files one and leaves the reporter's allowance intact", async () => {
    const author = await makeUser(db());
    const reporter = await makeUser(db());
    await db().updateTable("users").set({ created_at: new Date(Date.now() - 2 * DAY), reputation_raw: 20, reputation: 21 }).where("id", "=", reporter.id).execute();
    const t = await makeThread(db(), author.id);
    const reply = await makeReply(db(), t.id, author.id);
    const other = await makeReply(db(), t.id, author.id, "Another answer to report later on, long enough.");
    const cookie = await loginCookie(reporter.id);
    const send = (postId: number) => call(reportAction, makeRequest(`/p/${postId}/report`, { cookie, form: { reportReason: "spam", note: "" } }), { id: String(postId) });
    const results = await Promise.all(Array.from({ length: 20 }, () => send(reply.id)));
    expect(results.filter((r) => r.status === 302)).toHaveLength(1);
    const filed = await db().selectFrom("reports").select("id").where("post_id", "=", reply.id).execute();
    expect(filed).toHaveLength(1);
    expect(await spentPoints(db(), "reportPerUser", String(reporter.id))).toBe(1);
    expect((await send(other.id)).status).toBe(302);
  });
});
