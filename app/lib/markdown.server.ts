// TEMPORARY placeholder until the bounded renderer lands (helper is writing the real module).
import { Marked } from "marked";
import sanitizeHtml from "sanitize-html";
export const MAX_BODY_LENGTH = 20_000;
export const MAX_NESTING_DEPTH = 12;
export type MarkdownProblem = { code: "too_long"; max: number } | { code: "too_deep"; max: number };
export function checkMarkdown(md: string): MarkdownProblem | null {
  if (md.length > MAX_BODY_LENGTH) return { code: "too_long", max: MAX_BODY_LENGTH };
  for (const line of md.split("\n")) if ((line.match(/>/g) ?? []).length > MAX_NESTING_DEPTH) return { code: "too_deep", max: MAX_NESTING_DEPTH };
  return null;
}
const marked = new Marked({ gfm: true, breaks: true });
export function renderMarkdown(md: string): string {
  return sanitizeHtml(marked.parse(md, { async: false }) as string, {
    allowedTags: ["p", "br", "strong", "em", "code", "pre", "ul", "ol", "li", "a", "blockquote"],
    allowedAttributes: { a: ["href", "rel"], code: ["class"] },
    transformTags: { a: sanitizeHtml.simpleTransform("a", { rel: "nofollow ugc noopener noreferrer" }) },
  });
}
export function excerpt(html: string, n = 160): string {
  return html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim().slice(0, n);
}
export function linkHosts(_md: string): string[] {
  return [];
}
