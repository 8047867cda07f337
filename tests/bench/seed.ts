/**
 * `npm run bench:seed -- --posts 1000000 [--users 20000] [--threads 100000] [--seed 7] [--force]`
 * `npm run bench:seed -- --check`
 *
 * Fills a SEPARATE PostgreSQL database (DATABASE_URL, whose name must contain "bench" unless --force)
 * with a realistic forum: users, the default boards, threads with a long-tailed number of answers,
 * mixed Chinese/English Markdown. It WIPES that database's public schema first.
 *
 * How it stays fast: the expensive per-row work is done once for a pool (one argon2 hash for every
 * user, a few thousand Markdown bodies rendered once), the rows themselves are generated on the
 * server with INSERT … SELECT over generate_series/unnest, secondary indexes and foreign keys are
 * dropped during the load and rebuilt after it (their definitions are read from the catalog, so new
 * migrations' indexes are handled too), and counters are recomputed set-based at the end.
 *
 * Each table has its own section below (SECTIONS); a feature that adds tables (votes, FAQ, search
 * vectors) adds a section and, if needed, a recount in CHECKS.
 */
import { performance } from "node:perf_hooks";
import { sql } from "kysely";
import { createDb, type Database } from "~db/index";
import { migrateToLatest } from "~db/migrate";
import { seedDefaultBoards } from "~db/seed";
import { hashPassword } from "~/auth/password.server";
import { renderMarkdown } from "~/lib/markdown.server";
import { slugify } from "~/lib/slug";
import { markdownBody, replyCounts, rng, threadTitle, weightedIndex } from "./generate";

export const BENCH_PASSWORD = "bench-password-123";

type Options = { posts: number; users: number; threads: number; seed: number; force: boolean; check: boolean; pool: number };

function parseArgs(argv: string[]): Options {
  const o: Options = { posts: 1_000_000, users: 20_000, threads: 100_000, seed: 7, force: false, check: false, pool: 4000 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = () => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v < 0) throw new Error(`${a} needs a number`);
      return Math.floor(v);
    };
    if (a === "--posts") o.posts = num();
    else if (a === "--users") o.users = num();
    else if (a === "--threads") o.threads = num();
    else if (a === "--seed") o.seed = num();
    else if (a === "--pool") o.pool = num();
    else if (a === "--force") o.force = true;
    else if (a === "--check") o.check = true;
    else throw new Error(`unknown option ${a}`);
  }
  // Fewer posts than the default: keep roughly 10 posts per thread and 50 per user.
  if (!argv.includes("--threads")) o.threads = Math.max(1, Math.min(o.threads, Math.round(o.posts / 10)));
  if (!argv.includes("--users")) o.users = Math.max(10, Math.min(o.users, Math.round(o.posts / 50)));
  if (o.threads > o.posts) throw new Error("--threads must not exceed --posts (every thread has its question post)");
  return o;
}

const t0 = performance.now();
const log = (msg: string) => console.log(`[${((performance.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${msg}`);

async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const r = await fn();
  log(`${label}: ${((performance.now() - start) / 1000).toFixed(1)} s`);
  return r;
}

type Ctx = { db: Database; o: Options; random: () => number; now: Date; span: number };

// ---------------------------------------------------------------------------------------------
// users: one argon2 hash shared by all (password BENCH_PASSWORD), long-tailed reputation, a few staff.
async function seedUsers({ db, o }: Ctx) {
  const hash = await hashPassword(BENCH_PASSWORD);
  await sql`
    insert into users (username, email, password_hash, role, reputation, locale, created_at)
    select 'user' || g, 'user' || g || '@bench.example', ${hash},
           case when g <= 3 then 'admin' when g <= 20 then 'moderator' else 'user' end,
           1 + floor(power(random(), 6) * 5000)::int,
           case when g % 3 = 0 then 'en' else 'zh-CN' end,
           now() - interval '800 days' + (g::float / ${o.users}) * interval '790 days'
    from generate_series(1, ${o.users}::int) g`.execute(db);
}

// boards: the default boards (db/seed.ts); their counters are recomputed at the end.
async function seedBoards({ db }: Ctx) {
  await seedDefaultBoards(db);
}

