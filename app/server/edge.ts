/**
 * What the HTTP edge refuses before any route runs, each with a short page in the visitor's language:
 * - a body larger than QUORUM_BODY_LIMIT_KB, counted as it streams (chunked or not): 413 at once, the
 *   rest of the upload is dropped unread, so memory stays bounded whatever the client sends;
 * - a body of a type no form produces: 415;
 * - a path that is not valid percent-encoded UTF-8, or holds NUL or other control characters: 400;
 * - a thread or post id that is not a number of at most 15 digits: 404;
 * - a request line or Host the adapter could not make a URL of ("*", an absolute URL, "Host: a b"),
 *   or a method no page uses (TRACE): 400 / 405; cookies that are not valid percent-encoding are
 *   dropped (the session library throws on them).
 * And it lets a cross-site form reach the app's own refusal: Remix compares Origin with Host before
 * any action and answers a mismatch (or "Origin: null", or a malformed one) with a bare 500 of its
 * own; the edge moves such an Origin into Referer, which Remix does not look at and the app's
 * origin check (assertSameOrigin) refuses with its 403 page.
 * Slow uploads are cut by Node itself (server.requestTimeout, set in main.ts): 408.
 */
import type { NextFunction, Request, Response } from "express";
import en from "../i18n/locales/en/common";
import zh from "../i18n/locales/zh/common";

type Text = { [K in keyof typeof en.errors]: (typeof en.errors)[K] extends string ? K : never }[keyof typeof en.errors];
type Page = { status: number; title: Text; text: Text };

const PAGES = {
  badRequest: { status: 400, title: "badRequestTitle", text: "badRequest" },
  notFound: { status: 404, title: "notFoundTitle", text: "notFound" },
  tooLarge: { status: 413, title: "tooLargeTitle", text: "tooLarge" },
  unsupported: { status: 415, title: "unsupportedTitle", text: "unsupported" },
  method: { status: 405, title: "badRequestTitle", text: "badRequest" },
} satisfies Record<string, Page>;

/** zh-CN unless the language cookie or Accept-Language asks for English (the app's own rule). */
function languageOf(req: Request): "en" | "zh-CN" {
  const cookie = /(?:^|;\s*)lng=([^;]*)/.exec(req.headers.cookie ?? "")?.[1];
  if (cookie) {
    try {
      const v = JSON.parse(Buffer.from(decodeURIComponent(cookie), "base64").toString("utf8"));
      if (v === "en" || v === "zh-CN") return v;
    } catch {
      /* not ours */
    }
  }
  const accept = String(req.headers["accept-language"] ?? "").trim().toLowerCase();
  return accept.startsWith("en") ? "en" : "zh-CN";
}

const escape = (s: string) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

export function edgePage(req: Request, page: Page): string {
  const lng = languageOf(req);
  const t = (lng === "en" ? en : zh).errors;
  return `<!doctype html><html lang="${lng}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(t[page.title])} · Quorum</title></head><body><main><p>${page.status}</p><h1>${escape(t[page.title])}</h1><p>${escape(t[page.text])}</p><p><a href="/">${escape(t.backHome)}</a></p></main></body></html>`;
}

function refuse(req: Request, res: Response, page: Page, close = false) {
  if (res.headersSent) return;
  res.status(page.status);
  res.setHeader("Content-Type", "text/html; charset=utf-8");
  res.setHeader("Cache-Control", "no-store");
  if (close) res.setHeader("Connection", "close");
  res.end(edgePage(req, page));
}

/** Control characters (C0, DEL, C1) never belong in a path. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** Paths whose second segment is a numeric id (threads, posts, FAQ promotion). */
const ID_PATH = /^\/(?:t|p|staff\/faq\/promote)\/([^/]*)/;

export function checkPath(rawPath: string): "ok" | "badRequest" | "notFound" {
  let path: string;
  try {
    path = decodeURIComponent(rawPath); // throws on malformed escapes and invalid UTF-8
  } catch {
    return "badRequest";
  }
  if (CONTROL.test(path) || path.includes("\ufffd")) return "badRequest";
  const id = ID_PATH.exec(path)?.[1];
  // "123.data" is Remix's client-side data request for the page /…/123.
  if (id !== undefined && !/^\d{1,15}(?:\.data)?$/.test(id)) return "notFound";
  return "ok";
}

