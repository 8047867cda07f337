/**
 * `npm run bench:seed -- --posts 1000000 [--users 20000] [--threads 100000] [--seed 7] [--force]`
 * `npm run bench:seed -- --check`
 * `npm run bench:seed -- --faq`   (replaces only the FAQ entries of a seeded database)
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
import { renderMarkdown } from "../../app/content/markdown.server";
import { slugify } from "../../app/content/slug";
import { plainText } from "../../app/content/snippet";
import { MAX_INDEX_LENGTH, toIndexText } from "../../app/content/tokenize";
import { REP } from "../../app/domain/reputation";
import { hasWalletAddress } from "~/models/threads.server";
import { indexThreads, MAX_INDEXED_ANSWERS } from "~/models/search.server";
import { recountReputation } from "~/models/votes.server";
import { indexEntry } from "~/models/faq.server";
import { markdownBody, replyCounts, rng, threadTitle, weightedIndex } from "./generate";

export const BENCH_PASSWORD = "bench-password-123";

type Options = { posts: number; users: number; threads: number; seed: number; force: boolean; check: boolean; faq: boolean; pool: number };

function parseArgs(argv: string[]): Options {
  const o: Options = { posts: 1_000_000, users: 20_000, threads: 100_000, seed: 7, force: false, check: false, faq: false, pool: 4000 };
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
    else if (a === "--faq") o.faq = true;
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

type Ctx = { db: Database; o: Options; random: () => number; now: Date; span: number; plains: string[] };

/** The pool body of post `n` of thread `t` (SQL expression over columns named t.id and n): the one formula the posts and the search vectors share. */
const bodyOf = (pool: number) => sql.raw(`((t.id * 104729 + n * 7919) % ${pool})`);
/** The pool title of thread t. */
const titleOf = (pool: number) => sql.raw(`((t.id * 7919) % ${pool})`);

// ---------------------------------------------------------------------------------------------
// users: one argon2 hash shared by all (password BENCH_PASSWORD), a few staff, e-mail verified.
// Reputation starts at 1 (raw 0) and is computed from the votes and acceptances (seedReputation).
async function seedUsers({ db, o }: Ctx) {
  const hash = await hashPassword(BENCH_PASSWORD);
  await sql`
    insert into users (username, email, password_hash, role, reputation, reputation_raw, locale, created_at, email_verified_at)
    select 'user' || g, 'user' || g || '@bench.example', ${hash},
           case when g <= 3 then 'admin' when g <= 20 then 'moderator' else 'user' end,
           1, 0,
           case when g % 3 = 0 then 'en' else 'zh-CN' end,
           c.at, c.at + interval '10 minutes'
    from generate_series(1, ${o.users}::int) g
    cross join lateral (select now() - interval '800 days' + (g::float / ${o.users}) * interval '790 days' as at) c`.execute(db);
}

// boards: the default boards (db/seed.ts); their counters are recomputed at the end.
async function seedBoards({ db }: Ctx) {
  await seedDefaultBoards(db);
}

