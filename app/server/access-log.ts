import type { RequestHandler } from "express";
import morgan from "morgan";

/**
 * The one-line access log (morgan's "tiny" format: method, URL, status, length, time), with the URL
 * passed through `redact` (redactUrl, app/web/redact.server.ts, handed over by the app build so
 * both share one copy of the secret detector): what a person typed into a search or the ask title,
 * and the tokens of reset and verification links, are never written.
 */
export function accessLog(redact: (url: string) => string): RequestHandler {
  morgan.token("redacted-url", (req) => redact((req as { originalUrl?: string }).originalUrl ?? req.url ?? "/"));
  return morgan(":method :redacted-url :status :res[content-length] - :response-time ms");
}
