/**
 * `[DATABASE_URL=…] npx tsx tests/bench/search-check.ts [query…]` (default: the bench database)
 *
 * Bounded search against the exact ranking, on the bench database: for each query, the time of the
 * thread search as the app runs it (searchForum, median of 5 warm runs) and how its first page compares
 * with the exact ranking of EVERY match (ts_rank over all matching threads, the pre-issue-7 query,
 * seconds per query): overlap of the top 20, and the sum of the top 20's scores relative to the exact
 * top 20's (1.00 = as relevant as ranking everything).
 */
import { performance } from "node:perf_hooks";
import { sql } from "kysely";
import { createDb } from "~db/index";
import { prepareQuery, searchForum } from "~/models/search.server";
import { benchDatabaseUrl } from "./visitor";

const QUERIES = process.argv.slice(2).length
  ? process.argv.slice(2)
  : ["提现 到账", "withdrawal fee", "为什么我的充值一直没到账", "USDT TRC20 network", "助记词 安全", "hardware wallet stuck pending", "私钥", "swap failed", "交易哈希 区块浏览器", "nonce too low", "staking reward", "账户冻结 身份验证", "withdrawl", "confirmations"];

const trace = process.env.TRACE === "1";
const { db, close } = await createDb({
  url: benchDatabaseUrl,
  poolSize: 2,
  onQuery: trace ? (e) => console.log(`  ${e.queryDurationMillis.toFixed(1)} ms  ${e.query.sql.replace(/\s+/g, " ").slice(0, 140)}`) : undefined,
});
try {
  console.log("| query | bounded ms (median of 5) | matching threads | overlap of top 20 with exact | score sum vs exact |");
  console.log("|---|---:|---:|---:|---:|");
  for (const text of QUERIES) {
    const times: number[] = [];
    let hits: { id: number; score: number }[] = [];
    for (let i = 0; i < 6; i++) {
      const t0 = performance.now();
      const page = await searchForum(db, text, { type: "thread" });
      if (i > 0) times.push(performance.now() - t0);
      hits = page.hits;
    }
    times.sort((a, b) => a - b);
    const q = prepareQuery(text);
    let exact: { id: number; score: number }[] = [];
    let matches = 0;
    if (q.tsquery) {
      const r = await sql<{ id: string; score: number; n: string }>`
        select id, ts_rank(search_vector, to_tsquery('simple', ${q.tsquery})) as score, count(*) over () as n
        from threads t where search_vector @@ to_tsquery('simple', ${q.tsquery})
        order by score desc, (t.status = 'resolved') desc, t.last_post_at desc, t.id desc limit 20`.execute(db);
      exact = r.rows.map((x) => ({ id: Number(x.id), score: Number(x.score) }));
      matches = Number(r.rows[0]?.n ?? 0);
    }
    const top = hits.slice(0, 20);
    const ids = new Set(exact.map((e) => e.id));
    const overlap = exact.length ? top.filter((h) => ids.has(h.id)).length / Math.min(20, exact.length) : NaN;
    const sum = (xs: { score: number }[]) => xs.reduce((a, x) => a + x.score, 0);
    const ratio = exact.length ? sum(top) / sum(exact) : NaN;
    console.log(`| ${text} | ${times[2].toFixed(1)} | ${matches} | ${Number.isNaN(overlap) ? "-" : (overlap * 100).toFixed(0) + " %"} | ${Number.isNaN(ratio) ? "-" : ratio.toFixed(3)} |`);
  }
} finally {
  await close();
}