// bench_bodies / bench_titles: pools rendered once in JS, joined into posts/threads on the server.
// Besides the HTML, each body's search text is computed once here, with the app's own functions:
// plain_len = length of plainText(md) (indexThread stops adding answers at MAX_INDEX_LENGTH),
// idx = toIndexText(plainText(md)); titles get toIndexText(title); has_address = hasWalletAddress(md).
async function seedPools(ctx: Ctx) {
  const { db, o, random } = ctx;
  await sql`create unlogged table bench_bodies (id int primary key, md text not null, html text not null,
                                                 plain_len int not null, idx text not null, has_address boolean not null)`.execute(db);
  await sql`create unlogged table bench_titles (id int primary key, title text not null, slug text not null, idx text not null)`.execute(db);
  const mds = Array.from({ length: o.pool }, () => markdownBody(random));
  const htmls = mds.map((md) => renderMarkdown(md));
  ctx.plains = mds.map((md) => plainText(md));
  const lens = ctx.plains.map((p) => p.length);
  const idxs = ctx.plains.map((p) => toIndexText(p));
  const addr = mds.map((md) => hasWalletAddress(md));
  const ids = mds.map((_, i) => i);
  await sql`insert into bench_bodies (id, md, html, plain_len, idx, has_address)
            select * from unnest(${ids}::int[], ${mds}::text[], ${htmls}::text[], ${lens}::int[], ${idxs}::text[], ${addr}::boolean[])`.execute(db);
  const titles = Array.from({ length: o.pool }, () => threadTitle(random));
  await sql`insert into bench_titles (id, title, slug, idx)
            select * from unnest(${ids}::int[], ${titles}::text[], ${titles.map(slugify)}::text[], ${titles.map((t) => toIndexText(t))}::text[])`.execute(db);
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
             'open', -- derived later (seedStatus), with the trigger's rules
             x.rc,
             x.rc * 7 + floor(random() * 300)::int,
             false,
             c.created_at, c.created_at, c.created_at
      from unnest(${ids}::bigint[], ${rc}::int[], ${bo}::int[]) as x(id, rc, board_id)
      cross join lateral (select now() - interval '700 days' + (x.id::float / ${o.threads}) * interval '699 days'
                                  + random() * interval '1 hour' as created_at) c
      join bench_titles tt on tt.id = (x.id * 7919) % ${o.pool}`.execute(db); // = titleOf(pool)
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
      insert into posts (thread_id, author_id, post_number, body_md, body_html, has_address, created_at)
      select t.id,
             case when n = 1 then t.author_id else 1 + floor(power(random(), 2) * ${o.users})::int end,
             n, b.md, b.html, b.has_address,
             least(now(), t.created_at + (n - 1) * ((1 + (t.id * 7919) % 240) * interval '1 minute'))
      from threads t
      cross join lateral generate_series(1, t.reply_count + 1) n
      join bench_bodies b on b.id = ${bodyOf(o.pool)}
      where t.id >= ${start} and t.id < ${start + CHUNK}
      order by t.id, n`.execute(db);
    if ((start - 1) % (CHUNK * 5) === 0) log(`  posts for threads ${start}…${Math.min(o.threads, start + CHUNK - 1)}`);
  }
}

// votes: a long-tailed number per post (mean ≈ 2.5, up to 11), 85 % up; the voters of one post are
// consecutive user ids from a random (activity-skewed) start, so the (user_id, post_id) pairs are
// unique by construction; a post's own author never votes on it.
async function seedVotes({ db, o }: Ctx) {
  const CHUNK = 200_000;
  const max = Number((await sql<{ m: string }>`select coalesce(max(id), 0) as m from posts`.execute(db)).rows[0].m);
  for (let start = 1; start <= max; start += CHUNK) {
    await sql`
      insert into votes (user_id, post_id, value, created_at)
      select 1 + (p.base + j) % ${o.users}, p.id,
             case when random() < 0.85 then 1 else -1 end,
             least(now(), p.created_at + random() * interval '5 days')
      from (select id, author_id, created_at,
                   floor(power(random(), 2) * ${o.users})::int as base,
                   least(floor(power(random(), 3) * 12)::int, ${o.users} - 1) as k
            from posts where id >= ${start} and id < ${start + CHUNK} offset 0) p
      cross join lateral generate_series(1, p.k) j
      where 1 + (p.base + j) % ${o.users} <> p.author_id
      order by 1, 2`.execute(db);
  }
  const n = await sql<{ n: string }>`select count(*) as n from votes`.execute(db);
  log(`  ${Number(n.rows[0].n)} votes`);
}

// posts.score = the sum of its votes (as castVote keeps it).
async function seedScores({ db }: Ctx) {
  await sql`
    update posts p set score = s.score
    from (select post_id, sum(value)::int as score from votes group by post_id) s
    where p.id = s.post_id and s.score <> 0`.execute(db);
}

// Accepted answers (by the asker) on 55 % of answered threads; on boards needing staff verification,
// 40 % of answered threads have a verified answer (by a staff member) and 30 % an accepted one.
async function seedAcceptance({ db }: Ctx) {
  await sql`
    update threads t set accepted_post_id = p.id, accepted_by = t.author_id,
                         accepted_at = least(now(), p.created_at + interval '3 hours')
    from (select t.id, 2 + floor(random() * t.reply_count)::int as n
          from threads t join boards b on b.id = t.board_id
          where t.reply_count > 0 and random() < (case when b.needs_verification then 0.3 else 0.55 end) offset 0) c
    join posts p on p.thread_id = c.id and p.post_number = c.n
    where t.id = c.id`.execute(db);
  await sql`
    update threads t set verified_post_id = p.id, verified_by = 1 + t.id % 20,
                         verified_at = least(now(), p.created_at + interval '1 day')
    from (select t.id, case when t.accepted_post_id is not null and random() < 0.7 then null
                            else 2 + floor(random() * t.reply_count)::int end as n,
                 t.accepted_post_id
          from threads t join boards b on b.id = t.board_id
          where b.needs_verification and t.reply_count > 0 and random() < 0.4 offset 0) c
    join posts p on p.thread_id = c.id and (p.post_number = c.n or (c.n is null and p.id = c.accepted_post_id))
    where t.id = c.id`.execute(db);
}

