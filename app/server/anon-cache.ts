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
 *   responses share a nonce; for gzip, the text around the nonces is compressed once per entry and
 *   each hit only writes its nonce between the pieces (gzipTemplate/gzipWith below);
 * - any write (a non-GET/HEAD request) to this process empties the cache, and a page rendered while
 *   a write was in flight is not stored (a generation counter), so an author who logs out sees
 *   their own post at once; writes by other processes (CLI) show within the TTL;
 * - the root loader's `now` (relative times) is at most TTL seconds old: "3 minutes ago" may read
 *   the same for 2 s, and hydration agrees with it because `now` travels with the page.
 * While the database is unreachable, stored pages keep being served for QUORUM_ANON_CACHE_STALE_SECONDS
 * (default 300) past their TTL (main.ts passes `staleMs`): readers keep reading through an outage.
 * Bounded: at most QUORUM_ANON_CACHE_ENTRIES pages (default 500) and QUORUM_ANON_CACHE_MB megabytes of
 * page bodies and their gzip templates (default 32), oldest evicted first: 500 thread pages of ~150 KB would otherwise hold 75 MB.
 */
import { randomBytes } from "node:crypto";
import { constants, crc32, deflateRawSync } from "node:zlib";
import type { NextFunction, Request, Response } from "express";

type Entry = {
  at: number;
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
  nonce: string | null;
  /** The body compressed once, around its nonces (made on the first hit that accepts gzip). */
  gzip?: GzipTemplate;
};

export function anonPageCache(opts: {
  ttlSeconds: number;
  maxEntries: number;
  maxBytes?: number;
  sessionCookie: string;
  /** How old (ms) a stored page may be and still be served: more than the TTL while the database is down. */
  staleMs?: () => number;
}) {
  const ttl = opts.ttlSeconds * 1000;
  const maxBytes = opts.maxBytes ?? 32 * 2 ** 20;
  const cache = new Map<string, Entry>();
  /** What the entries hold: their bodies and, once made, their gzip templates. */
  let bytes = 0;
  const sizeOf = (e: Entry) => e.body.length + (e.gzip?.size ?? 0);
  const remove = (key: string) => {
    const e = cache.get(key);
    if (e) bytes -= sizeOf(e);
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
      // A write tried while the database is down cannot have changed a page: the stale ones stay.
      const outage = () => (opts.staleMs?.() ?? 0) > 0;
      if (!outage()) clear();
      res.on("finish", () => {
        generation++;
        if (!outage() || res.statusCode < 400) clear();
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
    if (hit && (now - hit.at < ttl || now - hit.at < (opts.staleMs?.() ?? 0))) {
      stats.hits++;
      serve(req, res, key, hit);
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
          // The stored body is uncompressed; a hit sends it gzipped from its template (see serve).
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

  function serve(req: Request, res: Response, key: string, e: Entry) {
    const headers = { ...e.headers };
    const fresh = e.nonce ? randomBytes(16).toString("base64") : null;
    if (e.nonce && fresh) headers["content-security-policy"] = String(headers["content-security-policy"]).split(e.nonce).join(fresh);
    res.status(e.status);
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    res.setHeader("X-Quorum-Cache", "hit");
    res.setHeader("Vary", "Accept-Encoding");
    if (req.acceptsEncodings("gzip") === "gzip") {
      // Compressed once per entry; a hit only adds its fresh nonce (the compression middleware
      // leaves a response with a Content-Encoding alone). Re-compressing the page on every hit
      // was half of a hit's CPU time.
      if (!e.gzip) {
        e.gzip = gzipTemplate(e.body, e.nonce);
        // The template counts towards maxBytes: the oldest other pages make room for it, and a page
        // that cannot fit with its template is served this once and dropped.
        bytes += e.gzip.size;
        for (const other of cache.keys()) {
          if (bytes <= maxBytes) break;
          if (other !== key) remove(other);
        }
        if (bytes > maxBytes) remove(key);
      }
      res.setHeader("Content-Encoding", "gzip");
      res.end(gzipWith(e.gzip, fresh));
      return;
    }
    res.end(e.nonce && fresh ? e.body.toString("utf8").split(e.nonce).join(fresh) : e.body);
  }

  return { middleware, stats, clear, bytes: () => bytes };
}

/**
 * A gzip body with a slot wherever the page's nonce was: the text between two nonces is compressed
 * once (raw DEFLATE ending in a sync flush, so each piece stands alone, byte-aligned, and pieces can
 * follow one another — RFC 1951); a response puts its own nonce in each slot as a "stored"
 * (uncompressed) block and ends with the gzip trailer (RFC 1952: CRC-32 and length of the whole).
 */
export type GzipTemplate = { pieces: Buffer[]; deflated: Buffer[]; /** bytes of `deflated` */ size: number };

const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
const FINAL_EMPTY_BLOCK = Buffer.from([0x03, 0x00]);

export function gzipTemplate(body: Buffer, nonce: string | null): GzipTemplate {
  const pieces: Buffer[] = [];
  if (nonce) {
    const needle = Buffer.from(nonce);
    let from = 0;
    for (let at = body.indexOf(needle); at !== -1; at = body.indexOf(needle, from)) {
      pieces.push(body.subarray(from, at));
      from = at + needle.length;
    }
    pieces.push(body.subarray(from));
  } else pieces.push(body);
  const deflated = pieces.map((p) => deflateRawSync(p, { finishFlush: constants.Z_SYNC_FLUSH }));
  return { pieces, deflated, size: deflated.reduce((n, d) => n + d.length, 0) };
}

export function gzipWith(template: GzipTemplate, nonce: string | null): Buffer {
  const fill = Buffer.from(nonce ?? "");
  if (template.pieces.length > 1 && fill.length > 0xffff) throw new Error("nonce too long for a stored block");
  const stored = Buffer.alloc(5 + fill.length);
  stored.writeUInt16LE(fill.length, 1);
  stored.writeUInt16LE(~fill.length & 0xffff, 3);
  fill.copy(stored, 5);
  const out: Buffer[] = [GZIP_HEADER];
  let crc = 0;
  let size = 0;
  template.pieces.forEach((piece, i) => {
    if (i > 0) {
      out.push(stored);
      crc = crc32(fill, crc);
      size += fill.length;
    }
    out.push(template.deflated[i]);
    crc = crc32(piece, crc);
    size += piece.length;
  });
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(size >>> 0, 4);
  out.push(FINAL_EMPTY_BLOCK, trailer);
  return Buffer.concat(out);
}
