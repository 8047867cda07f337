/**
 * The HTTP server. `npm start` (app/server/start.mjs) builds the app if needed and runs this file
 * compiled to build/server/main.js on plain Node: it opens the database (running migrations and
 * seeding the default boards) and serves on HOST:PORT (127.0.0.1:3000).
 *
 * Why our own Express server rather than remix-serve (which wraps the same @remix-run/express
 * adapter): loaders and actions need the client's socket address (rate limits per IP, the sessions
 * list), the embedded database must be migrated in the process that then serves it (PGlite allows one
 * process per data folder), and shutdown must close the database cleanly.
 */
import type {} from "~/web/context"; // AppLoadContext.clientIp (types only)
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import morgan from "morgan";
import { anonPageCache } from "./anon-cache";

process.env.NODE_ENV = "production";
const root = process.cwd();
const buildEntry = path.join(root, "build/server/index.js");

type EntryModule = {
  startup: () => Promise<void>;
  shutdown: () => Promise<void>;
  runRequest: <T>(fn: () => T) => T;
};

async function main() {
  const build = (await import(pathToFileURL(buildEntry).href)) as ServerBuild;
  const entry = build.entry.module as unknown as EntryModule;
  await entry.startup();

  const app = express();
  app.disable("x-powered-by");
  if (process.env.QUORUM_TRUST_PROXY === "1") app.set("trust proxy", true);
  app.use(compression());
  // Fingerprinted assets are immutable; the rest of public/ for an hour.
  app.use("/assets", express.static(path.join(root, "build/client/assets"), { immutable: true, maxAge: "1y" }));
  // Only paths that look like files (public/ holds favicon.svg and the like): a page's path would
  // cost a stat() system call on every request for nothing.
  const publicFiles = express.static(path.join(root, "build/client"), { maxAge: "1h" });
  app.use((req, res, next) => (/\.[a-z0-9]+$/i.test(req.path) && !req.path.endsWith(".data") ? publicFiles(req, res, next) : next()));
  if (process.env.QUORUM_ACCESS_LOG !== "0") app.use(morgan("tiny"));
  // The client's address for the app (clientIp(): rate limits, the sessions list). Always overwritten,
  // so a client cannot choose it; behind QUORUM_TRUST_PROXY=1, Express takes it from X-Forwarded-For.
  app.use((req, _res, next) => {
    const ip = req.ip ?? req.socket.remoteAddress;
    if (ip) req.headers["x-quorum-client-ip"] = ip;
    else delete req.headers["x-quorum-client-ip"];
    next();
  });
  // Each request runs in its own scope: a per-request memo (one session lookup per page) and, with
  // QUORUM_COUNT_QUERIES=1 (the benchmark), a count of its SQL queries (X-Quorum-Queries header).
  app.use((_req, _res, next) => entry.runRequest(() => next()));
  const cacheTtl = Number(process.env.QUORUM_ANON_CACHE_TTL ?? 2);
  if (cacheTtl > 0) {
    const maxEntries = Number(process.env.QUORUM_ANON_CACHE_ENTRIES ?? 500);
    const maxBytes = Number(process.env.QUORUM_ANON_CACHE_MB ?? 32) * 2 ** 20;
    app.use(anonPageCache({ ttlSeconds: cacheTtl, maxEntries, maxBytes, sessionCookie: "quorum_session" }).middleware);
  }
  app.all(
    "*",
    createRequestHandler({
      build,
      mode: "production",
      getLoadContext: (req) => ({ clientIp: req.ip ?? req.socket.remoteAddress ?? null }),
    }),
  );

  const port = Number(process.env.PORT ?? 3000);
  const host = process.env.HOST ?? "127.0.0.1";
  const server = app.listen(port, host, () => {
    const shown = host === "127.0.0.1" || host === "0.0.0.0" ? "localhost" : host;
    console.log(`quorum: serving on http://${shown}:${port} (${process.env.DATABASE_URL ? "PostgreSQL" : "embedded PGlite database"})`);
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`quorum: ${signal}, shutting down`);
    server.close();
    server.closeAllConnections?.();
    entry
      .shutdown()
      .catch((e) => console.error(e))
      .finally(() => process.exit(0));
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

main().catch((error) => {
  console.error("quorum: failed to start:", error);
  process.exit(1);
});
