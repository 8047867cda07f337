/**
 * `npm run bench [-- --duration 20 --connections 10 --warmup 5 --skip-build --only thread --profile --encoding gzip]`
 *
 * Builds the app, starts the production server (one node process, so /proc/<pid> is the server's)
 * against the bench database (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/quorum_bench,
 * filled by `npm run bench:seed`), on 127.0.0.1 and a free port, and loads each page with autocannon.
 * Prints a table and writes tests/bench/results/<date>.md.
 */
import { execSync, spawn, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import autocannon from "autocannon";
import pg from "pg";
import { threadPath } from "../../app/web/paths";
import { freePort } from "../support/free-port";
import { startNodeFlags } from "../support/start-flags";
import { benchDatabaseUrl, benchSession, benchThread } from "./visitor";

type Opts = {
  duration: number;
  connections: number;
  warmup: number;
  skipBuild: boolean;
  only: string[];
  profile: boolean;
  note: string;
  /** The Accept-Encoding the load sends (`identity` measures a page without the cost of compressing it). */
  encoding: string;
};

function parseArgs(argv: string[]): Opts {
  const o: Opts = { duration: 20, connections: 10, warmup: 5, skipBuild: false, only: [], profile: false, note: "", encoding: "gzip" };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--duration") o.duration = Number(argv[++i]);
    else if (a === "--connections") o.connections = Number(argv[++i]);
    else if (a === "--warmup") o.warmup = Number(argv[++i]);
    else if (a === "--skip-build") o.skipBuild = true;
    else if (a === "--only") o.only.push(...argv[++i].split(","));
    else if (a === "--profile") o.profile = true;
    else if (a === "--note") o.note = argv[++i];
    else if (a === "--encoding") o.encoding = argv[++i];
    else throw new Error(`unknown option ${a}`);
  }
  return o;
}

const root = process.cwd();
const databaseUrl = benchDatabaseUrl;

type Target = { name: string; path: string; cookie?: string; note?: string };

type Result = {
  name: string;
  path: string;
  skipped?: string;
  rps?: number;
  p50?: number;
  p95?: number;
  p99?: number;
  max?: number;
  requests?: number;
  errors?: number;
  non2xx?: number;
  queries?: string;
  bytes?: number;
  /** Server CPU time per request (ms): unlike req/s, hardly affected by other load on the machine. */
  cpu?: number;
};

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

async function load(url: string, headers: Record<string, string>, connections: number, duration: number) {
  const latencies: number[] = [];
  const instance = autocannon({ url, connections, duration, headers, timeout: 10 });
  instance.on("response", (_client: unknown, _status: number, _bytes: number, responseTime: number) => latencies.push(responseTime));
  const r = await instance;
  latencies.sort((a, b) => a - b);
  return { r, latencies };
}

async function probe(base: string, t: Target) {
  const res = await fetch(base + t.path, { headers: t.cookie ? { Cookie: t.cookie } : {}, redirect: "manual" });
  const body = await res.text();
  return { status: res.status, queries: res.headers.get("x-quorum-queries"), cache: res.headers.get("x-quorum-cache"), bytes: Buffer.byteLength(body), body };
}

function git(cmd: string): string {
  try {
    return execSync(`git ${cmd}`, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "?";
  }
}

/** The process's CPU time (user + system) in ms, from /proc: contention-proof cost per request. */
function cpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in USER_HZ (100)
  } catch {
    return NaN;
  }
}

