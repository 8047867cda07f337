import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireStaff } from "~/auth/session.server";
import { EntryActions } from "~/components/faq-actions";
import { FaqEditor } from "~/components/faq-editor";
import { safetyOf } from "~/components/safety";
import { RelativeTime } from "~/components/time";
import { getDb } from "~/db.server";
import { entryIntent, faqDomainError, parseId, readFaqForm } from "~/forms/faq-form.server";
import { notFound, readForm } from "~/web/http.server";
import { faqPath, threadPath } from "~/web/paths";
import type { FieldErrors } from "~/web/schemas";
import { wordDiff, type DiffPart } from "~/content/textdiff.server";
import { listBoardChoices } from "~/models/boards.server";
import { editEntry, getEntry, listFeedbackComments, listForStaff, listRevisions, sourceComparison, sourceThread } from "~/models/faq.server";

export const meta: MetaFunction = () => [{ title: "FAQ entry · 常见问题条目 · Quorum" }];

async function load(request: Request, raw: string | undefined) {
  const user = await requireStaff(request);
  const db = await getDb();
  const id = parseId(raw);
  const entry = id ? await getEntry(db, id) : null;
  if (!entry) notFound();
  return { user, db, entry };
}

/** Staff: edit an entry (each text change is a revision), its history, source diff and reader comments. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, entry } = await load(request, params.id);
  const [boards, revisions, comments, flags, cmp, thread] = await Promise.all([
    listBoardChoices(db),
    listRevisions(db, entry.id),
    listFeedbackComments(db, entry.id),
    listForStaff(db).then((all) => all.find((e) => e.id === entry.id)),
    sourceComparison(db, entry.id),
    entry.source_thread_id ? sourceThread(db, entry.source_thread_id) : null,
  ]);
  const sourceChanged = !!flags?.source_changed;
  let diff: DiffPart[] | null = null;
  if (sourceChanged && cmp) {
    const before = cmp.promoted ?? "";
    const after = cmp.currentPost?.body_md ?? cmp.current ?? "";
    diff = wordDiff(before, after);
  }
  const { search_vector: _v, ...rest } = entry;
  return { entry: rest, boards, revisions, comments, sourceChanged, stale: !!flags?.stale, diff, thread: thread ?? null };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readForm(request);
  const { user, db, entry } = await load(request, params.id);
  const intent = String(form.get("intent") ?? "");
  if (intent !== "publish" && intent !== "draft" || form.has("entryId")) {
    form.set("entryId", String(entry.id));
    const done = await entryIntent(db, user.id, form);
    if (done) return redirect(done.done === "delete" ? "/staff/faq?done=delete" : `/staff/faq/${entry.id}?done=${done.done}`);
  }
  const parsed = await readFaqForm(db, form);
  if (!parsed.ok) return parsed.response;
  try {
    await editEntry(db, { ...parsed, entryId: entry.id, actorId: user.id, status: parsed.publish ? "published" : entry.status === "published" ? "published" : entry.status });
    return redirect(`/staff/faq/${entry.id}?done=edit`);
  } catch (e) {
    return faqDomainError(e, { question: parsed.question, answer: parsed.answerMd, boardId: String(parsed.boardId), position: String(parsed.position) });
  }
}

function Diff({ parts }: { parts: DiffPart[] }) {
  return (
    <>
      {parts.map((p, i) => (p.op === "ins" ? <ins key={i}>{p.text}</ins> : p.op === "del" ? <del key={i}>{p.text}</del> : <span key={i}>{p.text}</span>))}
    </>
  );
}

export default function StaffFaqEntry() {
  const { entry, boards, revisions, comments, sourceChanged, stale, diff, thread } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("faq");
  const errors = (actionData && "errors" in actionData ? actionData.errors : {}) as FieldErrors;
  const values = (actionData && "values" in actionData ? actionData.values : {}) as Record<string, string>;
  return (
    <>
      <nav className="breadcrumb">
        <Link to="/staff/faq">{t("staff.title")}</Link> /
      </nav>
      <div className="page-head">
        <h1>{entry.question}</h1>
        <span className="badge">{t(`status.${entry.status}`)}</span>
      </div>
      <p className="muted">
        {entry.status === "published" ? <Link to={faqPath(entry.slug)}>{t("staff.view")}</Link> : null}{" "}
        {thread ? (
          <>
            · {t("staff.source")} <Link to={threadPath(thread.id, thread.slug)}>{thread.title ?? t("safety:hidden.threadTitle")}</Link>
          </>
        ) : (
          <> · {t("staff.sourceGone")}</>
        )}{" "}
        · {t("entry.credit", { name: entry.source_author_name ?? "—" })} · {t("entry.reviewed")} <RelativeTime date={entry.reviewed_at} /> · {t("staff.helpful")}{" "}
        {entry.helpful_yes}/{entry.helpful_yes + entry.helpful_no}
      </p>
      {stale ? <p className="notice">{t("staff.stale")}</p> : null}
      <EntryActions id={entry.id} status={entry.status} sourceChanged={sourceChanged} />
      {sourceChanged ? (
        <section id="source" className="faq-source-changed">
          <h2>{t("staff.sourceChanged")}</h2>
          <p className="muted">{t("staff.diffHelp")}</p>
          <pre className="diff">{diff ? <Diff parts={diff} /> : null}</pre>
        </section>
      ) : null}
      <h2>{t("staff.edit")}</h2>
      <FaqEditor
        initial={{ question: entry.question, answer: entry.answer_md, boardId: entry.board_id, position: entry.position }}
        boards={boards}
        errors={errors}
        values={values}
        safety={safetyOf(actionData)}
        saveLabel={t("editor.save")}
      />
      <h2>{t("staff.comments")}</h2>
      {comments.length === 0 ? (
        <p className="empty">{t("staff.noComments")}</p>
      ) : (
        <ul className="faq-comments">
          {comments.map((c, i) => (
            <li key={i}>
              {c.helpful ? "👍" : "👎"} {c.comment} <RelativeTime date={c.updated_at} />
            </li>
          ))}
        </ul>
      )}
      <h2>{t("staff.revisions")}</h2>
      <ol className="faq-revisions" reversed>
        {revisions.map((r) => (
          <li key={r.revision}>
            <details>
              <summary>
                #{r.revision} · {r.username ?? "—"} · <RelativeTime date={r.created_at} />
              </summary>
              <p>
                <strong>{r.question}</strong>
              </p>
              <pre>{r.answer_md}</pre>
            </details>
          </li>
        ))}
      </ol>
    </>
  );
}