// threads.score (its question's score) and threads.status, with the rules of the trigger
// threads_derive_status (disabled during the load, enabled again at the end).
async function seedThreadDerived({ db }: Ctx) {
  await sql`
    update threads t
    set score = q.score,
        status = case when (case when b.needs_verification then t.verified_post_id is not null
                                 else t.accepted_post_id is not null or t.verified_post_id is not null end) then 'resolved'
                      when t.reply_count > 0 then 'answered' else 'open' end
    from boards b, posts q
    where b.id = t.board_id and q.thread_id = t.id and q.post_number = 1`.execute(db);
}

// Reputation from the votes and acceptances: the SQL of recountReputation (votes.server.ts), set-based.
async function seedReputation({ db }: Ctx) {
  await sql`
    with deltas as (
      select p.author_id as user_id,
             case when v.value > 0 then (case when p.post_number = 1 then ${REP.questionUpvote}::int else ${REP.answerUpvote}::int end)
                  else ${REP.downvote}::int end as d
        from votes v join posts p on p.id = v.post_id
      union all
      select p.author_id, ${REP.accepted}::int from threads t join posts p on p.id = t.accepted_post_id where p.author_id <> t.author_id
      union all
      select t.author_id, ${REP.acceptor}::int from threads t join posts p on p.id = t.accepted_post_id
       where p.author_id <> t.author_id and t.accepted_by = t.author_id
      union all
      select p.author_id, ${REP.verified}::int from threads t join posts p on p.id = t.verified_post_id
    )
    update users u set reputation_raw = s.raw, reputation = greatest(1, 1 + s.raw)
    from (select user_id, sum(d)::int as raw from deltas group by user_id) s
    where u.id = s.user_id`.execute(db);
}

// threads.search_vector, exactly as indexThread builds it: title (A) || question (D) || answers (D),
// the answers being posts 2..MAX_INDEXED_ANSWERS+1 appended (plainText + "\n") while the text is
// shorter than MAX_INDEX_LENGTH. The pooled bodies' index texts were computed once (seedPools);
// joining them with spaces gives the same tokens as indexing the concatenation, except where the
// concatenation exceeds MAX_INDEX_LENGTH (toIndexText cuts it): those few threads are computed here
// in TypeScript from the pooled plain texts. `--check` compares a sample with indexThreads.
async function seedSearchVectors({ db, o, plains }: Ctx) {
  await sql`
    create unlogged table bench_answers as
    select t.id as thread_id, n, b.idx,
           coalesce(sum(b.plain_len + 1) over (partition by t.id order by n rows between unbounded preceding and 1 preceding), 0) as before,
           b.plain_len
    from threads t
    cross join lateral generate_series(2, least(t.reply_count + 1, ${MAX_INDEXED_ANSWERS + 1}::int)) n
    join bench_bodies b on b.id = ${bodyOf(o.pool)}`.execute(db);
  const long = await sql<{ id: string; rc: number }>`
    select t.id, t.reply_count as rc from threads t
    where exists (select 1 from bench_answers a where a.thread_id = t.id and a.before < ${MAX_INDEX_LENGTH}
                    and a.before + a.plain_len + 1 > ${MAX_INDEX_LENGTH})`.execute(db);
  const ids: number[] = [];
  const texts: string[] = [];
  for (const r of long.rows) {
    const id = Number(r.id);
    let answers = "";
    for (let n = 2; n <= Math.min(r.rc + 1, MAX_INDEXED_ANSWERS + 1); n++) {
      if (answers.length >= MAX_INDEX_LENGTH) break;
      answers += plains[(id * 104729 + n * 7919) % o.pool] + "\n";
    }
    ids.push(id);
    texts.push(toIndexText(answers));
  }
  log(`  ${ids.length} threads whose answers exceed ${MAX_INDEX_LENGTH} characters indexed in TypeScript`);
  await sql`create unlogged table bench_long as select * from unnest(${ids}::bigint[], ${texts}::text[]) as l(id, idx)`.execute(db);
  await sql`
    update threads t
    set search_title = setweight(to_tsvector('simple', tt.idx), 'A'),
        search_vector = setweight(to_tsvector('simple', tt.idx), 'A')
                     || setweight(to_tsvector('simple', q.idx), 'D')
                     || setweight(to_tsvector('simple', coalesce(l.idx, a.idx, '')), 'D')
    from bench_titles tt, bench_bodies q, threads t2
    left join bench_long l on l.id = t2.id
    left join (select thread_id, string_agg(idx, ' ' order by n) filter (where idx <> '') as idx
               from bench_answers where before < ${MAX_INDEX_LENGTH} group by thread_id) a on a.thread_id = t2.id
    where t2.id = t.id and tt.id = ${titleOf(o.pool)} and q.id = ((t.id * 104729 + 1 * 7919) % ${o.pool})`.execute(db);
  await sql`drop table bench_answers, bench_long`.execute(db);
}