/** A Host (or X-Forwarded-Host) that makes a valid URL with nothing else in it: the adapter builds one from it. */
export function validHost(host: string): boolean {
  if (!/^[A-Za-z0-9.\-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(host)) return false;
  const port = /:(\d+)$/.exec(host)?.[1];
  if (port !== undefined && Number(port) > 65535) return false;
  try {
    return new URL(`http://${host}/`).host.length > 0;
  } catch {
    return false;
  }
}

/** Cookies whose value is not valid percent-encoding (the session library would throw on them) are dropped. */
export function cleanCookies(header: string): string {
  return header
    .split(";")
    .filter((pair) => {
      if (CONTROL.test(pair)) return false;
      try {
        decodeURIComponent(pair);
        return true;
      } catch {
        return false;
      }
    })
    .join(";");
}

/** The methods a browser's page or form uses; Node's fetch Request refuses some others (TRACE) outright. */
const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

const FORM_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data", "text/plain", "application/json"];

export function edge(opts: { bodyLimitBytes: number; trustProxy?: boolean }) {
  return function edgeMiddleware(req: Request, res: Response, next: NextFunction) {
    if (!METHODS.has(req.method)) return refuse(req, res, PAGES.method);
    // Only origin-form targets ("/path?query"): "*" and absolute URLs would make the adapter's URL invalid.
    if (!req.url.startsWith("/")) return refuse(req, res, PAGES.badRequest);
    if (!validHost(String(req.headers.host ?? ""))) return refuse(req, res, PAGES.badRequest);
    const forwarded = req.headers["x-forwarded-host"];
    if (forwarded !== undefined) {
      // Only a trusted proxy may set it (and then it must be valid); from anyone else it is dropped.
      if (!opts.trustProxy) delete req.headers["x-forwarded-host"];
      else if (!String(forwarded).split(",").every((h) => validHost(h.trim()))) return refuse(req, res, PAGES.badRequest);
    }
    if (req.headers.cookie !== undefined) req.headers.cookie = cleanCookies(req.headers.cookie);
    const rawPath = req.url.split("?")[0];
    const verdict = checkPath(rawPath);
    if (verdict !== "ok") return refuse(req, res, PAGES[verdict]);

    if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return next();

    const origin = req.headers.origin;
    if (origin !== undefined) {
      const host = String(req.headers["x-forwarded-host"] ?? req.headers.host ?? "").split(",")[0].trim().toLowerCase();
      let originHost: string | null = null;
      try {
        originHost = origin !== "null" ? new URL(origin).host.toLowerCase() : null;
      } catch {
        originHost = null;
      }
      if (originHost === null || originHost !== host) {
        delete req.headers.origin;
        req.headers.referer = originHost === null ? "null" : origin;
      }
    }

    const declared = req.headers["content-length"];
    const hasBody = req.headers["transfer-encoding"] !== undefined || (declared !== undefined && declared !== "0");
    if (!hasBody) return next();
    const type = String(req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
    if (!FORM_TYPES.includes(type)) return refuse(req, res, PAGES.unsupported, true);
    if (declared !== undefined && Number(declared) > opts.bodyLimitBytes) return refuse(req, res, PAGES.tooLarge, true);

    // Count the bytes as Node's HTTP parser hands them over (IncomingMessage#push), before anything
    // reads them: past the limit, answer 413, drop the rest, and end the body with an error so that
    // whatever was reading it never sees a truncated form as a whole one.
    let seen = 0;
    let over = false;
    const push = req.push.bind(req);
    req.push = (chunk: unknown, encoding?: BufferEncoding) => {
      if (over) return chunk === null ? push(null) : true;
      if (chunk !== null && chunk !== undefined) {
        seen += (chunk as Buffer).length;
        if (seen > opts.bodyLimitBytes) {
          over = true;
          req.on("error", () => {}); // the error below is for the body's reader, if any: never fatal
          refuse(req, res, PAGES.tooLarge, true);
          res.once("finish", () => req.socket.destroy());
          // Whatever was reading the body may still try to answer: the 413 is the answer.
          const answered = () => res;
          Object.assign(res, { setHeader: answered, appendHeader: answered, writeHead: answered, write: () => true, end: answered });
          process.nextTick(() => req.emit("error", Object.assign(new Error("request body too large"), { status: 413 })));
          return true;
        }
      }
      return push(chunk, encoding);
    };
    next();
  };
}
