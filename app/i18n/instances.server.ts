/**
 * The server's i18next instances: one per language, long-lived, shared by every request's render
 * (entry.server.tsx), with the lookups a page repeats remembered.
 */
import { createInstance } from "i18next";
import { initReactI18next } from "react-i18next";
import { i18nConfig, isLng } from "./config";

type Instance = ReturnType<typeof createInstance>;

/**
 * One i18next instance per language, made on first use: creating and initialising one per request
 * was a tenth of a page's CPU time in the benchmark. Safe to share: the server never changes an
 * instance's language (the browser's changeLanguage runs in an effect, which the server skips).
 */
const i18nInstances = new Map<string, Promise<Instance>>();
export function i18nFor(lng: string) {
  if (!isLng(lng)) lng = i18nConfig.fallbackLng;
  let pending = i18nInstances.get(lng);
  if (!pending) {
    const instance = createInstance();
    pending = instance
      .use(initReactI18next)
      .init({ ...i18nConfig, lng })
      .then(() => memoizePlainLookups(memoizeLanguageCodes(instance)));
    i18nInstances.set(lng, pending);
  }
  return pending;
}

/**
 * i18next works out the languages to look a key up in ("zh-CN", then the fallbacks) on every t()
 * call, canonicalising "zh-CN" with Intl.getCanonicalLocales each time: 5 % of the logged-in thread
 * page's CPU (hundreds of t() calls a page). The answer depends only on the language, so each
 * long-lived instance remembers it (a frozen array: i18next only reads it).
 */
export function memoizeLanguageCodes(instance: Instance) {
  const utils = instance.services.languageUtils as { toResolveHierarchy: (code: string, fallbackCode?: unknown) => readonly string[] };
  const resolve = utils.toResolveHierarchy.bind(utils);
  const memo = new Map<string, readonly string[]>();
  utils.toResolveHierarchy = (code, fallbackCode) => {
    if (fallbackCode !== undefined || typeof code !== "string" || !isLng(code)) return resolve(code, fallbackCode);
    let codes = memo.get(code);
    if (!codes) memo.set(code, (codes = Object.freeze(resolve(code))));
    return codes;
  };
  return instance;
}

/**
 * Most t() calls on a page are plain lookups — a key, no count, no interpolation, no default — and a
 * thread page makes hundreds of them (labels repeated on every post): i18next resolves each one anew
 * (key parsing, namespace and language fallbacks, nesting, post-processing), 9 % of the page's CPU.
 * The server's translations never change while it runs, so each instance remembers the answer to a
 * plain lookup, per language, namespace and key: a few hundred strings at most.
 */
const PLAIN_OPTIONS = new Set(["lng", "ns"]);
/** A bound all the same, should a key ever be built from outside input (each language bundles ~650 keys). */
const MAX_REMEMBERED = 5_000;
export function memoizePlainLookups(instance: Instance) {
  const t = instance.t.bind(instance) as (key: unknown, options?: Record<string, unknown>) => unknown;
  const memo = new Map<string, string>();
  const plain = (options: Record<string, unknown> | undefined) => {
    if (!options) return true;
    // Any other option set (lngs, keyPrefix, count, values, defaultValue…) makes it a lookup of its own.
    for (const k in options) if (options[k] != null && !PLAIN_OPTIONS.has(k)) return false;
    return (options.ns == null || typeof options.ns === "string") && (options.lng == null || typeof options.lng === "string");
  };
  (instance as { t: unknown }).t = (key: unknown, options?: Record<string, unknown>) => {
    if (typeof key !== "string" || !plain(options)) return t(key, options);
    const memoKey = `${options?.lng ?? ""}\u0000${options?.ns ?? ""}\u0000${key}`;
    let value = memo.get(memoKey);
    if (value === undefined) {
      const result = t(key, options);
      if (typeof result !== "string" || memo.size >= MAX_REMEMBERED) return result;
      memo.set(memoKey, (value = result));
    }
    return value;
  };
  return instance;
}
