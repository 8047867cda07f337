import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { RelativeTime } from "~/components/time";
import { getDb } from "~/db.server";
import { notFound, readForm } from "~/web/http.server";
import { getUser, requireUser, toActor } from "~/auth/session.server";
import { domainFormError, formError, parseFormData } from "~/web/forms.server";
import { formResult, FieldErrorText } from "~/components/forms";
import { threadPath } from "~/web/paths";
import { wordDiff, type DiffPart } from "~/content/textdiff.server";
import { loadPostHistory, redactRevision } from "~/models/posts.server";
import { parseIdText, redactRevisionSchema } from "~/web/schemas";

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
  const { post, versions, canRedact } = history;
  const shown = versions.map((v, i) => {
    // A redacted version has no text; the one after it is shown whole (nothing to diff against).
    const prev = i > 0 && !versions[i - 1].redacted ? versions[i - 1] : null;
    const body = v.body_md;
    return {
      revision: v.revision,
      editor: v.editor,
      created_at: v.created_at,
      current: v.current,
      redacted: v.redacted,
      canRedact: canRedact && !v.current && !v.redacted,
      title: v.title === null ? null : prev && prev.title !== null ? wordDiff(prev.title, v.title) : ([{ op: "same", text: v.title }] as DiffPart[]),
      body: body === null ? null : prev && prev.body_md !== null ? wordDiff(prev.body_md, body) : ([{ op: "same", text: body }] as DiffPart[]),
      changed: !prev || v.redacted !== null || prev.body_md !== v.body_md || prev.title !== v.title,
    };
  });
  return {
    title: post.title,
    back: threadPath(post.thread_id, post.slug, { post: post.post_number }),
    versions: shown.reverse(),
  };
}

/** Redacts one kept version (staff with powers, or the post's author; the model checks the policy). */
export async function action({ params, request }: ActionFunctionArgs) {
  const raw = params.id;
  if (!raw || parseIdText(raw) === null) notFound();
  const form = await readForm(request);
  const path = `/p/${raw}/revisions`;
  const user = await requireUser(request, path);
  const parsed = parseFormData(form, redactRevisionSchema);
  if (!parsed.ok) return formError(parsed.errors, parsed.values);
  const db = await getDb();
  try {
    await redactRevision(db, { postId: Number(raw), revision: parsed.data.revision, actor: toActor(user) });
  } catch (error) {
    return domainFormError(error, parsed.values);
  }
  return redirect(`${path}#rev-${parsed.data.revision}`, 303);
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
  const { errors, values } = formResult(useActionData<typeof action>());
  const { t } = useTranslation("qa");
  return (
    <>
      <nav className="breadcrumb">
        <Link to={back}>← {t("revisions.backToPost")}</Link>
      </nav>
      <h1>
        {t("revisions.title")}: {title ?? t("safety:hidden.threadTitle")}
      </h1>
      <FieldErrorText id="redact-error" error={errors._form ?? errors.revision ?? errors.intent} />
      {versions.map((v) => (
        <section key={v.revision} className="card revision" id={`rev-${v.revision}`}>
          <header className="revision-head">
            <strong>{t("revisions.version", { n: v.revision })}</strong>
            {v.current ? <span className="badge">{t("revisions.current")}</span> : null}
            {v.revision === 1 ? <span className="muted">{t("revisions.original")}</span> : null}
            {v.editor ? <span className="muted">{t("revisions.by", { name: v.editor })}</span> : null}
            <RelativeTime date={v.created_at} />
          </header>
          {v.redacted ? (
            <p className="muted revision-redacted">
              {v.redacted.by
                ? t("revisions.redactedBy", { name: v.redacted.by, at: new Date(v.redacted.at).toISOString().slice(0, 16).replace("T", " ") + " UTC" })
                : t("revisions.redactedBySystem", { at: new Date(v.redacted.at).toISOString().slice(0, 16).replace("T", " ") + " UTC" })}
            </p>
          ) : null}
          {v.title ? (
            <div className="revision-title">
              <span className="muted">{t("revisions.titleLabel")}: </span>
              <Diff parts={v.title} />
            </div>
          ) : null}
          {v.body ? (
            <pre className="revision-body">
              <Diff parts={v.body} />
            </pre>
          ) : null}
          {!v.changed ? <p className="muted">{t("revisions.unchanged")}</p> : null}
          {v.canRedact ? (
            <Form method="post" className="revision-redact">
              <input type="hidden" name="intent" value="redact" />
              <input type="hidden" name="revision" value={v.revision} />
              <label>
                <input type="checkbox" name="confirm" value="1" required />{" "}
                {t("revisions.redactConfirm")}
              </label>{" "}
              <button type="submit" className="button-danger">
                {t("revisions.redactButton", { n: v.revision })}
              </button>
              {values.revision === String(v.revision) ? <FieldErrorText id={`redact-${v.revision}-error`} error={errors.confirm} /> : null}
            </Form>
          ) : null}
        </section>
      ))}
    </>
  );
}
