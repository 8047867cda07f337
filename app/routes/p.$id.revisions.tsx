import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { RelativeTime } from "~/components/time";
import { getDb } from "~/db.server";
import { notFound } from "~/web/http.server";
import { getUser, toActor } from "~/auth/session.server";
import { threadPath } from "~/web/paths";
import { wordDiff, type DiffPart } from "~/content/textdiff.server";
import { loadPostHistory } from "~/models/posts.server";
import { parseIdText } from "~/web/schemas";

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: `${data.title ?? "—"} · Quorum` }, { name: "robots", content: "noindex" }] : []);

/**
 * A post's public edit history: every version, newest first, each as a word diff against the one
 * before it (the first shown whole). Diffs are computed here and rendered as <ins>/<del> text nodes,
 * so React escapes every character of them.
 */
export async function loader({ params, request }: LoaderFunctionArgs) {
  const raw = params.id;
  if (!raw || parseIdText(raw) === null) notFound();
  const db = await getDb();
  // The read model decides what this viewer may see (hidden, deleted, secret-bearing content).
  const history = await loadPostHistory(db, Number(raw), toActor(await getUser(request)));
  if (!history) notFound();
  const { post, versions } = history;
  const shown = versions.map((v, i) => {
    const prev = i > 0 ? versions[i - 1] : null;
    return {
      revision: v.revision,
      editor: v.editor,
      created_at: v.created_at,
      current: v.current,
      title: v.title === null ? null : prev && prev.title !== null ? wordDiff(prev.title, v.title) : ([{ op: "same", text: v.title }] as DiffPart[]),
      body: prev ? wordDiff(prev.body_md, v.body_md) : ([{ op: "same", text: v.body_md }] as DiffPart[]),
      changed: !prev || prev.body_md !== v.body_md || prev.title !== v.title,
    };
  });
  return {
    title: post.title,
    back: threadPath(post.thread_id, post.slug, { post: post.post_number }),
    versions: shown.reverse(),
  };
}

function Diff({ parts }: { parts: DiffPart[] }) {
  return (
    <>
      {parts.map((p, i) =>
        p.op === "ins" ? <ins key={i}>{p.text}</ins> : p.op === "del" ? <del key={i}>{p.text}</del> : <span key={i}>{p.text}</span>,
      )}
    </>
  );
}

export default function Revisions() {
  const { title, back, versions } = useLoaderData<typeof loader>();
  const { t } = useTranslation("qa");
  return (
    <>
      <nav className="breadcrumb">
        <Link to={back}>← {t("revisions.backToPost")}</Link>
      </nav>
      <h1>
        {t("revisions.title")}: {title ?? t("safety:hidden.threadTitle")}
      </h1>
      {versions.map((v) => (
        <section key={v.revision} className="card revision" id={`rev-${v.revision}`}>
          <header className="revision-head">
            <strong>{t("revisions.version", { n: v.revision })}</strong>
            {v.current ? <span className="badge">{t("revisions.current")}</span> : null}
            {v.revision === 1 ? <span className="muted">{t("revisions.original")}</span> : null}
            {v.editor ? <span className="muted">{t("revisions.by", { name: v.editor })}</span> : null}
            <RelativeTime date={v.created_at} />
          </header>
          {v.title ? (
            <div className="revision-title">
              <span className="muted">{t("revisions.titleLabel")}: </span>
              <Diff parts={v.title} />
            </div>
          ) : null}
          <pre className="revision-body">
            <Diff parts={v.body} />
          </pre>
          {!v.changed ? <p className="muted">{t("revisions.unchanged")}</p> : null}
        </section>
      ))}
    </>
  );
}
