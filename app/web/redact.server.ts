/**
 * What of a URL or a message may be written to a log. Every log line that names a request goes
 * through `redactUrl` (the access log, app/web/log.server.ts): search and suggestion queries, reset
 * and verification links and any unknown parameter can hold what a person typed — a recovery phrase
 * pasted into the ask title — or a credential, and a log is copied, shipped and kept for months.
 *
 * Query parameters are an allowlist: only the ones Quorum's pages use for navigation (page, sort,
 * tab, board…) with values of their known shape are written; anything else is replaced by
 * "[redacted]". The pages whose query is what someone typed or a credential never show it at all
 * (`/search?[redacted]`). Path segments are written unless they look like a token or, together, like a
 * phrase or a key (a thread's slug is made from its title; any path can be requested).
 */
import { holdsSecret } from "~/safety/queries";
import { scanForSecrets } from "~/safety/secrets";

export const REDACTED = "[redacted]";

/** Pages whose whole query is typed text or a credential: it is never written, whatever it holds. */
const QUERY_NEVER_LOGGED = new Set(["/search", "/search/suggest", "/search/open", "/reset-password", "/verify-email", "/login/2fa"]);

const digits = (max: number) => new RegExp(`^\\d{1,${max}}$`);
const word = /^[a-z0-9_-]{1,24}$/;
/** Navigation parameters that are safe to write, each with the shape of its values. */
const SAFE_PARAMS: Record<string, RegExp> = {
  page: digits(6),
  after: digits(15),
  done: digits(15),
  new: digits(15),
  id: digits(15),
  sort: word,
  tab: word,
  status: word,
  type: word,
  from: word,
  required: word,
  sent: word,
  hidden: word,
  refused: word,
  board: /^[a-z0-9-]{1,40}$/,
  index: /^$/,
  // Remix's single-fetch requests name the routes whose data they want (ids of route files).
  _routes: /^[a-z0-9_.$()[\],/-]{1,300}$/,
};

/** Percent-decoding that never throws (a malformed escape stays as it was). */
function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, " "));
  } catch {
    return s;
  }
}

/** Looks like a token rather than a word or a slug: long, mixed case with digits, or long hex. */
function tokenLike(segment: string): boolean {
  if (/[0-9a-f]{32,}/i.test(segment)) return true;
  return segment.length >= 16 && /[A-Z]/.test(segment) && /[0-9]/.test(segment) && /^[A-Za-z0-9_~.=-]+$/.test(segment);
}

function redactPath(path: string): string {
  const segments = path.split("/");
  const decoded = segments.map(decode);
  const out = segments.map((seg, i) => (seg !== "" && (tokenLike(decoded[i]) || holdsSecret(decoded[i])) ? REDACTED : seg));
  // Together the remaining segments read as a phrase: keep only the route's own name and numeric ids.
  if (holdsSecret(decoded.filter((_, i) => out[i] !== REDACTED).join(" ")))
    return out.map((seg, i) => (seg === "" || i <= 1 || /^\d{1,15}$/.test(decoded[i]) ? seg : REDACTED)).join("/");
  return out.join("/");
}

/**
 * A URL (absolute, or a path with its query) as a log may show it: the path and query, never the
 * origin or fragment, with whatever could be typed text or a credential replaced by "[redacted]".
 */
export function redactUrl(url: string): string {
  let rest = url;
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(rest);
  if (scheme) rest = rest.slice(scheme[0].length) || "/";
  const hash = rest.indexOf("#");
  if (hash >= 0) rest = rest.slice(0, hash);
  const q = rest.indexOf("?");
  const path = redactPath(q >= 0 ? rest.slice(0, q) : rest);
  if (q < 0) return path;
  const query = rest.slice(q + 1);
  if (query === "") return `${path}?`;
  const page = decode(path).replace(/\.data$/, "").replace(/\/+$/, "") || "/";
  if (QUERY_NEVER_LOGGED.has(page)) return `${path}?${REDACTED}`;
  const kept: string[] = [];
  let dropped = false;
  for (const pair of query.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const name = decode(eq >= 0 ? pair.slice(0, eq) : pair);
    const value = eq >= 0 ? decode(pair.slice(eq + 1)) : "";
    const shape = SAFE_PARAMS[name];
    if (shape && Object.hasOwn(SAFE_PARAMS, name) && shape.test(value)) kept.push(pair);
    else dropped = true;
  }
  // The kept values together must not spell out a phrase either (one word per parameter).
  if (kept.length > 1 && holdsSecret(kept.map((p) => decode(p.slice(p.indexOf("=") + 1))).join(" "))) return `${path}?${REDACTED}`;
  if (dropped) kept.push(REDACTED);
  return `${path}?${kept.join("&")}`;
}

/**
 * Free text for a log line (an error's message, say): URLs in it are redacted as above and any
 * phrase or key is masked the way the guard masks posts.
 */
export function redactText(text: string): string {
  const urls = text.replace(/(?:[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+|(?<![\w/])\/[^\s"'<>]*\?[^\s"'<>]*)/gi, (u) => redactUrl(u));
  // A bare 64-digit hex string may be a private key (the guard needs context to say so; a log has none).
  const hex = urls.replace(/(?<![0-9a-f])(?:0x)?[0-9a-f]{64,}(?![0-9a-f])/gi, REDACTED);
  const r = scanForSecrets(hex);
  return r.verdict === "ok" ? hex : r.masked;
}
