import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireStaff } from "~/auth/session.server";
import { FaqEditor } from "~/components/faq-editor";
import { safetyOf } from "~/components/safety";
import { getDb } from "~/db.server";
import { faqDomainError, parseId, readFaqForm } from "~/forms/faq-form.server";
import { notFound, readForm } from "~/web/http.server";
import { threadPath } from "~/web/paths";
import type { FieldErrors } from "~/web/schemas";
import { listBoardChoices } from "~/models/boards.server";
import { promoteThread, sourceAnswer } from "~/models/faq.server";

export const meta: MetaFunction = () => [{ title: "Promote to FAQ · 收入常见问题 · Quorum" }];

async function load(request: Request, raw: string | undefined) {
  const user = await requireStaff(request);
  const db = await getDb();
  const id = parseId(raw);
  const src = id ? await sourceAnswer(db, id) : null;
  if (!src) notFound();
  return { user, db, src };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, src } = await load(request, params.threadId);
  const existing = await db.selectFrom("faq_entries").select(["id"]).where("source_thread_id", "=", src.thread.id).executeTakeFirst();
  if (existing) throw redirect(`/staff/faq/${existing.id}`);
  return {
    thread: { id: src.thread.id, title: src.thread.title, slug: src.thread.slug },
    initial: { question: src.thread.title, answer: src.post?.body_md ?? "", boardId: src.thread.board_id, position: 0 },
    author: src.post?.username ?? null,
    hasAnswer: !!src.post,
    boards: await listBoardChoices(db),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readForm(request);
  const { user, db, src } = await load(request, params.threadId);
  const parsed = await readFaqForm(db, form);
  if (!parsed.ok) return parsed.response;
  try {
    const entry = await promoteThread(db, { ...parsed, threadId: src.thread.id, actorId: user.id });
    return redirect(`/staff/faq/${entry.id}?promoted=1`);
  } catch (e) {
    return faqDomainError(e, { question: parsed.question, answer: parsed.answerMd, boardId: String(parsed.boardId), position: String(parsed.position) });
  }
}

export default function Promote() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("faq");
  const errors = (actionData && "errors" in actionData ? actionData.errors : {}) as FieldErrors;
  const values = (actionData && "values" in actionData ? actionData.values : {}) as Record<string, string>;
  return (
    <>
      <div className="page-head">
        <h1>{t("promote.title")}</h1>
      </div>
      <p>
        {t("promote.from")} <Link to={threadPath(data.thread.id, data.thread.slug)}>{data.thread.title}</Link>
        {data.author ? <> · {t("promote.answerBy", { name: data.author })}</> : null}
      </p>
      {data.hasAnswer ? (
        <FaqEditor initial={data.initial} boards={data.boards} errors={errors} values={values} safety={safetyOf(actionData)} saveLabel={t("editor.saveDraft")} />
      ) : (
        <p className="empty">{t("errors.noAnswer")}</p>
      )}
    </>
  );
}
