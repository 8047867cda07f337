/**
 * One place where database failures become answers, wrapping every route's loader and action in the
 * server build (app/server/main.ts calls guardRoutes once):
 * - the database is unreachable or stalled (db/errors.ts: isDatabaseUnavailable) → 503 with
 *   Retry-After, rendered by the root error page in the visitor's language; a form submitted then
 *   comes back on that page with what was typed (masked where the secret guard would refuse it,
 *   passwords and codes left out) and a button that sends it again;
 * - the database refuses a value (SQLSTATE class 22: a NUL byte, a 20-digit id, invalid UTF-8) →
 *   404 from a loader, 400 from an action: bad input, never a 500. A refused statement rolls back
 *   its transaction, so nothing is half-written.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { data, type ServerBuild } from "@remix-run/node";
import { isBadInput, isDatabaseUnavailable } from "../../db/errors";
import { guardFields } from "../safety/secrets";

/** What the 503 page shows (root.tsx's ErrorPage reads it). */
export type OutagePayload = { message: "outage"; retryAfter: number; action?: string; values?: Record<string, string> };

/** Fields never echoed back into a page. */
const SECRET_FIELD = /pass|secret|token|code|recovery|totp|otp|key/i;

/** The form submitted in this request, kept for the loaders Remix runs after a failed action. */
const submitted = new AsyncLocalStorage<{ action?: string; values?: Record<string, string> }>();

export function runInOutageScope<T>(fn: () => T): T {
  return submitted.run({}, fn);
}

async function formValues(request: Request): Promise<Record<string, string> | undefined> {
  try {
    const form = await request.formData();
    const fields: Record<string, string> = {};
    for (const [name, value] of form) {
      if (typeof value !== "string" || SECRET_FIELD.test(name) || name in fields) continue;
      fields[name] = value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "");
    }
    return guardFields(fields).masked;
  } catch {
    return undefined;
  }
}

function outage(retryAfter: number): never {
  const form = submitted.getStore();
  const payload: OutagePayload = { message: "outage", retryAfter, ...(form?.values ? { values: form.values, action: form.action } : {}) };
  throw data(payload, { status: 503, headers: { "Retry-After": String(retryAfter), "Cache-Control": "no-store" } });
}

type Fn = (args: { request: Request }) => unknown;

function wrapLoader(loader: Fn, retryAfter: number): Fn {
  return async (args) => {
    try {
      return await loader(args);
    } catch (error) {
      if (isDatabaseUnavailable(error)) outage(retryAfter);
      if (isBadInput(error)) throw data({ message: "not_found" }, { status: 404 });
      throw error;
    }
  };
}

function wrapAction(action: Fn, retryAfter: number): Fn {
  return async (args) => {
    // A copy of the body, read only if the database fails while the action runs.
    const copy = args.request.clone();
    try {
      return await action(args);
    } catch (error) {
      if (isDatabaseUnavailable(error)) {
        const store = submitted.getStore();
        const values = await formValues(copy);
        const url = new URL(args.request.url);
        if (store && values) Object.assign(store, { values, action: url.pathname + url.search });
        outage(retryAfter);
      }
      if (isBadInput(error)) throw data({ message: "bad_input" }, { status: 400 });
      throw error;
    }
  };
}

/** The same build with every loader and action wrapped (module namespaces are frozen: copies). */
export function guardRoutes(build: ServerBuild, retryAfterSeconds: number): ServerBuild {
  const routes: ServerBuild["routes"] = {};
  for (const [id, route] of Object.entries(build.routes)) {
    const module = { ...route.module } as Record<string, unknown>;
    if (typeof module.loader === "function") module.loader = wrapLoader(module.loader as Fn, retryAfterSeconds);
    if (typeof module.action === "function") module.action = wrapAction(module.action as Fn, retryAfterSeconds);
    routes[id] = { ...route, module: module as unknown as typeof route.module };
  }
  return { ...build, routes };
}
