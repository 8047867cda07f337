/**
 * One form parser and the guard inside the models: a field sent twice is refused before anything runs,
 * and every text a model stores passes the wallet-safety guard there, whichever route sent it.
 */
import { describe, expect, it } from "vitest";
import { action as threadAction } from "../../app/routes/t.$id.($slug)/route";
import { action as faqEntryAction } from "../../app/routes/faq.$slug";
import { promoteThread } from "../../app/models/faq.server";
import { useTestDb } from "../support/db";
import { call, loginCookie, makeRequest } from "../support/http";
import { boardId, makeReply, makeThread, makeUser } from "../support/factories";

const db = useTestDb();

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