// FAQ entries (issue 4's tables): a few hundred entries promoted from solved threads with distinct
// titles (the best candidates first, as listCandidates ranks them: verified, then views), in the
// threads' board sections, with provenance (source thread, answer, its revision and author), 1–3
// revisions (a later revision appends a staff note), a promotion audit row, reader feedback whose
// counts match faq_entries.helpful_yes/no, and the search vector indexEntry writes. Mostly published
// (a few drafts and archived entries, which /faq must not list). Few rows, so built in TypeScript with
// the app's own functions (renderMarkdown, slugify, toIndexText, plainText). `--faq` re-runs only this.
const FAQ_NOTE = "\n\n> 官方补充 / Staff note: 如仍未解决,请在帮助中心提交工单。If it is still unresolved, open a ticket in the help center.";

async function seedFaq({ db, o }: Ctx) {
  const want = Math.max(1, Math.min(300, Math.round(o.threads / 330)));
  const rows = (
    await sql<{ thread_id: string; title: string; board_id: string; post_id: string; body_md: string; revision: number; author_id: string; username: string; at: Date }>`
      select c.id as thread_id, c.title, c.board_id, p.id as post_id, p.body_md, p.revision, p.author_id, u.username,
             coalesce(c.verified_at, c.accepted_at) as at
      from (select distinct on (t.title) t.*
              from threads t
             where t.status = 'resolved' and t.hidden_at is null
             order by t.title, (t.verified_post_id is not null) desc, t.view_count desc, t.id) c
      join posts p on p.id = coalesce(c.verified_post_id, c.accepted_post_id)
      join users u on u.id = p.author_id
      order by (c.verified_post_id is not null) desc, c.view_count desc, c.id
      limit ${want}`.execute(db)
  ).rows;
  const slugs = new Set<string>();
  const position = new Map<string, number>();
  const entries = rows.map((r, i) => {
    let slug = slugify(r.title);
    for (let k = 2; slugs.has(slug); k++) slug = `${slugify(r.title)}-${k}`;
    slugs.add(slug);
    const pos = (position.get(r.board_id) ?? 0) + 10;
    position.set(r.board_id, pos);
    const revisions = 1 + (i % 4 === 0 ? 1 : 0) + (i % 10 === 0 ? 1 : 0);
    const texts = Array.from({ length: revisions }, (_, k) => r.body_md + FAQ_NOTE.repeat(k));
    const answer = texts[texts.length - 1];
    const status = i % 20 === 7 ? "draft" : i % 20 === 13 ? "archived" : "published";
    return { r, slug, pos, texts, answer, status, staff: 1 + (i % 20), yes: status === "published" ? (i * 7) % 13 : 0, no: status === "published" ? (i * 3) % 4 : 0 };
  });
  const ids = (
    await sql<{ id: string }>`
      insert into faq_entries (slug, question, answer_md, answer_html, board_id, position, status, source_thread_id, source_post_id,
                               source_revision, source_author_id, source_author_name, promoted_by, promoted_at, reviewed_at, updated_at,
                               revision, search_vector)
      select e.slug, e.question, e.answer, e.html, e.board_id, e.pos, e.status, e.thread_id, e.post_id, e.rev, e.author_id, e.username,
             e.staff, e.at + interval '2 days', e.at + interval '2 days' + e.rc * interval '7 days', e.at + interval '2 days' + e.rc * interval '7 days', e.rc,
             setweight(to_tsvector('simple', e.qidx), 'A') || setweight(to_tsvector('simple', e.aidx), 'D')
      from unnest(${entries.map((e) => e.slug)}::text[], ${entries.map((e) => e.r.title)}::text[], ${entries.map((e) => e.answer)}::text[],
                  ${entries.map((e) => renderMarkdown(e.answer))}::text[], ${entries.map((e) => e.r.board_id)}::bigint[], ${entries.map((e) => e.pos)}::int[],
                  ${entries.map((e) => e.status)}::text[], ${entries.map((e) => e.r.thread_id)}::bigint[], ${entries.map((e) => e.r.post_id)}::bigint[],
                  ${entries.map((e) => e.r.revision)}::int[], ${entries.map((e) => e.r.author_id)}::bigint[], ${entries.map((e) => e.r.username)}::text[],
                  ${entries.map((e) => e.staff)}::bigint[], ${entries.map((e) => e.r.at)}::timestamptz[], ${entries.map((e) => e.texts.length)}::int[],
                  ${entries.map((e) => toIndexText(e.r.title))}::text[], ${entries.map((e) => toIndexText(plainText(e.answer)))}::text[])
           with ordinality as e(slug, question, answer, html, board_id, pos, status, thread_id, post_id, rev, author_id, username, staff, at, rc, qidx, aidx, ord)
      order by e.ord
      returning id`.execute(db)
  ).rows.map((x) => Number(x.id));
  const rev = entries.flatMap((e, i) => e.texts.map((text, k) => ({ id: ids[i], k: k + 1, q: e.r.title, text, staff: e.staff, at: e.r.at })));
  await sql`
    insert into faq_revisions (entry_id, revision, question, answer_md, editor_id, created_at)
    select id, k, q, text, staff, at + interval '2 days' + (k - 1) * interval '7 days'
    from unnest(${rev.map((x) => x.id)}::bigint[], ${rev.map((x) => x.k)}::int[], ${rev.map((x) => x.q)}::text[], ${rev.map((x) => x.text)}::text[],
                ${rev.map((x) => x.staff)}::bigint[], ${rev.map((x) => x.at)}::timestamptz[]) as r(id, k, q, text, staff, at)`.execute(db);
  await sql`
    insert into audit_log (actor_id, action, target_type, target_id, details, created_at)
    select e.promoted_by, 'faq.promote', 'faq_entry', e.id,
           jsonb_build_object('threadId', e.source_thread_id, 'postId', e.source_post_id, 'revision', e.source_revision, 'status', e.status), e.promoted_at
    from faq_entries e where e.id = any(${ids}::bigint[])`.execute(db);
  // Feedback: `yes` + `no` distinct voters per entry (accounts u:<id>), the counters set to match.
  const fb = entries.flatMap((e, i) => Array.from({ length: e.yes + e.no }, (_, k) => ({ id: ids[i], voter: `u:${100 + ((i * 37 + k) % Math.max(1, o.users - 100))}`, helpful: k < e.yes })));
  await sql`
    insert into faq_feedback (entry_id, voter_key, helpful, comment)
    select id, voter, helpful, case when helpful then null else 'Did not help: my case is different.' end
    from unnest(${fb.map((x) => x.id)}::bigint[], ${fb.map((x) => x.voter)}::text[], ${fb.map((x) => x.helpful)}::boolean[]) as f(id, voter, helpful)
    on conflict do nothing`.execute(db);
  await sql`
    update faq_entries e set helpful_yes = coalesce(s.yes, 0), helpful_no = coalesce(s.no, 0)
    from faq_entries e2 left join (select entry_id, count(*) filter (where helpful) as yes, count(*) filter (where not helpful) as no
                                   from faq_feedback group by entry_id) s on s.entry_id = e2.id
    where e2.id = e.id`.execute(db);
  log(`  ${ids.length} FAQ entries (${entries.filter((e) => e.status === "published").length} published), ${rev.length} revisions, ${fb.length} feedback votes`);
}

