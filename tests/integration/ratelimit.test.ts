import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { afterEach, describe, expect, it, vi } from "vitest";
import { action as loginAction } from "../../app/routes/login";
import { action as signupAction } from "../../app/routes/signup";
import { action as askAction } from "../../app/routes/ask";
import { action as replyAction } from "../../app/routes/t.$id.($slug)/route";
import {
  enforceLimit,
  LIMITS,
  consumeLimit,
  limitEnvName,
  limitSetting,
  peekLimit,
  postingLimit,
  refundLimit,
} from "../../app/models/ratelimit.server";
import type { Database } from "../../db/index";
import type { DB } from "../../db/types";
import { attemptLogin, SLOWDOWN_BASE_MS, SLOWDOWN_MAX_MS, slowdownMs } from "../../app/models/login.server";
import { useTestDb, isPostgres } from "../support/db";
import { call, loginCookie, makeRequest } from "../support/http";
import { PASSWORD, makeThread, makeUser } from "../support/factories";

const db = useTestDb();

const touched = new Set<string>();
/** Sets a limit's environment override for one test. */
function setLimit(name: keyof typeof LIMITS, value: string) {
  const env = limitEnvName(name);
  touched.add(env);
  process.env[env] = value;
}
afterEach(() => {
  for (const env of touched) delete process.env[env];
  touched.clear();
  vi.useRealTimers();
});

const count = async (table: "users" | "threads" | "posts" | "user_sessions") =>
  Number((await db().selectFrom(table).select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);

/** A user as old as `hoursOld`, with the given reputation (reputation = max(1, 1 + raw)). */
async function agedUser(hoursOld: number, reputation = 1) {
  const u = await makeUser(db());
  await db()
    .updateTable("users")
    .set({ created_at: new Date(Date.now() - hoursOld * 3600_000), reputation, reputation_raw: reputation - 1 })
    .where("id", "=", u.id)
    .execute();
  return u;
}

const question = (i: number) => ({ board: "account", title: `充值一直没有到账怎么办 第${i}次`, body: "昨天充值的 USDT 到现在还没有到账，应该怎么查？" });

describe("settings", () => {
  it("reads QUORUM_RATE_LIMIT_<NAME> as points/seconds or off, and QUORUM_RATE_LIMITS=off turns all off", () => {
    expect(limitEnvName("loginPerAccount")).toBe("QUORUM_RATE_LIMIT_LOGIN_PER_ACCOUNT");
    expect(limitEnvName("threadPerNewUser")).toBe("QUORUM_RATE_LIMIT_THREAD_PER_NEW_USER");
    expect(limitSetting("loginPerAccount")).toEqual({ points: 10, seconds: 900 });
    setLimit("loginPerAccount", "3/60");
    expect(limitSetting("loginPerAccount")).toEqual({ points: 3, seconds: 60 });
    setLimit("loginPerAccount", "off");
    expect(limitSetting("loginPerAccount")).toBeNull();
    // A mistyped value is refused by the config module (naming the variable), not replaced by the default.
    setLimit("loginPerAccount", "lots");
    expect(() => limitSetting("loginPerAccount")).toThrow(/QUORUM_RATE_LIMIT_LOGIN_PER_ACCOUNT/);
    setLimit("loginPerAccount", "3/60");
    process.env.QUORUM_RATE_LIMITS = "off";
    try {
      expect(limitSetting("signupPerIp")).toBeNull();
    } finally {
      delete process.env.QUORUM_RATE_LIMITS;
    }
  });
});

describe("the store (rate-limiter-flexible's RateLimiterPostgres on our table)", () => {
  it("allows exactly the points, then says when to retry; a new window starts after the duration", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-03-01T10:00:00Z"));
    setLimit("reportPerUser", "3/60");
    for (let i = 0; i < 3; i++) expect(await consumeLimit(db(), "reportPerUser", "win")).toBeNull();
    vi.setSystemTime(new Date("2026-03-01T10:00:10Z"));
    const limited = await consumeLimit(db(), "reportPerUser", "win");
    expect(limited).toMatchObject({ limit: "reportPerUser", what: "report", retryAfterSeconds: 50, retryAt: "2026-03-01T10:01:00.000Z" });
    const row = await db().selectFrom("rate_limit_counters").selectAll().where("key", "=", "reportPerUser:win").executeTakeFirstOrThrow();
    expect(row).toMatchObject({ points: 4, expire: Date.parse("2026-03-01T10:01:00Z") });
    vi.setSystemTime(new Date("2026-03-01T10:01:01Z"));
    expect(await consumeLimit(db(), "reportPerUser", "win")).toBeNull();
    expect(await peekLimit(db(), "reportPerUser", "win")).toBeNull();
    await refundLimit(db(), "reportPerUser", "win");
    expect((await db().selectFrom("rate_limit_counters").select("points").where("key", "=", "reportPerUser:win").executeTakeFirstOrThrow()).points).toBe(0);
  });

  it("two app processes (two database handles on one database) share the counters", async () => {
    // A second, independent Kysely + pool on the same database: what a second Node process has.
    let other: Kysely<DB>;
    let close = async () => {};
    if (isPostgres()) {
      const { name } = (await sql<{ name: string }>`select current_database() as name`.execute(db())).rows[0];
      const url = new URL(process.env.DATABASE_URL!);
      url.pathname = `/${name}`;
      other = new Kysely<DB>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url.toString(), max: 2 }) }) });
      close = () => other.destroy();
    } else {
      // PGlite serves one process (its adapter holds the single connection), so the second
      // "process" is a second Kysely instance, hence a second set of limiter objects, on it.
      other = db().withoutPlugins();
    }
    try {
      setLimit("reportPerUser", "4/600");
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) => consumeLimit(i % 2 ? (other as Database) : db(), "reportPerUser", "shared")),
      );
      expect(results.filter((r) => r === null)).toHaveLength(4);
      expect(await peekLimit(other as Database, "reportPerUser", "shared")).not.toBeNull();
    } finally {
      await close();
    }
  });
});