// bench_bodies / bench_titles: pools rendered once in JS, joined into posts/threads on the server.
async function seedPools({ db, o, random }: Ctx) {
  await sql`create unlogged table bench_bodies (id int primary key, md text not null, html text not null)`.execute(db);
  await sql`create unlogged table bench_titles (id int primary key, title text not null, slug text not null)`.execute(db);
  const mds = Array.from({ length: o.pool }, () => markdownBody(random));
  const htmls = mds.map((md) => renderMarkdown(md));
  const ids = mds.map((_, i) => i);
  await sql`insert into bench_bodies (id, md, html) select * from unnest(${ids}::int[], ${mds}::text[], ${htmls}::text[])`.execute(db);
  const titles = Array.from({ length: o.pool }, () => threadTitle(random));
  await sql`insert into bench_titles (id, title, slug) select * from unnest(${ids}::int[], ${titles}::text[], ${titles.map(slugify)}::text[])`.execute(db);
}

// threads: reply counts and boards drawn in JS (long tail), everything else on the server.
async function seedThreads({ db, o, random }: Ctx) {
  const counts = replyCounts(o.threads, o.posts - o.threads, random, { exactCount: Math.min(20, Math.floor(o.threads / 100)), exact: 100 });
  const boards = await db.selectFrom("boards").select(["id", "slug", "staff_only"]).orderBy("position").execute();
  const weights = boards.map((b) => (b.staff_only ? 0.3 : b.slug === "transactions" || b.slug === "deposits" ? 4 : 2));
  const boardOf = counts.map(() => boards[weightedIndex(weights, random)].id);
  const CHUNK = 50_000;
  for (let start = 0; start < o.threads; start += CHUNK) {
    const ids = [];
    for (let i = start; i < Math.min(o.threads, start + CHUNK); i++) ids.push(i + 1);
    const rc = counts.slice(start, start + CHUNK);
    const bo = boardOf.slice(start, start + CHUNK);
    // Threads are created in id order over the last ~700 days; authors skewed towards low ids
    // (active users); titles from the pool.
    await sql`
      insert into threads (id, board_id, author_id, title, slug, status, reply_count, view_count, pinned,
                           last_post_at, created_at, updated_at)
      overriding system value
      select x.id, x.board_id,
             1 + floor(power(random(), 2) * ${o.users})::int,
             tt.title, tt.slug,
             case when x.rc = 0 then 'open' when random() < 0.3 then 'resolved' when random() < 0.5 then 'answered' else 'open' end,
             x.rc,
             x.rc * 7 + floor(random() * 300)::int,
             false,
             c.created_at, c.created_at, c.created_at
      from unnest(${ids}::bigint[], ${rc}::int[], ${bo}::int[]) as x(id, rc, board_id)
      cross join lateral (select now() - interval '700 days' + (x.id::float / ${o.threads}) * interval '699 days'
                                  + random() * interval '1 hour' as created_at) c
      join bench_titles tt on tt.id = (x.id * 7919) % ${o.pool}`.execute(db);
  }
  // Two pinned threads per board (the oldest ones: pinned ones stay on top whatever their age).
  await sql`
    update threads set pinned = true where id in (
      select id from (select id, row_number() over (partition by board_id order by id) as r from threads) s where r <= 2)`.execute(db);
}

// posts: the question (post 1) and the answers of every thread, bodies from the pool, in chunks of
// threads so progress is visible and each statement stays moderate.
async function seedPosts({ db, o }: Ctx) {
  const CHUNK = 10_000;
  for (let start = 1; start <= o.threads; start += CHUNK) {
    await sql`
      insert into posts (thread_id, author_id, post_number, body_md, body_html, created_at)
      select t.id,
             case when n = 1 then t.author_id else 1 + floor(power(random(), 2) * ${o.users})::int end,
             n, b.md, b.html,
             least(now(), t.created_at + (n - 1) * ((1 + (t.id * 7919) % 240) * interval '1 minute'))
      from threads t
      cross join lateral generate_series(1, t.reply_count + 1) n
      join bench_bodies b on b.id = ((t.id * 104729 + n * 7919) % ${o.pool})
      where t.id >= ${start} and t.id < ${start + CHUNK}
      order by t.id, n`.execute(db);
    if ((start - 1) % (CHUNK * 5) === 0) log(`  posts for threads ${start}…${Math.min(o.threads, start + CHUNK - 1)}`);
  }
}