/** `--faq`: replaces the FAQ of an already seeded database (the section above alone). */
async function reseedFaq(ctx: Ctx) {
  await sql`delete from faq_entries`.execute(ctx.db); // revisions and feedback cascade
  await sql`delete from audit_log where action = 'faq.promote'`.execute(ctx.db);
  await timed("FAQ entries", () => seedFaq(ctx));
  await sql`vacuum (analyze) faq_entries, faq_revisions, faq_feedback`.execute(ctx.db);
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
}

const SECTIONS: { name: string; run: (c: Ctx) => Promise<void> }[] = [
  { name: "users", run: seedUsers },
  { name: "boards", run: seedBoards },
  { name: "pools (bodies rendered once)", run: seedPools },
  { name: "threads", run: seedThreads },
  { name: "posts", run: seedPosts },
  { name: "votes", run: seedVotes },
  { name: "post scores", run: seedScores },
  { name: "accepted and verified answers", run: seedAcceptance },
  { name: "thread score and status", run: seedThreadDerived },
  { name: "reputation", run: seedReputation },
  { name: "search vectors", run: seedSearchVectors },
  { name: "FAQ entries", run: seedFaq },
  { name: "recount counters", run: recount },
];

/** Counters recomputed from scratch and compared with the stored ones: each returns the mismatches. */
const CHECKS: ({ name: string; query: ReturnType<typeof sql<{ n: number }>> } | { name: string; count: (db: Database) => Promise<number> })[] = [
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
  {
    name: "posts.score = sum of its votes",
    query: sql<{ n: number }>`
      select count(*)::int as n from posts p
      left join (select post_id, sum(value)::int as s from votes group by post_id) v on v.post_id = p.id
      where p.score <> coalesce(v.s, 0)`,
  },
  {
    name: "threads.score = its question's score",
    query: sql<{ n: number }>`select count(*)::int as n from threads t join posts q on q.thread_id = t.id and q.post_number = 1 where t.score <> q.score`,
  },
  {
    name: "no self-votes",
    query: sql<{ n: number }>`select count(*)::int as n from votes v join posts p on p.id = v.post_id where v.user_id = p.author_id`,
  },
  {
    name: "accepted / verified posts are answers of their thread; accepted by the asker",
    query: sql<{ n: number }>`
      select count(*)::int as n from threads t
      left join posts a on a.id = t.accepted_post_id
      left join posts v on v.id = t.verified_post_id
      where (t.accepted_post_id is not null and (a.thread_id <> t.id or a.post_number = 1 or t.accepted_by is distinct from t.author_id))
         or (t.verified_post_id is not null and (v.thread_id <> t.id or v.post_number = 1 or t.verified_by is null))`,
  },
  {
    name: "threads.status (the rules of threads_derive_status)",
    query: sql<{ n: number }>`
      select count(*)::int as n from threads t join boards b on b.id = t.board_id
      where t.status <> case when (case when b.needs_verification then t.verified_post_id is not null
                                        else t.accepted_post_id is not null or t.verified_post_id is not null end) then 'resolved'
                             when t.reply_count > 0 then 'answered' else 'open' end`,
  },
  {
    name: "users.reputation (recountReputation, dry run)",
    count: async (db) => (await recountReputation(db)).length,
  },
  {
    name: "faq_entries.helpful_yes / helpful_no = its feedback",
    query: sql<{ n: number }>`
      select count(*)::int as n from faq_entries e
      left join (select entry_id, count(*) filter (where helpful) as yes, count(*) filter (where not helpful) as no from faq_feedback group by entry_id) f
        on f.entry_id = e.id
      where e.helpful_yes <> coalesce(f.yes, 0) or e.helpful_no <> coalesce(f.no, 0)`,
  },
  {
    name: "faq_entries: revision = its latest faq_revisions row, with the same text; source = the thread's verified/accepted answer",
    query: sql<{ n: number }>`
      select count(*)::int as n from faq_entries e
      left join faq_revisions r on r.entry_id = e.id and r.revision = e.revision
      left join threads t on t.id = e.source_thread_id
      where r.id is null or r.answer_md <> e.answer_md or r.question <> e.question
         or (select max(revision) from faq_revisions x where x.entry_id = e.id) <> e.revision
         or e.source_post_id is distinct from coalesce(t.verified_post_id, t.accepted_post_id)`,
  },
  {
    name: "FAQ search vectors = what indexEntry writes",
    count: faqVectorSample,
  },
  {
    name: "search vectors of 300 sampled threads (and the longest) = what indexThreads writes",
    count: searchVectorSample,
  },
];

