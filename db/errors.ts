/**
 * Which database errors mean "the database is not there right now" (an outage: the request may be
 * retried in a moment, the answer is 503) and which mean "this input cannot be stored" (a value the
 * database refuses: the answer is 4xx). Both pg and PGlite errors carry PostgreSQL's SQLSTATE in
 * `code`; socket failures carry Node's errno code; pg's own failures only a message.
 */

/** Thrown instead of waiting when the database is known to be down (see db/index.ts's breaker). */
export class DatabaseUnavailable extends Error {
  constructor(message = "the database is unavailable", options?: { cause?: unknown }) {
    super(message, options);
    this.name = "DatabaseUnavailable";
  }
}

const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN", "ECONNABORTED"]);

/**
 * SQLSTATEs of an unreachable or overloaded server: class 08 (connection exceptions), 57P01–57P03
 * (shutting down, crash recovery, not yet accepting), 53300 (too many connections), 57014 (our
 * statement_timeout or a cancel), 55P03 (our lock_timeout), 25P03 (idle-in-transaction timeout).
 */
const UNAVAILABLE_STATES = new Set(["57P01", "57P02", "57P03", "53300", "57014", "55P03", "25P03"]);

const UNAVAILABLE_MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /connection timeout/i,
  /query read timeout/i,
  /not queryable/i,
  /cannot use a pool after calling end/i,
  /client was closed/i,
  /terminating connection/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
  /database is unavailable/i,
];

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : "";
}

function* chain(error: unknown): Generator<unknown> {
  const seen = new Set<unknown>();
  for (let e = error; e && typeof e === "object" && !seen.has(e); e = (e as { cause?: unknown }).cause) {
    seen.add(e);
    yield e;
    for (const inner of (e as { errors?: unknown[] }).errors ?? []) yield inner; // AggregateError (connect to ::1 and 127.0.0.1)
  }
}

/** True for an outage (retry later), false for anything else (a bug, or input the database refused). */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (const e of chain(error)) {
    if (e instanceof DatabaseUnavailable) return true;
    const code = codeOf(e);
    if (SOCKET_CODES.has(code) || UNAVAILABLE_STATES.has(code) || code.startsWith("08")) return true;
    const message = e instanceof Error ? e.message : "";
    if (UNAVAILABLE_MESSAGES.some((re) => re.test(message))) return true;
  }
  return false;
}

/**
 * Whether the failure concerns the connection itself (the server is gone or not answering), as
 * opposed to one statement that ran too long or waited on a lock: only these open the breaker.
 */
export function isConnectionFailure(error: unknown): boolean {
  if (!isDatabaseUnavailable(error)) return false;
  for (const e of chain(error)) if (["57014", "55P03", "25P03"].includes(codeOf(e))) return false;
  return true;
}

/**
 * SQLSTATE class 22 (data exception: a number out of range, a NUL byte or invalid UTF-8 in text, a
 * malformed value): the request's input, not the server, is at fault.
 */
export function isBadInput(error: unknown): boolean {
  for (const e of chain(error)) if (codeOf(e).startsWith("22")) return true;
  return false;
}
