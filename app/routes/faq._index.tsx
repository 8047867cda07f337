import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { JsonLd } from "~/components/json-ld";
import { useLocale } from "~/components/time";
import { getDb } from "~/db.server";
import { boardName } from "~/domain/boards";
import { faqPath } from "~/web/paths";
import { listPublished } from "~/models/faq.server";

export const meta: MetaFunction = () => [{ title: "FAQ · 常见问题 · Quorum" }];

/** The official FAQ: published entries grouped by board section, in the order staff chose. */
export async function loader(_: LoaderFunctionArgs) {
  const db = await getDb();
  return { sections: await listPublished(db) };
}

export default function Faq() {
  const { sections } = useLoaderData<typeof loader>();
  const { t } = useTranslation("faq");
  const locale = useLocale();
  const jsonLd = {
    "@context": "https://schema.org",
    "@type": "FAQPage",
    mainEntity: sections.flatMap((s) =>
      s.entries.map((e) => ({ "@type": "Question", name: e.question, acceptedAnswer: { "@type": "Answer", text: e.answerText } })),
    ),
  };
  return (
    <>
      <div className="page-head">
        <h1>{t("faq.title")}</h1>
        <Link to="/official">{t("official.link")}</Link>
      </div>
      <p>{t("faq.intro")}</p>
      {sections.length === 0 ? <p className="empty">{t("faq.none")}</p> : null}
      {sections.map((s) => (
        <section key={s.boardSlug} className="faq-section" id={`section-${s.boardSlug}`}>
          <h2>{boardName({ name_zh: s.nameZh, name_en: s.nameEn }, locale)}</h2>
          <ul className="faq-list">
            {s.entries.map((e) => (
              <li key={e.id}>
                <Link to={faqPath(e.slug)}>{e.question}</Link>
              </li>
            ))}
          </ul>
        </section>
      ))}
      {sections.length > 0 ? <JsonLd data={jsonLd} /> : null}
    </>
  );
}