class Rollback extends Error {}

/**
 * Reads `select id, search_vector::text as v …` rows, rewrites those rows' vectors with the app's own
 * writer inside a transaction, reads them again, rolls back: the number of vectors that differ.
 */
async function rewriteAndCompare(db: Database, what: string, read: (trx: Database, ids?: number[]) => Promise<{ id: string; v: string }[]>, rewrite: (trx: Database, ids: number[]) => Promise<void>): Promise<number> {
  let mismatches = -1;
  try {
    await db.transaction().execute(async (trx) => {
      const before = await read(trx);
      const ids = before.map((r) => Number(r.id));
      await rewrite(trx, ids);
      const was = new Map(before.map((r) => [r.id, r.v]));
      mismatches = (await read(trx, ids)).filter((r) => was.get(r.id) !== r.v).length;
      console.log(`  (${before.length} ${what} compared)`);
      throw new Rollback();
    });
  } catch (e) {
    if (!(e instanceof Rollback)) throw e;
  }
  return mismatches;
}

/** A sample of thread vectors (and the longest threads') against indexThreads. */
function searchVectorSample(db: Database): Promise<number> {
  return rewriteAndCompare(
    db,
    "threads",
    async (trx, ids) =>
      (ids
        ? await sql<{ id: string; v: string }>`select id, search_vector::text || ' / ' || search_title::text as v from threads where id = any(${ids}::bigint[])`.execute(trx)
        : await sql<{ id: string; v: string }>`
            select id, search_vector::text || ' / ' || search_title::text as v from threads
            where id in (select id from threads tablesample bernoulli (5) limit 300)
               or id in (select id from threads order by reply_count desc limit 20)`.execute(trx)
      ).rows,
    (trx, ids) => indexThreads(trx, ids),
  );
}