function vmRss(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/status`, "utf8").match(/VmRSS:\s+(\d+ kB)/)?.[1] ?? "?";
  } catch {
    return "?";
  }
}

function vmHwm(pid: number): string {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    return status.match(/VmHWM:\s+(\d+ kB)/)?.[1] ?? "?";
  } catch {
    return "?";
  }
}

async function discover(): Promise<{ targets: Target[]; dataset: string; cleanup: () => Promise<void> }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const q = async <T = Record<string, unknown>>(text: string, values: unknown[] = []) => (await client.query(text, values)).rows as T[];
  const [counts] = await q<{ users: string; threads: string; posts: string }>(
    "select (select count(*) from users) users, (select count(*) from threads) threads, (select count(*) from posts) posts",
  );
  if (Number(counts.posts) === 0) throw new Error("the bench database is empty: run `npm run bench:seed -- --posts 1000000` first");
  const [board] = await q<{ slug: string; thread_count: number }>("select slug, thread_count from boards order by thread_count desc limit 1");
  const thread = await benchThread(client);
  const session = await benchSession(client, "bench");
  const tPath = threadPath(thread.id, thread.slug);
  const targets: Target[] = [
    { name: "ceiling", path: "/_bench/ceiling", note: "framework ceiling: no DB, no React" },
    { name: "board list", path: "/" },
    { name: "board page", path: `/b/${board.slug}`, note: `${board.thread_count} threads` },
    { name: "thread (anon)", path: tPath, note: `${thread.reply_count} answers, page 1` },
    { name: "thread (logged in)", path: tPath, cookie: session.cookie },
    { name: "FAQ list", path: "/faq" },
    { name: "FAQ entry", path: "/faq/*" },
    { name: "search zh", path: `/search?q=${encodeURIComponent("提现 到账")}` },
    { name: "search en", path: `/search?q=${encodeURIComponent("withdrawal fee")}` },
    // Measured again at the end: on a shared machine the ceiling drifts with the other load.
    { name: "ceiling (again)", path: "/_bench/ceiling" },
  ];
  const dataset = `${Number(counts.users).toLocaleString("en")} users, ${Number(counts.threads).toLocaleString("en")} threads, ${Number(counts.posts).toLocaleString("en")} posts`;
  return {
    targets,
    dataset,
    cleanup: async () => {
      await session.end();
      await client.end();
    },
  };
}

const startLoad = os.loadavg().map((l) => l.toFixed(2)).join(" ");

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const dbName = new URL(databaseUrl).pathname.slice(1);
  if (!o.skipBuild) {
    console.log("bench: npm run build");
    const b = spawnSync("npm", ["run", "build"], { cwd: root, stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, NODE_ENV: "production" } });
    if (b.status !== 0) throw new Error("the build failed");
  }
  const { targets, dataset, cleanup } = await discover();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const profDir = path.join(root, "tests/bench/results/profiles");
  if (o.profile) mkdirSync(profDir, { recursive: true });
  // One plain node process (start.mjs imports the compiled server) so its pid is the server's, with
  // the Node flags of `npm start` (package.json: the V8 heap limit).
  const server = spawn(process.execPath, [...startNodeFlags(root), ...(o.profile ? ["--cpu-prof", `--cpu-prof-dir=${profDir}`] : []), "app/server/start.mjs"], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      QUORUM_SKIP_BUILD: "1",
      QUORUM_ACCESS_LOG: "0",
      QUORUM_COUNT_QUERIES: "1",
      DATABASE_URL: databaseUrl,
      HOST: "127.0.0.1",
      PORT: String(port),
    },
  });
  let serverLog = "";
  server.stdout.on("data", (d) => (serverLog += d));
  server.stderr.on("data", (d) => (serverLog += d));
  const results: Result[] = [];
  let peak = "?";
  let startRss = "?";
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (server.exitCode !== null) throw new Error(`the server exited:\n${serverLog}`);
      try {
        if ((await fetch(`${base}/healthz`)).ok) break;
      } catch {
        /* not listening yet */
      }
      if (Date.now() > deadline) throw new Error(`the server did not start in 60 s:\n${serverLog}`);
      await sleep(250);
    }
    startRss = vmRss(server.pid!);
    console.log(`bench: server pid ${server.pid} on ${base}, database ${dbName} (${dataset})`);
    for (const t of targets) {
      if (o.only.length && !o.only.some((w) => t.name.includes(w))) continue;
      if (t.path === "/faq/*") {
        // The first FAQ entry linked from the FAQ list, if the FAQ exists.
        const list = await probe(base, { name: "faq", path: "/faq" }).catch(() => null);
        const href = list?.status === 200 ? list.body.match(/href="(\/faq\/[^"?#]+)"/)?.[1] : undefined;
        if (!href) {
          results.push({ name: t.name, path: t.path, skipped: list?.status === 200 ? "no entry linked from /faq" : `${list?.status ?? "error"} on /faq` });
          console.log(`${t.name.padEnd(20)} skipped: ${results.at(-1)!.skipped}`);
          continue;
        }
        t.path = href;
      }
      const p = await probe(base, t);
      if (p.status !== 200) {
        results.push({ name: t.name, path: t.path, skipped: String(p.status) });
        console.log(`${t.name.padEnd(20)} skipped: ${p.status} on ${t.path}`);
        continue;
      }
      // A second request tells whether the page is served from the anonymous page cache.
      const again = await probe(base, t);
      const headers: Record<string, string> = { "Accept-Encoding": o.encoding };
      if (t.cookie) headers.Cookie = t.cookie;
      if (o.warmup > 0) await load(base + t.path, headers, o.connections, o.warmup);
      const cpuBefore = cpuMs(server.pid!);
      const { r, latencies } = await load(base + t.path, headers, o.connections, o.duration);
      const cpuPerRequest = (cpuMs(server.pid!) - cpuBefore) / Math.max(1, r.requests.total);
      const res: Result = {
        name: t.name,
        path: t.path,
        rps: r.requests.average,
        p50: percentile(latencies, 50),
        p95: percentile(latencies, 95),
        p99: percentile(latencies, 99),
        max: latencies.at(-1),
        requests: r.requests.total,
        errors: r.errors + r.timeouts,
        non2xx: r.non2xx,
        queries: (p.queries ?? "-") + (again.cache === "hit" ? " (then cached)" : ""),
        bytes: p.bytes,
        cpu: cpuPerRequest,
      };
      results.push(res);
      console.log(
        `${t.name.padEnd(20)} ${res.rps!.toFixed(0).padStart(6)} req/s  p50 ${res.p50!.toFixed(1)} ms  p95 ${res.p95!.toFixed(1)} ms  p99 ${res.p99!.toFixed(1)} ms  errors ${res.errors} non-2xx ${res.non2xx}  cpu ${res.cpu!.toFixed(2)} ms/req  queries ${res.queries}  ${p.bytes} B`,
      );
    }
    peak = vmHwm(server.pid!);
  } finally {
    server.kill("SIGTERM");
    await new Promise((r) => server.once("exit", r));
    await cleanup();
  }
  console.log(`peak RSS (VmHWM) of the server: ${peak} (RSS after start-up: ${startRss})`);
  writeReport(o, results, `${peak} (RSS after start-up, before any request: ${startRss})`, dataset, dbName);
}

function writeReport(o: Opts, results: Result[], peak: string, dataset: string, dbName: string) {
  const cpus = os.cpus();
  // The ratio is against the better of the two ceiling runs (the stricter comparison).
  const ceilings = results.filter((r) => r.name.startsWith("ceiling") && r.rps).map((r) => r.rps!);
  const ceiling = ceilings.length ? Math.max(...ceilings) : undefined;
  const stamp = new Date().toISOString().replace(/:/g, "-").replace(/\..*/, "");
  const dirty = git("status --porcelain --untracked-files=no") ? " (with uncommitted changes)" : "";
  let pgVersion = "?";
  try {
    pgVersion = execSync(`psql "${databaseUrl}" -Atc "show server_version"`, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    /* psql missing */
  }
  const f = (n: number | undefined, d = 1) => (n === undefined || Number.isNaN(n) ? "-" : n.toFixed(d));
  const lines = [
    `# Benchmark ${new Date().toISOString()}`,
    "",
    `- Machine: ${cpus.length} cores (${cpus[0]?.model ?? "?"}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB memory, load average at the end ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`,
    `- Software: Node ${process.version}, PostgreSQL ${pgVersion}, ${os.type()} ${os.release()}`,
    `- Commit: ${git("rev-parse --short HEAD")}${dirty} on ${git("rev-parse --abbrev-ref HEAD")}`,
    `- Dataset: database ${dbName}: ${dataset}`,
    `- Load: autocannon, ${o.connections} connections, ${o.duration} s per page after a ${o.warmup} s warm-up, 127.0.0.1, Accept-Encoding: ${o.encoding}`,
    `- Anonymous page cache: ${process.env.QUORUM_ANON_CACHE_TTL === "0" ? "OFF (QUORUM_ANON_CACHE_TTL=0)" : `on, TTL ${process.env.QUORUM_ANON_CACHE_TTL ?? 2} s`}`,
    `- Load average at the start: ${startLoad}`,
    `- Server CPU ms/req: the server process's user+system CPU time during the measured load divided by its requests (from /proc/<pid>/stat): the cost of a page, which other load on a shared machine hardly changes, unlike req/s and latencies`,
    `- Latencies: p50/p95/p99 computed from every response's time (autocannon's own summary shows p97.5, not p95)`,
    o.note ? `- Note: ${o.note}` : "",
    "",
    "| page | path | req/s | % of ceiling | p50 ms | p95 ms | p99 ms | max ms | errors | non-2xx | server CPU ms/req | SQL queries | bytes (uncompressed) |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...results.map((r) =>
      r.skipped
        ? `| ${r.name} | \`${r.path}\` | skipped: ${r.skipped} | | | | | | | | | | |`
        : `| ${r.name} | \`${decodeURI(r.path)}\` | ${f(r.rps, 0)} | ${ceiling ? f((100 * r.rps!) / ceiling, 0) + " %" : "-"} | ${f(r.p50)} | ${f(r.p95)} | ${f(r.p99)} | ${f(r.max)} | ${r.errors} | ${r.non2xx} | ${f(r.cpu, 2)} | ${r.queries} | ${r.bytes} |`,
    ),
    "",
    `Peak RSS of the server process (VmHWM): ${peak}`,
    "",
  ].filter((l, i, a) => l !== "" || a[i - 1] !== "");
  const dir = path.join(root, "tests/bench/results");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${stamp}.md`);
  writeFileSync(file, lines.join("\n") + "\n");
  console.log(`bench: wrote ${path.relative(root, file)}`);
}

main().catch((e) => {
  console.error("bench failed:", e instanceof Error ? e.message : e);
  process.exit(1);
});
