import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { ThreadStatus } from "~db/types";
import type { SnippetPart } from "~/content/snippet";
import { boardName } from "~/domain/boards";
import { StatusBadge } from "./thread-row";
import { RelativeTime, useLocale } from "./time";

/** Text with its matches in <mark>: React elements only, never an HTML string. */
export function Highlighted({ parts }: { parts: SnippetPart[] }) {
  return (
    <>
      {parts.map((p, i) => (p.mark ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}
    </>
  );
}

export type HitView = {
  type: "faq" | "thread";
  id: number;
  url: string;
  title: SnippetPart[];
  snippet: SnippetPart[];
  status: string;
  boardNameZh: string;
  boardNameEn: string;
  replyCount: number;
  lastActivityAt: Date | string;
  removed?: boolean;
};

export function SearchHitItem({ hit }: { hit: HitView }) {
  const { t } = useTranslation("search");
  const { t: tc } = useTranslation();
  const locale = useLocale();
  return (
    <li className={`search-hit search-hit-${hit.type}`} data-id={hit.id}>
      <Link to={hit.url} className="title">
        <Highlighted parts={hit.title} />
      </Link>
      <p className="search-snippet">
        <Highlighted parts={hit.snippet} />
      </p>
      <div className="meta">
        {hit.type === "faq" ? (
          <span className="badge badge-faq">{t("page.faqLabel")}</span>
        ) : (
          <StatusBadge status={hit.status as ThreadStatus} />
        )}
        {hit.removed ? <span className="badge badge-hidden">{tc("moderation:state.hidden")}</span> : null}
        <span>{boardName({ name_zh: hit.boardNameZh, name_en: hit.boardNameEn }, locale)}</span>
        {hit.type === "thread" ? <span>{tc("thread.answers", { count: hit.replyCount })}</span> : null}
        <RelativeTime date={hit.lastActivityAt} />
      </div>
    </li>
  );
}

export type SuggestionView = {
  type: "faq" | "thread";
  id: number;
  title: string;
  openUrl: string;
  status: string;
};

/** The ask page's "already answered?" list. Links open in a new tab so the draft stays. */
export function SuggestionList({ suggestions }: { suggestions: SuggestionView[] }) {
  const { t } = useTranslation("search");
  return (
    <ul className="suggestions">
      {suggestions.map((s) => (
        <li key={`${s.type}-${s.id}`} className={`suggestion suggestion-${s.type}`}>
          <a href={s.openUrl} target="_blank" rel="noopener" title={t("ask.opensNewTab")}>
            {s.title}
          </a>{" "}
          {s.type === "faq" ? <span className="badge badge-faq">{t("page.faqLabel")}</span> : <StatusBadge status={s.status as ThreadStatus} />}
        </li>
      ))}
    </ul>
  );
}