/** Every FAQ entry's vector against indexEntry. */
function faqVectorSample(db: Database): Promise<number> {
  return rewriteAndCompare(
    db,
    "FAQ entries",
    async (trx) => (await sql<{ id: string; v: string }>`select id, search_vector::text as v from faq_entries order by id`.execute(trx)).rows,
    async (trx, ids) => {
      for (const id of ids) await indexEntry(trx, id);
    },
  );
}

async function runChecks(db: Database): Promise<boolean> {
  let ok = true;
  for (const c of CHECKS) {
    const n = await timed(`check ${c.name}`, async () => ("count" in c ? c.count(db) : ((await c.query.execute(db)).rows[0]?.n ?? 0)));
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
    const ctx: Ctx = { db, o, random: rng(o.seed), now: new Date(), span: 700, plains: [] };
    if (o.faq) {
      const n = await sql<{ n: string }>`select count(*) as n from threads`.execute(db);
      o.threads = Number(n.rows[0].n);
      await reseedFaq(ctx);
      return;
    }
    log(`seeding ${dbName}: ${o.posts} posts, ${o.threads} threads, ${o.users} users (seed ${o.seed}); wiping its public schema`);
    await sql`drop schema public cascade`.execute(db);
    await sql`create schema public`.execute(db);
    await migrateToLatest(db);
    // Bulk load without WAL flushes per commit; indexes and foreign keys are rebuilt afterwards.
    await sql`set synchronous_commit = off`.execute(db);
    const tables = ["users", "threads", "posts", "boards", "votes"];
    const defs = (await secondaryDefs(db, tables)).filter((d) => d.table !== "boards");
    for (const d of defs.filter((x) => x.kind === "constraint").reverse()) {
      await sql.raw(`alter table ${d.table} drop constraint ${d.name}`).execute(db);
    }
    for (const d of defs.filter((x) => x.kind === "index")) await sql.raw(`drop index ${d.name}`).execute(db);
    log(`dropped ${defs.length} secondary indexes/constraints for the load`);

    // Status is derived set-based with the trigger's rules (seedThreadDerived); enabled again below.
    await sql`alter table threads disable trigger threads_status`.execute(db);
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
    await sql`alter table threads enable trigger threads_status`.execute(db);
    for (const t of ["users", "threads", "posts", "boards"]) {
      await sql.raw(`select setval(pg_get_serial_sequence('${t}', 'id'), (select coalesce(max(id), 1) from ${t}))`).execute(db);
    }
    await sql`drop table bench_bodies, bench_titles`.execute(db);
    await timed("vacuum analyze", () => sql`vacuum (analyze) users, boards, threads, posts, votes`.execute(db));
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
