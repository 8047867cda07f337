import { sql } from "kysely";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { action as askAction } from "../../app/routes/ask";
import { action as replyAction, loader as threadLoader } from "../../app/routes/t.$id.($slug)/route";
import { action as editAction, loader as editLoader } from "../../app/routes/p.$id.edit";
import { action as signupAction } from "../../app/routes/signup";
import { loader as boardLoader } from "../../app/routes/b.$slug._index";
import { loader as homeLoader } from "../../app/routes/_index";
import { commands } from "../../app/cli/commands";
import { scanForSecrets } from "../../app/safety/secrets";
import { SECRET_REASON, scanStoredSecrets } from "../../app/models/safety.server";
import { secretSamples, type SecretSample } from "../fixtures/secret-samples";
import { addr, hex64, Rng } from "../fixtures/crypto-samples";
import { useTestDb } from "../support/db";
import { call, loginCookie, makeRequest } from "../support/http";
import { makeReply, makeThread, makeUser } from "../support/factories";

const db = useTestDb();

// ───────────────────────── helpers ─────────────────────────

/** Every row of every table of the database as text (information_schema, so new tables are covered). */
async function everyStoredText(): Promise<string[]> {
  const { rows: tables } = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(db());
  const out: string[] = [];
  for (const { table_name } of tables) {
    const { rows: cols } = await sql<{ column_name: string }>`
      select column_name from information_schema.columns
      where table_schema = current_schema() and table_name = ${table_name}
        and data_type in ('text', 'character varying', 'character', 'json', 'jsonb', 'tsvector', 'ARRAY', 'USER-DEFINED')`.execute(db());
    if (cols.length === 0) continue;
    const { rows } = await sql<{ v: string | null }>`
      select concat_ws(' ¦ ', ${sql.join(cols.map((c) => sql`${sql.ref(c.column_name)}::text`))}) as v
      from ${sql.table(table_name)}`.execute(db());
    for (const r of rows) if (r.v) out.push(r.v);
  }
  return out;
}

/** Tokens as a phrase is compared: NFKD, no marks, lower case; every Han character is its own token. */
function tokens(text: string): string[] {
  return (text.normalize("NFKD").match(/\p{Script=Han}|[\p{L}\p{M}]+/gu) ?? [])
    .map((t) => t.replace(/\p{M}/gu, "").toLowerCase())
    .filter(Boolean);
}

/** Every 4 consecutive tokens of the stored text: a leaked phrase would show up as one of them. */
function fourGrams(texts: string[]): Set<string> {
  const set = new Set<string>();
  for (const text of texts) {
    const t = tokens(text);
    for (let i = 0; i + 4 <= t.length; i++) set.add(t.slice(i, i + 4).join(" "));
  }
  return set;
}

function assertNothingStored(samples: SecretSample[], stored: string[]) {
  const grams = fourGrams(stored);
  const lower = stored.map((s) => s.toLowerCase());
  for (const s of samples) {
    if (s.words) {
      const w = s.words.flatMap(tokens);
      for (let i = 0; i + 4 <= w.length; i++) expect(grams.has(w.slice(i, i + 4).join(" ")), `${s.form}: phrase words stored`).toBe(false);
    } else {
      const needle = s.secret.toLowerCase().replace(/^0x/, "");
      expect(lower.some((t) => t.includes(needle)), `${s.form}: key stored`).toBe(false);
    }
  }
}

const console_ = ["log", "info", "warn", "error", "debug"] as const;
let spies: { mock: { calls: unknown[][] }; mockRestore: () => void }[] = [];
function spyConsole() {
  spies = console_.map((m) => vi.spyOn(console, m).mockImplementation(() => {}));
}
function consoleOutput(): string {
  return spies.flatMap((s) => s.mock.calls.map((c) => c.map(String).join(" "))).join("\n");
}
afterEach(() => {
  for (const s of spies) s.mockRestore();
  spies = [];
});

