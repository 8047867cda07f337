/**
 * The HTTP server. `npm start` (app/server/start.mjs) builds the app if needed and runs this file
 * compiled to build/server/main.js on plain Node: it opens the database (running migrations and
 * seeding the default boards) and serves on HOST:PORT (127.0.0.1:3000).
 *
 * Why our own Express server rather than remix-serve (which wraps the same @remix-run/express
 * adapter): loaders and actions need the client's socket address (rate limits per IP, the sessions
 * list), the embedded database must be migrated in the process that then serves it (PGlite allows one
 * process per data folder), shutdown must close the database cleanly, and the edge (edge.ts), the
 * health endpoints and the outage handling (outage.ts) sit in front of every route.
 */
import type {} from "~/web/context"; // AppLoadContext.clientIp (types only)
import { createServer } from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { accessLog } from "./access-log";
import { anonPageCache } from "./anon-cache";
import { edge } from "./edge";
import { guardRoutes, runInOutageScope } from "./outage";
import { config } from "../web/config.server";

process.env.NODE_ENV = "production";
const root = process.cwd();
const buildEntry = path.join(root, "build/server/index.js");

type EntryModule = {
  startup: () => Promise<void>;
  shutdown: () => Promise<void>;
  runRequest: <T>(fn: () => T) => T;
  dbStatus: () => Promise<{
    kind: "postgres" | "pglite";
    health: () => { up: boolean; since: number; lastError: string | null };
    ping: (timeoutMs: number) => Promise<{ ok: boolean; latencyMs: number; error?: string }>;
  }>;
  redactUrl: (url: string) => string;
  log: { error: (message: string, error?: unknown) => void };
};

// Until the app is loaded there is no request text to mask; from then on errors go through its log helper.
let logError = (message: string, error?: unknown) => console.error(message, error);

// A stray rejection (a background job whose database went away) is logged, never fatal: one failed
// query must not take every visitor's connection down with it.
process.on("unhandledRejection", (reason) => logError("quorum: unhandled rejection:", reason));

