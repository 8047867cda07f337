import { data, redirect } from "@remix-run/node";
import { config } from "~/web/config.server";
import { decodeForm, toFormData, type DecodeOptions } from "~/web/form-parser";
import { holdsSecret } from "~/safety/queries";

/** Bodies of forms are small; anything larger than this is refused before it is read. */
export const MAX_FORM_BYTES = 256 * 1024;

export function notFound(message = "Not found"): never {
  throw data({ message }, { status: 404 });
}

export function forbidden(message = "Forbidden"): never {
  throw data({ message }, { status: 403 });
}

export function badRequest<T>(payload: T, init?: ResponseInit) {
  return data(payload, { status: 400, ...init });
}

/**
 * Every state-changing request must come from a page of this site. Browsers send Origin on every
 * POST (and on forms without JavaScript); we compare it, or failing that the Referer, with the host
 * the request was made to. A request with neither is refused: that is what Lucia recommends for
 * cookie-based sessions, and SameSite=Lax cookies are a second line of defence.
 */
export function assertSameOrigin(request: Request): void {
  if (request.method === "GET" || request.method === "HEAD" || request.method === "OPTIONS") return;
  const host =
    (config().QUORUM_TRUST_PROXY && request.headers.get("X-Forwarded-Host")) ||
    request.headers.get("Host") ||
    new URL(request.url).host;
  const source = request.headers.get("Origin") ?? request.headers.get("Referer");
  let sourceHost: string | null = null;
  try {
    sourceHost = source && source !== "null" ? new URL(source).host : null;
  } catch {
    sourceHost = null;
  }
  if (!sourceHost || sourceHost.toLowerCase() !== host.toLowerCase()) {
    throw data({ message: "cross_origin" }, { status: 403 });
  }
}

/**
 * The one way route actions read a submitted form: checks the origin, bounds the size, and decodes the
 * body strictly (app/web/form-parser.ts): a field sent twice (unless `multi` names it), text that is not
 * UTF-8 and control characters other than line breaks and tabs are a 400 before any route code runs, so
 * what a check reads is what a model stores. Double submits and stale forms are the models' constraints.
 */
export async function readForm(request: Request, opts: DecodeOptions = {}): Promise<FormData> {
  assertSameOrigin(request);
  const length = Number(request.headers.get("Content-Length") ?? 0);
  if (length > MAX_FORM_BYTES) throw data({ message: "too_large" }, { status: 413 });
  let body: Uint8Array;
  try {
    body = new Uint8Array(await request.arrayBuffer());
  } catch {
    throw data({ message: "bad_form" }, { status: 400 });
  }
  if (body.byteLength > MAX_FORM_BYTES) throw data({ message: "too_large" }, { status: 413 });
  const decoded = await decodeForm(body, request.headers.get("Content-Type") ?? "", opts);
  if (!decoded.ok) {
    const p = decoded.problem;
    // The message is a validation.* key the error page shows; the field name is for API clients.
    throw data({ message: p.code === "badForm" ? "bad_form" : p.code, ...("field" in p ? { field: p.field.slice(0, 64) } : {}) }, { status: 400 });
  }
  return toFormData(decoded.entries);
}

/**
 * Only same-site relative paths are followed after login and similar redirects, and none holding a
 * phrase or key (a login link's redirectTo is echoed into the page and the next URL).
 */
export function safeRedirectPath(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (!to || typeof to !== "string") return fallback;
  if (!to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  if (urlHoldsSecret(to)) return fallback;
  return to;
}

function urlHoldsSecret(pathAndQuery: string): boolean {
  let text = pathAndQuery;
  for (let i = 0; i < 2; i++)
    try {
      text = decodeURIComponent(text.replace(/\+/g, " "));
    } catch {
      break;
    }
  return holdsSecret(text);
}

export function redirectTo(path: string, init?: ResponseInit) {
  return redirect(path, init);
}

/**
 * The path of the current page with its query, to come back to after logging in — without the query
 * (or at all) when it holds a phrase or key: it would travel on in the login URL and page.
 */
export function currentPath(request: Request): string {
  const url = new URL(request.url);
  if (!urlHoldsSecret(url.pathname + url.search)) return url.pathname + url.search;
  return urlHoldsSecret(url.pathname) ? "/" : url.pathname;
}

/**
 * Every page runs this (the root loader): a URL holding a phrase or key is not answered but sent, 303,
 * to the same page without its query (with ?refused=secret, which the search page explains), or home
 * when the path itself holds it — so the page never repeats it, and the address bar and history lose it.
 */
export function refuseSecretUrl(request: Request): void {
  const url = new URL(request.url);
  if (!urlHoldsSecret(url.pathname + url.search)) return;
  throw redirect(urlHoldsSecret(url.pathname) ? "/?refused=secret" : `${url.pathname}?refused=secret`, 303);
}

export function loginRedirect(request: Request, back?: string): never {
  const to = back ?? currentPath(request);
  throw redirect(`/login?redirectTo=${encodeURIComponent(to)}`);
}
