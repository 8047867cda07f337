/**
 * The guard for text that is not stored but looked up or put into a URL: search and suggestion
 * queries, slugs, paths to come back to after logging in, log lines. Stricter than the guard for
 * posts: a "warn" (a long run of phrase words failing the checksum) counts too, since nobody can
 * confirm "this is not a phrase" for a search, and a URL is copied into logs, history and referrers.
 */
import { scanForSecrets } from "~/safety/secrets";

/** Longest text scanned (a URL cannot be much longer; beyond this the caller refuses or cuts). */
const SCAN_LIMIT = 8_000;

/** True when the text holds a recovery phrase, a private key, or a run of words that could be one. */
export function holdsSecret(text: string | null | undefined): boolean {
  if (!text) return false;
  const t = text.slice(0, SCAN_LIMIT);
  if (scanForSecrets(t).verdict !== "ok") return true;
  // Separators of URLs and slugs count as spaces, so "gasp-cupboard-once-…" reads as a phrase.
  const spaced = t.replace(/[-_./+=&?]+/g, " ");
  return spaced !== t && scanForSecrets(spaced).verdict !== "ok";
}

/** Why a query is not run: only "secret" for now (the page says so, without repeating the query). */
export type QueryRefusal = "secret";

export function guardQuery(text: string | null | undefined): QueryRefusal | null {
  return holdsSecret(text) ? "secret" : null;
}
