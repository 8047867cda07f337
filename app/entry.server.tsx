import { randomBytes } from "node:crypto";
import { createReadableStreamFromReadable, type EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { i18nConfig } from "~/i18n/config";
import { i18nFor } from "~/i18n/instances.server";
import { getLocale } from "~/i18n/i18next.server";
import { ReactFlushChunks } from "~/web/flush-chunks.server";
import { closeDb, countQueriesPerRequest, currentQueryCount, getDb, getDbHandle, runInQueryScope } from "~/db.server";
import { startViewFlusher, stopViewFlusher } from "~/models/views.server";
import { NonceContext } from "~/components/nonce";
import { runInRequestScope } from "~/web/request-scope.server";
import { config } from "~/web/config.server";
import { isDatabaseUnavailable } from "~db/errors";
import { log } from "~/web/log.server";

/** For app/server/main.ts's access log: the one URL redaction, shared with the app's own logging. */
export { redactUrl } from "~/web/redact.server";
// The server (app/server/main.ts) logs its own stray errors through the same masking helper.
export { log } from "~/web/log.server";

export const streamTimeout = 5_000;

/** Called once by app/server/main.ts before it listens: opens the database, migrates, seeds. */
export async function startup() {
  // A mistyped setting stops the server here, naming the variable, rather than surfacing mid-request.
  config();
  // A database that is not up yet is waited for (a server and its database often start together).
  for (let attempt = 1; ; attempt++) {
    try {
      await getDbHandle();
      break;
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      if (attempt === 1) log.error(`quorum: waiting for the database (${error instanceof Error ? error.message : String(error)})`);
      await new Promise((r) => setTimeout(r, Math.min(5000, 500 * attempt)));
    }
  }
  startViewFlusher(getDb);
}

/**
 * app/server/main.ts runs every request inside this: the per-request memo (request-scope.server.ts)
 * and, when QUORUM_COUNT_QUERIES=1, the query counter (db.server.ts).
 */
export function runRequest<T>(fn: () => T): T {
  return countQueriesPerRequest ? runInRequestScope(() => runInQueryScope(fn)) : runInRequestScope(fn);
}

function reportQueries(headers: Headers) {
  if (!countQueriesPerRequest) return;
  const n = currentQueryCount();
  if (n !== null) headers.set("X-Quorum-Queries", String(n));
}

/** Data requests (client navigations, single fetch): only the query count header is added. */
export function handleDataRequest(response: Response) {
  reportQueries(response.headers);
  return response;
}

/** The database's state for /readyz and the anonymous page cache (app/server/main.ts). */
export async function dbStatus() {
  const handle = await getDbHandle();
  return { health: handle.health, ping: handle.ping, kind: handle.kind };
}

/** Called by app/server/main.ts on SIGINT/SIGTERM. */
export async function shutdown() {
  await stopViewFlusher(await getDb()).catch((e) => log.error("quorum: view flush failed", e));
  await closeDb();
}


export function securityHeaders(headers: Headers, nonce: string) {
  headers.set("X-Content-Type-Options", "nosniff");
  headers.set("Referrer-Policy", "strict-origin-when-cross-origin");
  headers.set("X-Frame-Options", "DENY");
  if (config().production) {
    // Browsers that once reached Quorum over HTTPS never fall back to plain HTTP for a year (where a
    // network in the middle could read the session cookie or swap a page). Not with insecure cookies:
    // that setting exists for plain-HTTP local runs, which HSTS would lock out.
    if (config().secureCookies) headers.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    // Inline scripts only with this response's nonce (Remix's hydration data); no inline styles are
    // needed by Quorum's own markup. Images may come from https sources (Markdown images).
    headers.set(
      "Content-Security-Policy",
      [
        "default-src 'self'",
        `script-src 'self' 'nonce-${nonce}'`,
        "style-src 'self'",
        "img-src 'self' https: data:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
      ].join("; "),
    );
  }
}

/**
 * A path no route can match (not even the catch-all app/routes/$.tsx: a path holding a line break):
 * Remix's own 404 would repeat the path into the page ("No route matches URL …"), so such a request
 * gets a bare page of its own instead.
 */
function unmatchedPath(remixContext: EntryContext): Response | null {
  const errors = remixContext.staticHandlerContext.errors;
  const internal404 = Object.values(errors ?? {}).some(
    (e) => !!e && typeof e === "object" && (e as { status?: number }).status === 404 && (e as { internal?: boolean }).internal === true,
  );
  if (!internal404) return null;
  const headers = new Headers({ "Content-Type": "text/html; charset=utf-8" });
  securityHeaders(headers, randomBytes(16).toString("base64"));
  return new Response('<!DOCTYPE html><html><head><meta charset="utf-8"><title>404 · Quorum</title></head><body><h1>404</h1><p><a href="/">Quorum</a></p></body></html>', { status: 404, headers });
}

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  reportQueries(responseHeaders);
  const unmatched = unmatchedPath(remixContext);
  if (unmatched) return unmatched;
  // Without the root loader's data (it failed: the database is down) the language comes from the
  // visitor's cookie or Accept-Language, which need no database.
  const lng =
    (remixContext.staticHandlerContext.loaderData?.root as { locale?: string } | undefined)?.locale ??
    (await getLocale(request).catch(() => i18nConfig.fallbackLng));
  const instance = await i18nFor(lng);
  const nonce = randomBytes(16).toString("base64");
  const waitForAll = isbot(request.headers.get("user-agent")) || remixContext.isSpaMode;

  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    // The abort timer must not outlive the render: a pending timer keeps the whole render (loader
    // data, React's request, the stream) reachable for streamTimeout + 1 s after the response ends —
    // ~45 MB of live heap, and the garbage collector's marking time, at 60 thread pages a second.
    // (React renders from a setImmediate, so the callbacks below always run after it is set.)
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ready = () => {
      shellRendered = true;
      const body = new ReactFlushChunks();
      responseHeaders.set("Content-Type", "text/html; charset=utf-8");
      securityHeaders(responseHeaders, nonce);
      resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }));
      pipe(body);
    };
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <I18nextProvider i18n={instance}>
          <RemixServer context={remixContext} url={request.url} abortDelay={streamTimeout} nonce={nonce} />
        </I18nextProvider>
      </NonceContext.Provider>,
      {
        nonce,
        onShellReady() {
          if (!waitForAll) ready();
        },
        onAllReady() {
          if (waitForAll) ready();
          clearTimeout(timer);
        },
        onShellError(error: unknown) {
          clearTimeout(timer);
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) log.requestError(request, error);
        },
      },
    );
    timer = setTimeout(abort, streamTimeout + 1000);
  });
}

export function handleError(error: unknown, { request }: { request: Request }) {
  if (request.signal.aborted) return;
  log.requestError(request, error);
}