const ordinaryQuestion = { board: "transactions", title: "转账一直显示待确认怎么办", body: "昨天转的 USDT 到现在还是待确认，是不是手续费太低了？" };

// ───────────────────────── the corpus through every form ─────────────────────────

describe("secrets posted through every form are refused and stored nowhere", () => {
  const samples = secretSamples();
  let author: { id: number };
  let cookie: string;
  let threadId: number;
  let questionPostId: number;
  let answerPostId: number;
  let before: { threads: number; posts: number };

  beforeAll(async () => {
    author = await makeUser(db());
    cookie = await loginCookie(author.id);
    const t = await makeThread(db(), author.id);
    threadId = t.id;
    const reply = await makeReply(db(), t.id, author.id);
    const posts = await db().selectFrom("posts").select(["id", "post_number"]).where("thread_id", "=", t.id).execute();
    questionPostId = posts.find((p) => p.post_number === 1)!.id;
    answerPostId = reply.id;
    before = await counts();
  });

  async function counts() {
    const t = await db().selectFrom("threads").select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow();
    const p = await db().selectFrom("posts").select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow();
    return { threads: t.n, posts: p.n };
  }

  type Target = { name: string; send: (text: string) => Promise<Awaited<ReturnType<typeof call>>>; field: string };
  const targets: Target[] = [
    {
      name: "thread body",
      field: "body",
      send: (text) => call(askAction, makeRequest("/ask", { cookie, form: { board: "account", title: "钱包余额不见了怎么办呢", body: text } })),
    },
    {
      name: "thread title",
      field: "title",
      send: (text) => call(askAction, makeRequest("/ask", { cookie, form: { board: "account", title: text, body: "请帮我看看这是怎么回事，谢谢。" } })),
    },
    {
      name: "answer",
      field: "body",
      send: (text) => call(replyAction, makeRequest(`/t/${threadId}/x`, { cookie, form: { body: text } }), { id: String(threadId), slug: "x" }),
    },
    {
      name: "question edit (title)",
      field: "title",
      send: (text) =>
        call(editAction, makeRequest(`/p/${questionPostId}/edit`, { cookie, form: { title: text, body: "我忘记了登录密码，邮箱还能用。", revision: "1" } }), {
          id: String(questionPostId),
        }),
    },
    {
      name: "question edit (body)",
      field: "body",
      send: (text) =>
        call(editAction, makeRequest(`/p/${questionPostId}/edit`, { cookie, form: { title: "忘记密码后如何找回账户?", body: text, revision: "1" } }), {
          id: String(questionPostId),
        }),
    },
    {
      name: "answer edit",
      field: "body",
      send: (text) => call(editAction, makeRequest(`/p/${answerPostId}/edit`, { cookie, form: { body: text, revision: "1" } }), { id: String(answerPostId) }),
    },
  ];

  it(`refuses all ${samples.length} corpus samples as thread bodies, and each again through one of the other forms`, async () => {
    expect(samples.length).toBeGreaterThanOrEqual(300);
    spyConsole();
    const seen = new Set<string>();
    for (let i = 0; i < samples.length; i++) {
      const s = samples[i];
      for (const target of [targets[0], targets[1 + (i % (targets.length - 1))]]) {
        seen.add(target.name);
        const res = await target.send(s.text);
        const label = `${s.form} as ${target.name}`;
        expect(res.status, label).toBe(422);
        expect(res.data.safety.issue, label).toMatchObject({ kind: "secret", verdict: "block" });
        expect(res.data.errors[target.field].key, label).toBe("safety:field.blocked");
        // The form comes back masked: no secret in what the browser gets.
        const echoed = JSON.stringify(res.data);
        expect(echoed.includes(s.secret), label).toBe(false);
        expect(scanForSecrets(res.data.values[target.field]).verdict, label).toBe("ok");
        expect(res.data.values[target.field], label).toMatch(/•|\[hidden\]/);
      }
    }
    expect(seen.size).toBe(targets.length);
    // Nothing was written: no new rows, the edited posts untouched, no text anywhere holds the material.
    expect(await counts()).toEqual(before);
    const edited = await db().selectFrom("posts").select(["revision"]).where("id", "in", [questionPostId, answerPostId]).execute();
    expect(edited.every((p) => p.revision === 1)).toBe(true);
    assertNothingStored(samples, await everyStoredText());
    // And nothing was logged.
    const logged = consoleOutput();
    for (const s of samples) expect(logged.includes(s.secret)).toBe(false);
  });

  it("still refuses a verified secret when the author ticks the override box", async () => {
    const s = samples[0];
    const res = await call(askAction, makeRequest("/ask", { cookie, form: { ...ordinaryQuestion, body: s.text, confirmNotSecret: "1" } }));
    expect(res.status).toBe(422);
    expect(res.data.safety.issue.verdict).toBe("block");
    expect(await counts()).toEqual(before);
  });

  it("never echoes the secret even when another field is also invalid", async () => {
    const s = samples.find((x) => x.form.startsWith("wif/"))!;
    const res = await call(askAction, makeRequest("/ask", { cookie, form: { board: "nope", title: "短", body: s.text } }));
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.data).includes(s.secret)).toBe(false);
  });
});

