import { AsyncLocalStorage } from "node:async_hooks";

/**
 * Per-request memo: app/server/main.ts runs each request inside a scope, so work that every loader
 * of one page repeats (the session lookup: Remix hands each loader its own copy of the Request, so a
 * WeakMap keyed by Request misses) is done once. Outside a scope (tests calling loaders directly)
 * nothing is memoised.
 */
const scope = new AsyncLocalStorage<Map<string, unknown>>();

export function runInRequestScope<T>(fn: () => T): T {
  return scope.run(new Map(), fn);
}

export function requestMemo<T>(key: string, make: () => T): T {
  const store = scope.getStore();
  if (!store) return make();
  if (!store.has(key)) store.set(key, make());
  return store.get(key) as T;
}
