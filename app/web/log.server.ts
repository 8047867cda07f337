/**
 * The one way app code writes to the server's log. Every message and error passes redactText /
 * redactUrl (app/web/redact.server.ts) on the way out, so a request's query, a form value or a phrase
 * quoted in an error message (a database error repeating the value it refused, say) is never written.
 * A unit test keeps console.* out of app code.
 */
import { inspect } from "node:util";
import { redactText, redactUrl } from "~/web/redact.server";

/** An error as log text: its name, redacted message and stack frames (never the raw first line). */
export function describeError(error: unknown, depth = 0): string {
  if (error instanceof Error) {
    const frames = (error.stack ?? "").split("\n").filter((l) => /^\s+at /.test(l));
    let out = `${error.name}: ${redactText(error.message)}${frames.length ? `\n${frames.join("\n")}` : ""}`;
    const code = (error as { code?: unknown }).code;
    if (typeof code === "string") out += `\n  code: ${code}`;
    if (error.cause !== undefined && depth < 3) out += `\n  cause: ${describeError(error.cause, depth + 1)}`;
    return out;
  }
  return redactText(typeof error === "string" ? error : inspect(error, { depth: 2, breakLength: Infinity }));
}

function line(message: string, error?: unknown): string {
  return error === undefined ? redactText(message) : `${redactText(message)} ${describeError(error)}`;
}

/** Remix's error responses (a thrown 404, "no route matches"): status, statusText, internal. */
function isRouteErrorResponse(e: unknown): e is { status: number; statusText: string; error?: unknown } {
  return !!e && typeof e === "object" && typeof (e as { status?: unknown }).status === "number" && "statusText" in e && "internal" in e;
}

export const log = {
  info(message: string): void {
    console.log(line(message));
  },
  warn(message: string, error?: unknown): void {
    console.warn(line(message, error));
  },
  error(message: string, error?: unknown): void {
    console.error(line(message, error));
  },
  /** An error met while answering a request: the method and redacted URL, then the error. */
  requestError(request: Request, error: unknown): void {
    // Not-found and method-not-allowed answers are no server errors (the access log has them); their
    // message would repeat the requested URL in full.
    if (isRouteErrorResponse(error) && error.status < 500) return;
    const detail = isRouteErrorResponse(error) ? error.error ?? `${error.status} ${error.statusText}` : error;
    console.error(`quorum: error on ${request.method} ${redactUrl(request.url)}: ${describeError(detail)}`);
  },
};