async function main() {
  const settings = config();
  const loaded = (await import(pathToFileURL(buildEntry).href)) as ServerBuild;
  const build = guardRoutes(loaded, settings.QUORUM_OUTAGE_RETRY_SECONDS);
  const entry = build.entry.module as unknown as EntryModule;
  logError = (message, error) => entry.log.error(message, error);
  await entry.startup();
  const db = await entry.dbStatus();

  let stopping = false;
  let inFlight = 0;
  const app = express();
  app.disable("x-powered-by");
  // Liveness: the process answers (no database). Readiness: the database answers, within a bound.
  app.get("/healthz", (_req, res) => {
    res.setHeader("Cache-Control", "no-store");
    res.type("text/plain").send("ok\n");
  });
  app.get("/readyz", async (_req, res) => {
    const ping = await db.ping(settings.QUORUM_READY_TIMEOUT_MS);
    const health = db.health();
    const ready = ping.ok && !stopping;
    res.setHeader("Cache-Control", "no-store");
    res.status(ready ? 200 : 503).json({
      status: ready ? "ready" : stopping ? "stopping" : "database unavailable",
      database: { kind: db.kind, up: ping.ok, latencyMs: ping.latencyMs, error: ping.error ?? (health.up ? undefined : health.lastError), since: new Date(health.since).toISOString() },
    });
  });
  app.use((_req, res, next) => {
    inFlight++;
    res.once("close", () => inFlight--);
    // Every 503 (the outage page, a data request) says when to come back.
    const writeHead = res.writeHead.bind(res) as (...a: unknown[]) => typeof res;
    res.writeHead = ((...args: unknown[]) => {
      const status = typeof args[0] === "number" ? args[0] : res.statusCode;
      if (status === 503 && !res.getHeader("retry-after")) res.setHeader("Retry-After", String(settings.QUORUM_OUTAGE_RETRY_SECONDS));
      if (stopping) res.setHeader("Connection", "close");
      return writeHead(...args);
    }) as typeof res.writeHead;
    next();
  });
  app.use(edge({ bodyLimitBytes: settings.QUORUM_BODY_LIMIT_KB * 1024, trustProxy: settings.QUORUM_TRUST_PROXY }));
  if (process.env.QUORUM_TRUST_PROXY === "1") app.set("trust proxy", true);
  app.use(compression());
  // Fingerprinted assets are immutable; the rest of public/ for an hour.
  app.use("/assets", express.static(path.join(root, "build/client/assets"), { immutable: true, maxAge: "1y" }));
  // Only paths that look like files (public/ holds favicon.svg and the like): a page's path would
  // cost a stat() system call on every request for nothing.
  const publicFiles = express.static(path.join(root, "build/client"), { maxAge: "1h" });
  app.use((req, res, next) => (/\.[a-z0-9]+$/i.test(req.path) && !req.path.endsWith(".data") ? publicFiles(req, res, next) : next()));
  if (process.env.QUORUM_ACCESS_LOG !== "0") app.use(accessLog(entry.redactUrl));
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
  app.use((_req, _res, next) => entry.runRequest(() => runInOutageScope(() => next())));
  const cacheTtl = Number(process.env.QUORUM_ANON_CACHE_TTL ?? 2);
  if (cacheTtl > 0) {
    const maxEntries = Number(process.env.QUORUM_ANON_CACHE_ENTRIES ?? 500);
    const maxBytes = Number(process.env.QUORUM_ANON_CACHE_MB ?? 32) * 2 ** 20;
    const staleMs = settings.QUORUM_ANON_CACHE_STALE_SECONDS * 1000;
    app.use(
      anonPageCache({
        ttlSeconds: cacheTtl,
        maxEntries,
        maxBytes,
        sessionCookie: "quorum_session",
        staleMs: () => (db.health().up ? 0 : staleMs),
      }).middleware,
    );
  }
  app.all(
    "*",
    createRequestHandler({
      build,
      mode: "production",
      getLoadContext: (req) => ({ clientIp: req.ip ?? req.socket.remoteAddress ?? null }),
    }),
  );

  const port = settings.PORT;
  const host = settings.HOST;
  // Slow-loris bounds: headers within QUORUM_HEADERS_TIMEOUT_MS, the whole request (body included)
  // within QUORUM_REQUEST_TIMEOUT_MS, else Node answers 408 and closes the connection.
  const server = createServer(
    { requestTimeout: settings.QUORUM_REQUEST_TIMEOUT_MS, headersTimeout: settings.QUORUM_HEADERS_TIMEOUT_MS, connectionsCheckingInterval: 1000 },
    app,
  );
  server.listen(port, host, () => {
    const shown = host === "127.0.0.1" || host === "0.0.0.0" ? "localhost" : host;
    console.log(`quorum: serving on http://${shown}:${port} (${process.env.DATABASE_URL ? "PostgreSQL" : "embedded PGlite database"})`);
  });

  // Graceful: stop accepting, let in-flight requests finish (at most QUORUM_SHUTDOWN_GRACE_MS), then
  // close the remaining connections, flush the view counts and close the database.
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`quorum: ${signal}, shutting down (${inFlight} requests in flight)`);
    server.close();
    server.closeIdleConnections?.();
    const until = Date.now() + settings.QUORUM_SHUTDOWN_GRACE_MS;
    while (inFlight > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    if (inFlight > 0) console.log(`quorum: ${inFlight} requests still running after the grace period; closing them`);
    server.closeAllConnections?.();
    const forced = setTimeout(() => process.exit(0), 5000);
    forced.unref();
    await entry.shutdown().catch((e) => logError("quorum: shutdown:", e));
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error) => {
  logError("quorum: failed to start:", error);
  process.exit(1);
});