describe("login", () => {
  it("per account: 10 failures, then even the right password gets 429 with the login kept; e-mail and username share it", async () => {
    const u = await makeUser(db());
    for (let i = 0; i < 10; i++) {
      const login = i % 2 ? u.username : `${u.username}@example.com`.toUpperCase();
      const res = await call(loginAction, makeRequest("/login", { form: { login, password: "wrong password!" } }));
      expect(res.status).toBe(400);
    }
    const sessions = await count("user_sessions");
    const res = await call(loginAction, makeRequest("/login", { form: { login: u.username, password: PASSWORD } }));
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("Retry-After"))).toBeGreaterThan(890);
    expect(Number(res.headers.get("Retry-After"))).toBeLessThanOrEqual(900);
    expect(res.data.values).toEqual({ login: u.username });
    expect(res.data.rateLimit).toMatchObject({ limit: "loginPerAccount", what: "login" });
    expect(await count("user_sessions")).toBe(sessions);
    // Another account from the same address still logs in.
    const v = await makeUser(db());
    expect((await call(loginAction, makeRequest("/login", { form: { login: v.username, password: PASSWORD } }))).status).toBe(302);
  });

  it("per account: a successful login clears the failures", async () => {
    const u = await makeUser(db());
    const attempt = (password: string) => call(loginAction, makeRequest("/login", { form: { login: u.username, password } }));
    for (let i = 0; i < 9; i++) expect((await attempt("wrong password!")).status).toBe(400);
    expect((await attempt(PASSWORD)).status).toBe(302);
    for (let i = 0; i < 10; i++) expect((await attempt("wrong password!")).status).toBe(400);
    expect((await attempt(PASSWORD)).status).toBe(429);
  });

  it("per IP: failures on many accounts from one address are limited; another address is not", async () => {
    setLimit("loginPerIp", "5/900");
    const users = await Promise.all([1, 2, 3].map(() => makeUser(db())));
    const from = (ip: string, login: string, password: string) =>
      call(loginAction, makeRequest("/login", { form: { login, password } }), {}, { clientIp: ip });
    for (let i = 0; i < 5; i++) expect((await from("203.0.113.9", users[i % 3].username, "wrong password!")).status).toBe(400);
    const limited = await from("203.0.113.9", "nobody-at-all", "wrong password!");
    expect(limited.status).toBe(429);
    expect(limited.data.rateLimit.limit).toBe("loginPerIp");
    expect((await from("198.51.100.7", users[0].username, PASSWORD)).status).toBe(302);
  });
});

