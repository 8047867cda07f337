/**
 * A short-lived in-process cache of the HTML pages anonymous visitors get (QUORUM_ANON_CACHE_TTL
 * seconds, default 2; 0 turns it off). Most traffic on a support forum is anonymous readers of the
 * same threads; without it every one of them re-renders the same React page.
 *
 * What keeps it correct:
 * - only GET document requests WITHOUT a session cookie, answered 200 with no Set-Cookie, are stored;
 *   the key is the URL plus the Cookie (the language choice) and Accept-Language headers, which are
 *   all that an anonymous page depends on; data requests (*.data) and everything else pass through;
 * - the page's CSP nonce is replaced by a fresh one on every hit (body and header), so no two
 *   responses share a nonce;
 * - any write (a non-GET/HEAD request) to this process empties the cache, and a page rendered while
 *   a write was in flight is not stored (a generation counter), so an author who logs out sees
 *   their own post at once; writes by other processes (CLI) show within the TTL;
 * - the root loader's `now` (relative times) is at most TTL seconds old: "3 minutes ago" may read
 *   the same for 2 s, and hydration agrees with it because `now` travels with the page.
 * Bounded: at most QUORUM_ANON_CACHE_ENTRIES pages (default 500) and QUORUM_ANON_CACHE_MB megabytes of
 * page bodies (default 32), oldest evicted first: 500 thread pages of ~150 KB would otherwise hold 75 MB.
 */
import { randomBytes } from "node:crypto";
import type { NextFunction, Request, Response } from "express";

type Entry = { at: number; status: number; headers: Record<string, string | string[]>; body: Buffer; nonce: string | null };

export function anonPageCache(opts: { ttlSeconds: number; maxEntries: number; maxBytes?: number; sessionCookie: string }) {
  const ttl = opts.ttlSeconds * 1000;
  const maxBytes = opts.maxBytes ?? 32 * 2 ** 20;
  const cache = new Map<string, Entry>();
  let bytes = 0;
  const remove = (key: string) => {
    const e = cache.get(key);
    if (e) bytes -= e.body.length;
    cache.delete(key);
  };
  const clear = () => {
    cache.clear();
    bytes = 0;
  };
  let generation = 0;
  const stats = { hits: 0, misses: 0, stored: 0 };

  function middleware(req: Request, res: Response, next: NextFunction) {
    if (req.method !== "GET" && req.method !== "HEAD") {
      generation++;
      clear();
      res.on("finish", () => {
        generation++;
        clear();
      });
      return next();
    }
    const cookie = req.headers.cookie ?? "";
    if (req.method !== "GET" || cookie.includes(`${opts.sessionCookie}=`) || req.path.endsWith(".data") || req.path.startsWith("/_bench/")) {
      return next();
    }
    const key = `${req.originalUrl}\n${cookie}\n${req.headers["accept-language"] ?? ""}`;
    const hit = cache.get(key);
    const now = Date.now();
    if (hit && now - hit.at < ttl) {
      stats.hits++;
      serve(res, hit);
      return;
    }
    if (hit) remove(key);
    stats.misses++;
    const started = generation;
    const chunks: Buffer[] = [];
    const write = res.write.bind(res) as (...a: unknown[]) => boolean;
    const end = res.end.bind(res) as (...a: unknown[]) => Response;
    const collect = (chunk: unknown, encoding?: unknown) => {
      if (chunk === undefined || chunk === null || typeof chunk === "function") return;
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8"));
    };
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      collect(chunk, rest[0]);
      return write(chunk, ...rest);
    }) as Response["write"];
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      collect(chunk, rest[0]);
      const result = end(chunk, ...rest);
      const type = String(res.getHeader("content-type") ?? "");
      if (res.statusCode === 200 && !res.getHeader("set-cookie") && type.startsWith("text/html") && generation === started && ttl > 0) {
        const headers: Record<string, string | string[]> = {};
        for (const [name, value] of Object.entries(res.getHeaders())) {
          // Compression is redone per response by the compression middleware (it sits before us).
          if (value === undefined || ["content-length", "content-encoding", "vary", "x-quorum-queries"].includes(name)) continue;
          headers[name] = typeof value === "number" ? String(value) : value;
        }
        const csp = String(headers["content-security-policy"] ?? "");
        const nonce = csp.match(/'nonce-([^']+)'/)?.[1] ?? null;
        const body = Buffer.concat(chunks);
        if (body.length <= maxBytes) {
          remove(key);
          while (cache.size > 0 && (cache.size >= opts.maxEntries || bytes + body.length > maxBytes)) remove(cache.keys().next().value!);
          cache.set(key, { at: Date.now(), status: 200, headers, body, nonce });
          bytes += body.length;
          stats.stored++;
        }
      }
      return result;
    }) as Response["end"];
    next();
  }

  function serve(res: Response, e: Entry) {
    let body: Buffer | string = e.body;
    const headers = { ...e.headers };
    if (e.nonce) {
      const fresh = randomBytes(16).toString("base64");
      body = e.body.toString("utf8").split(e.nonce).join(fresh);
      headers["content-security-policy"] = String(headers["content-security-policy"]).split(e.nonce).join(fresh);
    }
    res.status(e.status);
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    res.setHeader("X-Quorum-Cache", "hit");
    res.end(body);
  }

  return { middleware, stats, clear, bytes: () => bytes };
}
