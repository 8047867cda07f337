/**
 * A readable URL slug from a title: letters and digits of any script (Chinese titles keep their
 * characters), lower case, joined by "-", at most 60 characters. The id in the URL is what counts;
 * the slug is for people and search engines.
 */
export function slugify(title: string): string {
  const slug = title
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "");
  const cut = Array.from(slug).slice(0, 60).join("").replace(/-+$/, "");
  return cut || "thread";
}