describe("login: nobody can lock another person out", () => {
  const from = (ip: string, login: string, password: string) =>
    call(loginAction, makeRequest("/login", { form: { login, password } }), {}, { clientIp: ip });

  it("failures from one address limit that address for the account, not the owner at another", async () => {
    const u = await makeUser(db());
    for (let i = 0; i < 10; i++) expect((await from("203.0.113.20", u.username, "wrong password!")).status).toBe(400);
    const limited = await from("203.0.113.20", u.username, PASSWORD);
    expect(limited.status).toBe(429);
    expect(limited.data.rateLimit.limit).toBe("loginPerAccount");
    expect((await from("198.51.100.20", u.username, PASSWORD)).status).toBe(302);
  });

  it("failures for the account from many addresses slow attempts down, doubling, but never lock it", async () => {
    setLimit("loginAccountWide", "3/900");
    const u = await makeUser(db());
    const waits: number[] = [];
    const sleep = async (ms: number) => void waits.push(ms);
    const attempt = (ip: string, password: string) => attemptLogin(db(), { login: u.username, password, ip }, { sleep });
    for (let i = 0; i < 6; i++) {
      const r = await attempt(`203.0.113.${30 + i}`, "wrong password!");
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.limited).toBeNull();
    }
    // 3 free failures, then each waits twice as long as the one before.
    expect(waits).toEqual([SLOWDOWN_BASE_MS, SLOWDOWN_BASE_MS * 2, SLOWDOWN_BASE_MS * 4]);
    const owner = await attempt("198.51.100.30", PASSWORD);
    expect(owner.ok).toBe(true);
    expect(owner.delayedMs).toBe(SLOWDOWN_BASE_MS * 8);
    // The success clears the account's failures: the next attempt does not wait.
    const after = await attempt("198.51.100.30", "wrong password!");
    expect(after.delayedMs).toBe(0);
    expect(slowdownMs(100)).toBe(SLOWDOWN_MAX_MS);
  });
});

describe("sign-up", () => {
  const signup = (username: string, ip: string) =>
    call(
      signupAction,
      makeRequest("/signup", { form: { username, email: `${username}@example.com`, password: "a long enough password" } }),
      {},
      { clientIp: ip },
    );

  it("5 per address per hour; the 6th is a 429 with the form's values and nothing written; failures cost nothing", async () => {
    const ip = "192.0.2.50";
    // A taken name is refused (409) and gives its point back.
    const taken = await makeUser(db());
    expect((await signup(taken.username, ip)).status).toBe(409);
    for (let i = 0; i < 5; i++) expect((await signup(`rl_signup_${i}`, ip)).status).toBe(302);
    const users = await count("users");
    const res = await signup("rl_signup_5", ip);
    expect(res.status).toBe(429);
    expect(res.headers.get("Retry-After")).toMatch(/^\d+$/);
    expect(res.data.values).toEqual({ username: "rl_signup_5", email: "rl_signup_5@example.com" });
    expect(await count("users")).toBe(users);
    expect((await signup("rl_signup_other", "192.0.2.51")).status).toBe(302);
  });
});

