// `npm start`: builds the app if the build is missing or older than the sources (QUORUM_SKIP_BUILD=1
// skips the check), then runs the compiled server (build/server/main.js, from app/server/main.ts) in
// this same process, on plain Node: no TypeScript loader in production.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const root = process.cwd();
const builtFiles = ["build/server/index.js", "build/server/main.js"].map((p) => path.join(root, p));

function newestMtime(target) {
  if (!existsSync(target)) return 0;
  const st = statSync(target);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, name)));
  return newest;
}

function run(args) {
  const result = spawnSync(process.execPath, args, { stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
  if (result.status !== 0) {
    console.error("quorum: the build failed");
    process.exit(result.status ?? 1);
  }
}

function buildIfNeeded() {
  const sources = ["app", "db", "migrations", "public", "vite.config.ts", "package.json"].map((p) => path.join(root, p));
  const builtAt = Math.min(...builtFiles.map((f) => (existsSync(f) ? statSync(f).mtimeMs : 0)));
  if (builtAt && Math.max(...sources.map(newestMtime)) <= builtAt && process.env.QUORUM_FORCE_BUILD !== "1") return;
  console.log("quorum: building the app (sources changed or no build yet)…");
  run([path.join(root, "node_modules/@remix-run/dev/dist/cli.js"), "vite:build"]);
  run([path.join(root, "app/server/build-server.mjs")]);
}

if (process.env.QUORUM_SKIP_BUILD !== "1") buildIfNeeded();
await import(pathToFileURL(builtFiles[1]).href);