// Counters, recomputed set-based from the rows (the same values the app maintains incrementally).
async function recount({ db }: Ctx) {
  await sql`
    update threads t set reply_count = s.replies, last_post_at = s.last_at, last_post_user_id = s.last_user
    from (select distinct on (thread_id) thread_id, count(*) over (partition by thread_id) - 1 as replies,
                 created_at as last_at, author_id as last_user
          from posts order by thread_id, post_number desc) s
    where s.thread_id = t.id`.execute(db);
  await sql`
    update boards b set thread_count = coalesce(s.threads, 0), post_count = coalesce(s.posts, 0),
                        last_post_at = s.last_at, last_thread_id = s.last_thread
    from boards b2 left join (
      select board_id, count(*) as threads, sum(reply_count + 1) as posts,
             max(last_post_at) as last_at,
             (array_agg(id order by last_post_at desc, id desc))[1] as last_thread
      from threads group by board_id) s on s.board_id = b2.id
    where b2.id = b.id`.execute(db);
  // Users' reputation is seeded directly; votes (issue 3) will recompute it here.
}

const SECTIONS: { name: string; run: (c: Ctx) => Promise<void> }[] = [
  { name: "users", run: seedUsers },
  { name: "boards", run: seedBoards },
  { name: "pools (bodies rendered once)", run: seedPools },
  { name: "threads", run: seedThreads },
  { name: "posts", run: seedPosts },
  // votes / accepted answers (issue 3), FAQ entries, search vectors (issue 5): add sections here.
  { name: "recount counters", run: recount },
];

/** Counters recomputed from scratch and compared with the stored ones: each returns the mismatches. */
const CHECKS: { name: string; query: ReturnType<typeof sql<{ n: number }>> }[] = [
  {
    name: "threads.reply_count / last_post_at / last_post_user_id",
    query: sql<{ n: number }>`
      select count(*)::int as n from threads t
      left join lateral (select count(*) - 1 as replies, max(created_at) as last_at from posts p where p.thread_id = t.id) c on true
      where t.reply_count <> c.replies or t.last_post_at <> c.last_at
         or t.last_post_user_id is distinct from (select author_id from posts p where p.thread_id = t.id order by post_number desc limit 1)`,
  },
  {
    name: "boards.thread_count / post_count",
    query: sql<{ n: number }>`
      select count(*)::int as n from boards b
      left join (select t.board_id, count(distinct t.id) as threads, count(p.id) as posts
                 from threads t join posts p on p.thread_id = t.id group by t.board_id) c on c.board_id = b.id
      where b.thread_count <> coalesce(c.threads, 0) or b.post_count <> coalesce(c.posts, 0)`,
  },
  {
    name: "boards.last_thread_id / last_post_at",
    query: sql<{ n: number }>`
      select count(*)::int as n from boards b
      where b.last_post_at is distinct from (select max(last_post_at) from threads t where t.board_id = b.id)
         or b.last_thread_id is distinct from (select id from threads t where t.board_id = b.id order by last_post_at desc, id desc limit 1)`,
  },
  {
    name: "posts numbered 1..n without gaps",
    query: sql<{ n: number }>`
      select count(*)::int as n from (select thread_id from posts group by thread_id having max(post_number) <> count(*) or min(post_number) <> 1) s`,
  },
  {
    name: "every thread has its question",
    query: sql<{ n: number }>`select count(*)::int as n from threads t where not exists (select 1 from posts p where p.thread_id = t.id and p.post_number = 1)`,
  },
];

async function runChecks(db: Database): Promise<boolean> {
  let ok = true;
  for (const c of CHECKS) {
    const { rows } = await timed(`check ${c.name}`, () => c.query.execute(db));
    const n = rows[0]?.n ?? 0;
    if (n !== 0) ok = false;
    console.log(`  ${n === 0 ? "ok  " : "FAIL"} ${c.name}${n ? `: ${n} mismatches` : ""}`);
  }
  return ok;
}

type Def = { kind: "index" | "constraint"; table: string; name: string; def: string };

