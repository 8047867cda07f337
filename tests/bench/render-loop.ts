/**
 * `npx tsx tests/bench/render-loop.ts [path] [--anon] [--n 300]`
 *
 * Renders one page N times in this process through Remix's request handler and the built server
 * (`npm run build` first): no HTTP, no compression, no concurrency — the cost of the page itself,
 * steadier than a load run. Prints wall and CPU ms per request. With `node --cpu-prof` (e.g.
 * `node --cpu-prof --import tsx tests/bench/render-loop.ts`) it gives a clean profile of one page.
 * DATABASE_URL defaults to the bench database; the default page is the 100-answer thread, logged in.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import pg from "pg";
import { threadPath } from "../../app/web/paths";
import { benchDatabaseUrl, benchSession, benchThread } from "./visitor";

process.env.NODE_ENV = "production";
process.env.DATABASE_URL = benchDatabaseUrl;
const args = process.argv.slice(2);
const anon = args.includes("--anon");
const nAt = args.indexOf("--n");
const n = nAt >= 0 ? Number(args[nAt + 1]) : 300;
const pagePath = args.find((a, i) => !a.startsWith("--") && args[i - 1] !== "--n");

const build = (await import(pathToFileURL(path.resolve("build/server/index.js")).href)) as ServerBuild;
await (build.entry.module as unknown as { startup: () => Promise<void> }).startup();
const handler = createRequestHandler(build, "production");
const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
await client.connect();
const thread = await benchThread(client);
const session = await benchSession(client, "render-loop");
const url = `http://localhost${pagePath ?? threadPath(thread.id, thread.slug)}`;
const headers: Record<string, string> = anon ? {} : { cookie: session.cookie };
async function once() {
  const res = await handler(new Request(url, { headers }));
  return { status: res.status, bytes: (await res.arrayBuffer()).byteLength };
}
try {
  for (let i = 0; i < 30; i++) await once(); // warm-up
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let last = { status: 0, bytes: 0 };
  for (let i = 0; i < n; i++) last = await once();
  const cpu = process.cpuUsage(cpu0);
  const wall = performance.now() - t0;
  console.log(
    `${decodeURI(url)} (${anon ? "anonymous" : "logged in"}): ${last.status}, ${last.bytes} B; ${n} renders: ` +
      `wall ${(wall / n).toFixed(2)} ms/req, CPU ${((cpu.user + cpu.system) / 1000 / n).toFixed(2)} ms/req`,
  );
} finally {
  await session.end();
  await client.end();
  process.exit(0);
}
