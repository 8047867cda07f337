import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { lucia } from "../../app/auth/lucia.server";

export const ORIGIN = "http://quorum.test";

/** A Request as a browser on this site would send it (Origin and Host set). */
export function makeRequest(
  path: string,
  /** `form` as pairs sends a field more than once (the way a crafted request can). */
  init: { method?: string; form?: Record<string, string> | [string, string][]; body?: BodyInit; cookie?: string; headers?: Record<string, string> } = {},
): Request {
  const method = init.method ?? (init.form || init.body ? "POST" : "GET");
  const headers = new Headers({ Host: "quorum.test", ...(init.headers ?? {}) });
  if (method !== "GET" && !headers.has("Origin")) headers.set("Origin", ORIGIN);
  if (init.cookie) headers.set("Cookie", init.cookie);
  let body: BodyInit | undefined = init.body;
  if (init.body && !headers.has("Content-Type")) headers.set("Content-Type", "application/x-www-form-urlencoded");
  if (init.form) {
    body = new URLSearchParams(init.form);
    headers.set("Content-Type", "application/x-www-form-urlencoded");
  }
  return new Request(ORIGIN + path, { method, headers, body });
}

/** A session cookie for a user, as if they had logged in. */
export async function loginCookie(userId: number): Promise<string> {
  const session = await lucia.createSession(userId, { ip: "127.0.0.1", user_agent: "vitest" });
  return lucia.createSessionCookie(session.id).serialize().split(";")[0];
}

type Handler<A> = (args: A) => unknown;

/**
 * Calls a route's loader or action the way Remix does, and returns what a browser would get:
 * the status, the Location of a redirect, and the data. Thrown responses (404, 403, redirects)
 * are caught and reported the same way.
 */
export async function call<A extends LoaderFunctionArgs | ActionFunctionArgs>(
  handler: Handler<A>,
  request: Request,
  params: Record<string, string> = {},
  /** What the HTTP server would pass; the client address decides the per-IP rate limits. */
  context: { clientIp: string | null } = { clientIp: "127.0.0.1" },
): Promise<{ status: number; location: string | null; data: any; headers: Headers }> {
  let result: unknown;
  try {
    result = await handler({ request, params, context } as A);
  } catch (thrown) {
    result = thrown;
  }
  if (result instanceof Response) {
    const text = await result.text();
    let data: unknown = text;
    try {
      data = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: result.status, location: result.headers.get("Location"), data, headers: result.headers };
  }
  // Single fetch: data() returns { type: "DataWithResponseInit", data, init }.
  if (result && typeof result === "object" && (result as { type?: string }).type === "DataWithResponseInit") {
    const r = result as { data: unknown; init: ResponseInit | null };
    return { status: r.init?.status ?? 200, location: null, data: r.data, headers: new Headers(r.init?.headers) };
  }
  if (result instanceof Error) throw result;
  return { status: 200, location: null, data: result, headers: new Headers() };
}