/** The secondary indexes, unique constraints and foreign keys of the bulk-loaded tables. */
async function secondaryDefs(db: Database, tables: string[]): Promise<Def[]> {
  const cons = await sql<{ table: string; name: string; def: string; contype: string }>`
    select c.conrelid::regclass::text as table, c.conname as name, pg_get_constraintdef(c.oid) as def, c.contype
    from pg_constraint c where c.conrelid = any(${tables}::regclass[]) and c.contype in ('f', 'u')`.execute(db);
  const idx = await sql<{ table: string; name: string; def: string }>`
    select i.indrelid::regclass::text as table, ic.relname as name, pg_get_indexdef(i.indexrelid) as def
    from pg_index i join pg_class ic on ic.oid = i.indexrelid
    where i.indrelid = any(${tables}::regclass[]) and not i.indisprimary
      and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)`.execute(db);
  // Foreign keys last when recreating (they may rely on unique indexes).
  const order = (d: { contype: string }) => (d.contype === "u" ? 0 : 1);
  return [
    ...idx.rows.map((r) => ({ kind: "index" as const, ...r })),
    ...cons.rows.sort((a, b) => order(a) - order(b)).map((r) => ({ kind: "constraint" as const, table: r.table, name: r.name, def: r.def })),
  ];
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is required (a separate database, e.g. postgres://postgres@127.0.0.1:5432/quorum_bench)");
  const dbName = decodeURIComponent(new URL(url).pathname.replace(/^\//, ""));
  if (!dbName.includes("bench") && !o.force) {
    throw new Error(`refusing to touch database "${dbName}": its name does not contain "bench" (pass --force if you really mean it)`);
  }
  await ensureDatabase(url, dbName);
  const { db, close } = await createDb({ url, poolSize: 2 });
  try {
    if (o.check) {
      const ok = await runChecks(db);
      console.log(ok ? "check: all counters consistent" : "check: MISMATCHES found");
      process.exitCode = ok ? 0 : 1;
      return;
    }
    log(`seeding ${dbName}: ${o.posts} posts, ${o.threads} threads, ${o.users} users (seed ${o.seed}); wiping its public schema`);
    await sql`drop schema public cascade`.execute(db);
    await sql`create schema public`.execute(db);
    await migrateToLatest(db);
    // Bulk load without WAL flushes per commit; indexes and foreign keys are rebuilt afterwards.
    await sql`set synchronous_commit = off`.execute(db);
    const tables = ["users", "threads", "posts", "boards"];
    const defs = (await secondaryDefs(db, tables)).filter((d) => d.table !== "boards");
    for (const d of defs.filter((x) => x.kind === "constraint").reverse()) {
      await sql.raw(`alter table ${d.table} drop constraint ${d.name}`).execute(db);
    }
    for (const d of defs.filter((x) => x.kind === "index")) await sql.raw(`drop index ${d.name}`).execute(db);
    log(`dropped ${defs.length} secondary indexes/constraints for the load`);

    const ctx: Ctx = { db, o, random: rng(o.seed), now: new Date(), span: 700 };
    const total = performance.now();
    for (const s of SECTIONS) {
      if (s.name === "recount counters") {
        await timed("rebuild indexes and constraints", async () => {
          await sql`set maintenance_work_mem = '512MB'`.execute(db);
          for (const d of defs) {
            await sql.raw(d.kind === "index" ? d.def : `alter table ${d.table} add constraint ${d.name} ${d.def}`).execute(db);
          }
        });
      }
      await timed(s.name, () => s.run(ctx));
    }
    for (const t of ["users", "threads", "posts", "boards"]) {
      await sql.raw(`select setval(pg_get_serial_sequence('${t}', 'id'), (select coalesce(max(id), 1) from ${t}))`).execute(db);
    }
    await sql`drop table bench_bodies, bench_titles`.execute(db);
    await timed("vacuum analyze", () => sql`vacuum (analyze) users, boards, threads, posts`.execute(db));
    log(`seeded in ${((performance.now() - total) / 1000).toFixed(1)} s`);
    const size = await sql<{ size: string }>`select pg_size_pretty(pg_database_size(current_database())) as size`.execute(db);
    log(`database size: ${size.rows[0].size}`);
  } finally {
    await close();
  }
}

/** Creates the bench database if it does not exist (connecting to the server's "postgres" database). */
async function ensureDatabase(url: string, dbName: string) {
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const { db, close } = await createDb({ url: admin.toString(), poolSize: 1 });
  try {
    const exists = await sql`select 1 from pg_database where datname = ${dbName}`.execute(db);
    if (exists.rows.length === 0) {
      await sql.raw(`create database "${dbName.replace(/"/g, '""')}"`).execute(db);
      log(`created database ${dbName}`);
    }
  } finally {
    await close();
  }
}

main().catch((e) => {
  console.error("bench:seed failed:", e instanceof Error ? e.message : e);
  process.exit(1);
});