// ───────────────────────── near misses: refused like phrases ─────────────────────────

describe("a phrase-like run that fails the checksum", () => {
  const words = "abandon ability able about above absent absorb abstract absurd abuse access accident";
  it("is refused like a phrase and comes back masked; the old confirmation tick does not post it", async () => {
    const u = await makeUser(db());
    const cookie = await loginCookie(u.id);
    const body = `我抄下来的词是不是不对？${words}`;
    for (const extra of [{}, { confirmNotSecret: "1" }] as Record<string, string>[]) {
      const res = await call(askAction, makeRequest("/ask", { cookie, form: { ...ordinaryQuestion, body, ...extra } }));
      expect(res.status).toBe(422);
      expect(res.data.safety.issue).toMatchObject({ kind: "secret", verdict: "block" });
      expect(res.data.errors.body.key).toBe("safety:field.blocked");
      expect(res.data.values.body).not.toContain("absurd");
    }
    expect(await db().selectFrom("posts").select("id").where("author_id", "=", u.id).execute()).toHaveLength(0);
  });
});

// ───────────────────────── ordinary posts go through ─────────────────────────

describe("ordinary wallet-support posts", () => {
  const rng = new Rng("safety-integration");
  it("with tx hashes and addresses are posted; posts with an address are flagged, and warned about unless by staff", async () => {
    const u = await makeUser(db());
    const staff = await makeUser(db(), { role: "moderator" });
    const cookie = await loginCookie(u.id);
    const tx = hex64(rng);
    const res = await call(
      askAction,
      makeRequest("/ask", { cookie, form: { board: "transactions", title: "转账失败，交易哈希在这里", body: `交易哈希：${tx}\n\ntxid ${hex64(rng)} 一直没有确认。` } }),
    );
    expect(res.status).toBe(302);
    const threadId = Number(res.location!.match(/^\/t\/(\d+)\//)![1]);
    const q = await db().selectFrom("posts").selectAll().where("thread_id", "=", threadId).executeTakeFirstOrThrow();
    expect(q.body_md).toContain(tx);
    expect(q.has_address).toBe(false);

    const evm = addr.evm(rng);
    const reply = await call(replyAction, makeRequest(`/t/${threadId}/x`, { cookie, form: { body: `Send it to ${evm} and I will check.` } }), { id: String(threadId) });
    expect(reply.status).toBe(302);
    const staffReply = await call(
      replyAction,
      makeRequest(`/t/${threadId}/x`, { cookie: await loginCookie(staff.id), form: { body: `官方合约地址是 ${evm}，请核对。` } }),
      { id: String(threadId) },
    );
    expect(staffReply.status).toBe(302);
    const posts = await db().selectFrom("posts").select(["post_number", "has_address"]).where("thread_id", "=", threadId).orderBy("post_number").execute();
    expect(posts.map((p) => p.has_address)).toEqual([false, true, true]);

    const thread = await db().selectFrom("threads").select("slug").where("id", "=", threadId).executeTakeFirstOrThrow();
    const page = await call(threadLoader, makeRequest(`/t/${threadId}/${encodeURIComponent(thread.slug)}`), { id: String(threadId), slug: thread.slug });
    expect(page.status).toBe(200);
    expect(page.data.question.addressWarning).toBe(false);
    expect(page.data.answers.map((a: { addressWarning: boolean }) => a.addressWarning)).toEqual([true, false]);

    // An edit that adds an address sets the flag; one that removes it clears it.
    const answer = await db().selectFrom("posts").select(["id", "revision"]).where("thread_id", "=", threadId).where("post_number", "=", 2).executeTakeFirstOrThrow();
    const edit = await call(editAction, makeRequest(`/p/${answer.id}/edit`, { cookie, form: { body: "地址删掉了，请联系官方客服。", revision: String(answer.revision) } }), {
      id: String(answer.id),
    });
    expect(edit.status).toBe(302);
    expect((await db().selectFrom("posts").select("has_address").where("id", "=", answer.id).executeTakeFirstOrThrow()).has_address).toBe(false);
  });
});

// ───────────────────────── blocked domains ─────────────────────────

describe("blocked link domains", () => {
  const saved = process.env.QUORUM_BLOCKED_DOMAINS;
  afterAll(() => {
    if (saved === undefined) delete process.env.QUORUM_BLOCKED_DOMAINS;
    else process.env.QUORUM_BLOCKED_DOMAINS = saved;
  });
  it("refuse a post linking to a blocked domain or a subdomain of it", async () => {
    process.env.QUORUM_BLOCKED_DOMAINS = "evil-wallet.com, .drainer.io";
    const u = await makeUser(db());
    const cookie = await loginCookie(u.id);
    for (const link of ["https://evil-wallet.com/claim", "https://app.evil-wallet.com/x", "http://www.drainer.io", "https://phishing.example/"]) {
      const res = await call(askAction, makeRequest("/ask", { cookie, form: { ...ordinaryQuestion, body: `领取空投：[点这里](${link})` } }));
      expect(res.status, link).toBe(422);
      expect(res.data.safety.issue.kind, link).toBe("blockedDomain");
    }
    expect(await db().selectFrom("posts").select("id").where("author_id", "=", u.id).execute()).toHaveLength(0);
    const ok = await call(askAction, makeRequest("/ask", { cookie, form: { ...ordinaryQuestion, body: "官网是 [wallet](https://not-evil-wallet.com/help)" } }));
    expect(ok.status).toBe(302);
  });
});

// ───────────────────────── staff cannot be imitated ─────────────────────────

describe("sign-up names", () => {
  async function signup(username: string) {
    return call(signupAction, makeRequest("/signup", { form: { username, email: `${username}@example.com`, password: "a long enough password" } }));
  }

  it("refuses reserved words and look-alikes of a staff account, with a clear message; ordinary names pass", async () => {
    await makeUser(db(), { username: "meilin", role: "admin" });
    for (const [name, key, params] of [
      ["rneilin", "safety:name.confusable", { name: "meilin" }],
      ["mei1in", "safety:name.confusable", { name: "meilin" }],
      ["MEILIN_", "safety:name.confusable", { name: "meilin" }],
      ["cryptosupport", "safety:name.reserved", { word: "support" }],
      ["Official_Admin", "safety:name.reserved", {}],
      ["mod_jane", "safety:name.reserved", { word: "mod" }],
    ] as const) {
      const res = await signup(name);
      expect(res.status, name).toBe(422);
      expect(res.data.errors.username.key, name).toBe(key);
      expect(res.data.errors.username.params, name).toMatchObject(params);
      expect(await db().selectFrom("users").select("id").where(sql`lower(username)`, "=", name.toLowerCase()).executeTakeFirst(), name).toBeUndefined();
    }
    const ok = await signup("zhang_wei88");
    expect(ok.status).toBe(302);
  });

  it("makes the operator's commands refuse look-alikes too (unless --force)", async () => {
    spyConsole();
    process.env.QUORUM_PASSWORD = "a long enough password";
    try {
      await makeUser(db(), { username: "li_na" });
      // A regular account may not use a reserved word…
      await expect(commands["user:create"].run(db(), ["helpdesk_li", "helpdesk_li@example.com"])).rejects.toThrow(/reserved word/);
      // …and nobody may become staff while another account already looks like them.
      await makeUser(db(), { username: "lina_x" });
      await makeUser(db(), { username: "Iina_x" });
      await expect(commands["user:role"].run(db(), ["lina_x", "moderator"])).rejects.toThrow(/Iina_x/);
      expect((await db().selectFrom("users").select("role").where("username", "=", "lina_x").executeTakeFirstOrThrow()).role).toBe("user");
      await commands["user:role"].run(db(), ["lina_x", "moderator", "--force"]);
      expect((await db().selectFrom("users").select("role").where("username", "=", "lina_x").executeTakeFirstOrThrow()).role).toBe("moderator");
      await commands["user:create"].run(db(), ["support_chen", "chen@example.com", "--role", "admin"]);
    } finally {
      delete process.env.QUORUM_PASSWORD;
    }
  });
});

// ───────────────────────── secrets:scan ─────────────────────────

describe("secrets:scan", () => {
  it("hides stored posts and titles holding a secret, idempotently, and pages stop showing them", async () => {
    const samples = secretSamples();
    const phrase = samples.find((s) => s.form.startsWith("english/128/"))!;
    const wif = samples.find((s) => s.form.startsWith("wif/"))!;
    const author = await makeUser(db());
    const other = await makeUser(db());
    const staff = await makeUser(db(), { role: "admin" });
    const t1 = await makeThread(db(), author.id, { board: "security", title: "导入钱包以后余额为零是怎么回事" });
    const reply = await makeReply(db(), t1.id, other.id, "请先确认网络是否选对。");
    // Content from before the guard, or imported: written straight into the tables.
    await db().updateTable("posts").set({ body_md: phrase.text, body_html: `<p>${phrase.text}</p>` }).where("thread_id", "=", t1.id).where("post_number", "=", 1).execute();
    const t2 = await makeThread(db(), author.id, { board: "security", title: "帮忙看看这个私钥格式对不对" });
    await db().updateTable("threads").set({ title: `私钥 ${wif.secret}` }).where("id", "=", t2.id).execute();

    spyConsole();
    // Control: the database check used above does see material that is stored.
    const stored = await everyStoredText();
    expect(() => assertNothingStored([phrase], stored)).toThrow();
    expect(() => assertNothingStored([{ ...wif, words: undefined }], stored)).toThrow();

    const first = await scanStoredSecrets(db(), { batchSize: 3 });
    expect(first.postsHidden).toBe(1);
    expect(first.threadsHidden).toBe(1);
    expect(first.postsScanned).toBeGreaterThanOrEqual(3);
    const second = await scanStoredSecrets(db(), { batchSize: 3 });
    expect(second.postsHidden).toBe(0);
    expect(second.threadsHidden).toBe(0);
    await commands["secrets:scan"].run(db(), []);
    const printed = consoleOutput();
    expect(printed).toMatch(/0 hidden/);
    expect(printed.includes(phrase.secret) || printed.includes(wif.secret)).toBe(false);

    const q = await db().selectFrom("posts").select(["hidden_at", "hidden_reason"]).where("thread_id", "=", t1.id).where("post_number", "=", 1).executeTakeFirstOrThrow();
    expect(q.hidden_at).not.toBeNull();
    expect(q.hidden_reason).toBe(SECRET_REASON);
    const r = await db().selectFrom("posts").select("hidden_at").where("id", "=", reply.id).executeTakeFirstOrThrow();
    expect(r.hidden_at).toBeNull();
    // Moderation (issue 8): the hidden thread leaves the board's counters, recomputed by the scan.
    const security = await db().selectFrom("boards").select(["thread_count", "last_thread_id"]).where("slug", "=", "security").executeTakeFirstOrThrow();
    const publicThreads = await db().selectFrom("threads as t").innerJoin("boards as b", "b.id", "t.board_id").select(sql<number>`count(*)::int`.as("n")).where("b.slug", "=", "security").where("t.hidden_at", "is", null).where("t.deleted_at", "is", null).executeTakeFirstOrThrow();
    expect(security.thread_count).toBe(publicThreads.n);
    expect(security.last_thread_id).not.toBe(t2.id);

    // The public sees a notice instead of the question; the answer is still there.
    const slug = (await db().selectFrom("threads").select("slug").where("id", "=", t1.id).executeTakeFirstOrThrow()).slug;
    const view = async (cookie?: string) =>
      call(threadLoader, makeRequest(`/t/${t1.id}/${encodeURIComponent(slug)}`, { cookie }), { id: String(t1.id), slug });
    const anon = await view();
    expect(anon.status).toBe(200);
    expect(anon.data.question.hidden).toBe(true);
    expect(anon.data.question.body_html).toBe("");
    expect(anon.data.question.hidden_reason).toBeNull();
    expect(anon.data.description).toBe("");
    expect(anon.data.answers[0].body_html).toContain("网络");
    expect(JSON.stringify(anon.data).includes(phrase.words![0] + " " + phrase.words![1])).toBe(false);
    // The author and staff see why it is hidden, but not the secret either.
    for (const who of [author.id, staff.id]) {
      const v = await view(await loginCookie(who));
      expect(v.data.question.hidden_reason).toBe(SECRET_REASON);
      expect(v.data.question.body_html).toBe("");
    }

    // Its edit form would show the hidden text: refused, even to the author.
    const qid = (await db().selectFrom("posts").select("id").where("thread_id", "=", t1.id).where("post_number", "=", 1).executeTakeFirstOrThrow()).id;
    const editPage = await call(editLoader, makeRequest(`/p/${qid}/edit`, { cookie: await loginCookie(author.id) }), { id: String(qid) });
    expect(editPage.status).toBe(403);
    expect(JSON.stringify(editPage.data).includes(phrase.words![0] + " " + phrase.words![1])).toBe(false);

    // A thread whose title held a secret: gone for the public (404, not listed), a notice for its author.
    const t2row = await db().selectFrom("threads").select(["slug", "hidden_reason"]).where("id", "=", t2.id).executeTakeFirstOrThrow();
    expect(t2row.hidden_reason).toBe(SECRET_REASON);
    expect(t2row.slug).toBe("hidden");
    const gone = await call(threadLoader, makeRequest(`/t/${t2.id}/hidden`), { id: String(t2.id), slug: "hidden" });
    expect(gone.status).toBe(404);
    const own = await call(threadLoader, makeRequest(`/t/${t2.id}/hidden`, { cookie: await loginCookie(author.id) }), { id: String(t2.id), slug: "hidden" });
    expect(own.status).toBe(200);
    expect(own.data.thread.title).toBeNull();
    expect(own.data.threadHidden).toBe(true);
    const board = await call(boardLoader, makeRequest("/b/security"), { slug: "security" });
    expect(JSON.stringify(board.data).includes(wif.secret)).toBe(false);
    const home = await call(homeLoader, makeRequest("/"));
    expect(JSON.stringify(home.data).includes(wif.secret)).toBe(false);
  });
});
