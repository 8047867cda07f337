import { PassThrough } from "node:stream";
import { randomBytes } from "node:crypto";
import { createReadableStreamFromReadable, type EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { createInstance } from "i18next";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { i18nConfig, isLng } from "~/i18n/config";
import { closeDb, countQueriesPerRequest, currentQueryCount, getDb, getDbHandle, runInQueryScope } from "~/db.server";
import { startViewFlusher, stopViewFlusher } from "~/models/views.server";
import { NonceContext } from "~/components/nonce";
import { runInRequestScope } from "~/lib/request-scope.server";

export const streamTimeout = 5_000;

/** Called once by app/server/main.ts before it listens: opens the database, migrates, seeds. */
export async function startup() {
  await getDbHandle();
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

/** Called by app/server/main.ts on SIGINT/SIGTERM. */
export async function shutdown() {
  await stopViewFlusher(await getDb()).catch((e) => console.error("quorum: view flush failed", e));
  await closeDb();
}

/**
 * One i18next instance per language, made on first use: creating and initialising one per request
 * was a tenth of a page's CPU time in the benchmark. Safe to share: the server never changes an
 * instance's language (the browser's changeLanguage runs in an effect, which the server skips).
 */
const i18nInstances = new Map<string, Promise<ReturnType<typeof createInstance>>>();
function i18nFor(lng: string) {
  if (!isLng(lng)) lng = i18nConfig.fallbackLng;
  let pending = i18nInstances.get(lng);
  if (!pending) {
    const instance = createInstance();
    pending = instance
      .use(initReactI18next)
      .init({ ...i18nConfig, lng })
      .then(() => memoizeLanguageCodes(instance));
    i18nInstances.set(lng, pending);
  }
  return pending;
}

/**
 * i18next works out the languages to look a key up in ("zh-CN", then the fallbacks) on every t()
 * call, canonicalising "zh-CN" with Intl.getCanonicalLocales each time: 5 % of the logged-in thread
 * page's CPU (hundreds of t() calls a page). The answer depends only on the language, so each
 * long-lived instance remembers it (a frozen array: i18next only reads it).
 */
function memoizeLanguageCodes(instance: ReturnType<typeof createInstance>) {
  const utils = instance.services.languageUtils as { toResolveHierarchy: (code: string, fallbackCode?: unknown) => readonly string[] };
  const resolve = utils.toResolveHierarchy.bind(utils);
  const memo = new Map<string, readonly string[]>();
  utils.toResolveHierarchy = (code, fallbackCode) => {
    if (fallbackCode !== undefined || typeof code !== "string" || !isLng(code)) return resolve(code, fallbackCode);
    let codes = memo.get(code);
    if (!codes) memo.set(code, (codes = Object.freeze(resolve(code))));
    return codes;
  };
  return instance;
}

function securityHeaders(headers: Headers, nonce: string) {
  headers.set("X-Content-Type-Options", "nosniff");
  headers.set("Referrer-Policy", "strict-origin-when-cross-origin");
  headers.set("X-Frame-Options", "DENY");
  if (process.env.NODE_ENV === "production") {
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

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  reportQueries(responseHeaders);
  const lng = (remixContext.staticHandlerContext.loaderData?.root as { locale?: string } | undefined)?.locale ?? i18nConfig.fallbackLng;
  const instance = await i18nFor(lng);
  const nonce = randomBytes(16).toString("base64");
  const readyEvent = isbot(request.headers.get("user-agent")) || remixContext.isSpaMode ? "onAllReady" : "onShellReady";

  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <I18nextProvider i18n={instance}>
          <RemixServer context={remixContext} url={request.url} abortDelay={streamTimeout} nonce={nonce} />
        </I18nextProvider>
      </NonceContext.Provider>,
      {
        nonce,
        [readyEvent]() {
          shellRendered = true;
          const body = new PassThrough();
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          securityHeaders(responseHeaders, nonce);
          resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }));
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) console.error(error);
        },
      },
    );
    setTimeout(abort, streamTimeout + 1000);
  });
}

export function handleError(error: unknown, { request }: { request: Request }) {
  if (request.signal.aborted) return;
  console.error(error);
}
