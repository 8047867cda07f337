import { holdsSecret } from "~/safety/queries";

/**
 * A readable URL slug from a title: letters and digits of any script (Chinese titles keep their
 * characters), lower case, joined by "-", at most 60 characters. The id in the URL is what counts;
 * the slug is for people and search engines. A title the guard questions (a phrase or key, even one
 * its author confirmed) never becomes a URL — URLs end up in logs, histories and referrers — and
 * gets the neutral "thread".
 */
export function slugify(title: string): string {
  if (holdsSecret(title)) return "thread";
  const slug = title
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "");
  const cut = Array.from(slug).slice(0, 60).join("").replace(/-+$/, "");
  return cut && !holdsSecret(cut) ? cut : "thread";
}