describe("new threads and answers", () => {
  const ask = async (userId: number, i: number) =>
    call(askAction, makeRequest("/ask", { form: question(i), cookie: await loginCookie(userId) }));

  it("a day-old-or-less, low-reputation account: 2 threads per 10 minutes; the 3rd is a 429 keeping title and body, nothing written", async () => {
    const u = await agedUser(2);
    // Invalid input is refused before the limit: typos cost nothing.
    const short = await call(askAction, makeRequest("/ask", { form: { ...question(9), title: "短" }, cookie: await loginCookie(u.id) }));
    expect(short.status).toBe(400);
    expect((await ask(u.id, 0)).status).toBe(302);
    expect((await ask(u.id, 1)).status).toBe(302);
    const threads = await count("threads");
    const posts = await count("posts");
    const res = await ask(u.id, 2);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("Retry-After"))).toBeGreaterThan(590);
    expect(res.data.values).toMatchObject({ title: question(2).title, body: question(2).body, board: "account" });
    expect(res.data.rateLimit).toMatchObject({ limit: "threadPerNewUser", what: "thread" });
    expect(await count("threads")).toBe(threads);
    expect(await count("posts")).toBe(posts);
  });

  it("older or veteran accounts get the normal limit (5); staff none", async () => {
    const old = await agedUser(30);
    const veteran = await agedUser(2, 600);
    expect(await postingLimit(db(), old.id, "thread")).toBe("threadPerUser");
    expect(await postingLimit(db(), veteran.id, "answer")).toBe("answerPerUser");
    for (let i = 0; i < 5; i++) expect((await ask(old.id, i)).status).toBe(302);
    expect((await ask(old.id, 5)).status).toBe(429);
    const mod = await makeUser(db(), { role: "moderator" });
    expect(await postingLimit(db(), mod.id, "thread")).toBeNull();
    for (let i = 0; i < 8; i++) expect((await ask(mod.id, i)).status).toBe(302);
  });

  it("answers: 5 per 10 minutes for a new account; the 6th is a 429 and the reply box keeps its text", async () => {
    const asker = await makeUser(db());
    const thread = await makeThread(db(), asker.id);
    const u = await agedUser(1);
    const cookie = await loginCookie(u.id);
    const reply = (body: string) => call(replyAction, makeRequest(`/t/${thread.id}`, { form: { body }, cookie }), { id: String(thread.id) });
    for (let i = 0; i < 5; i++) expect((await reply(`第 ${i + 1} 个回答：先在区块浏览器里查这笔交易。`)).status).toBe(302);
    const posts = await count("posts");
    const body = "第 6 个回答：联系官方客服之前，先截图保存交易记录。";
    const res = await reply(body);
    expect(res.status).toBe(429);
    expect(res.headers.get("Retry-After")).toMatch(/^\d+$/);
    expect(res.data.values.body).toBe(body);
    expect(res.data.rateLimit).toMatchObject({ limit: "answerPerNewUser", what: "answer" });
    expect(await count("posts")).toBe(posts);
    const row = await db().selectFrom("threads").select("reply_count").where("id", "=", thread.id).executeTakeFirstOrThrow();
    expect(row.reply_count).toBe(5);
  });
});

describe("reports (wired by the moderation feature)", () => {
  it("enforceLimit (reports per user) answers 429 with the values once the allowance is spent", async () => {
    setLimit("reportPerUser", "2/3600");
    const u = await makeUser(db());
    expect(await enforceLimit(db(), "reportPerUser", String(u.id), { note: "a" })).toBeNull();
    expect(await enforceLimit(db(), "reportPerUser", String(u.id), { note: "b" })).toBeNull();
    const res = await call(async () => enforceLimit(db(), "reportPerUser", String(u.id), { note: "c" }), makeRequest("/"));
    expect(res.status).toBe(429);
    expect(res.data.values).toEqual({ note: "c" });
    expect(res.headers.get("Retry-After")).toMatch(/^\d+$/);
  });
});
