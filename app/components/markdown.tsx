/**
 * Shows HTML that the one Markdown renderer (app/content/markdown.server.ts) produced and sanitised at
 * write time. The only dangerouslySetInnerHTML in Quorum.
 */
export function Markdown({ html, className }: { html: string; className?: string }) {
  return <div className={className ? `prose ${className}` : "prose"} dangerouslySetInnerHTML={{ __html: html }} />;
}
