import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser, toActor } from "~/auth/session.server";
import { Field, FormProblems, SafetyReminder, formResult } from "~/components/forms";
import { SafetyPanel, safetyOf } from "~/components/safety";
import { getDb } from "~/db.server";
import { domainFormError, formError, markdownFieldError, confirmed } from "~/web/forms.server";
import { forbidden, notFound, readForm } from "~/web/http.server";
import { editSchema, formValues, parseForm, questionBodySchema, answerBodySchema, titleSchema, TITLE_MAX, type FieldErrors, parseIdText } from "~/web/schemas";
import { editPost, loadEditablePost } from "~/models/posts.server";
import { postPath } from "~/models/threads.server";
import { z } from "zod";
import { threadPath } from "~/web/paths";

export const meta: MetaFunction = () => [{ title: "Edit · 编辑 · Quorum" }];

async function loadEditable(request: Request, rawId: string | undefined) {
  if (!rawId || parseIdText(rawId) === null) notFound();
  const user = await requireUser(request);
  const db = await getDb();
  // The read model applies the policy and the visibility rules; the route maps its refusal.
  const editable = await loadEditablePost(db, Number(rawId), toActor(user));
  if ("refused" in editable) {
    if (editable.status === 404) notFound();
    forbidden(editable.refused);
  }
  return { user, db, post: editable.post };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { post } = await loadEditable(request, params.id);
  return { post };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readForm(request);
  const { user, db, post } = await loadEditable(request, params.id);
  const isQuestion = post.post_number === 1;
  const values = formValues(form, "title", "body", "revision");
  // The question keeps the question's rules (title, longer body); answers the answer's.
  const schema = isQuestion
    ? editSchema.extend({ title: titleSchema, body: questionBodySchema })
    : editSchema.extend({ body: answerBodySchema, title: z.undefined().optional().catch(undefined) });
  const parsed = parseForm(schema, form);
  const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
  // The renderer's bounds (nesting depth) once the length is known to be fine.
  const mdError = values.body && !errors.body ? markdownFieldError(values.body) : null;
  if (mdError) errors.body = mdError;
  if (!parsed.ok || Object.keys(errors).length > 0) return formError(errors, values);
  try {
    const result = await editPost(db, {
      postId: post.id,
      editorId: user.id,
      body: parsed.data.body,
      title: isQuestion ? parsed.data.title : undefined,
      revision: parsed.data.revision,
      confirmedNotSecret: confirmed(form),
    });
    return redirect(postPath(result.threadId, result.slug, result.postNumber));
  } catch (error) {
    return domainFormError(error, values);
  }
}

export default function EditPost() {
  const { post } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { errors, values } = formResult(actionData);
  const safety = safetyOf(actionData);
  const navigation = useNavigation();
  const { t } = useTranslation();
  const isQuestion = post.post_number === 1;
  return (
    <>
      <div className="page-head">
        <div>
          <h1>{t("edit.title")}</h1>
          <p className="muted">
            <Link to={threadPath(post.thread_id, post.slug)}>{post.title}</Link>
          </p>
        </div>
      </div>
      <SafetyReminder />
      <FormProblems show={Object.keys(errors).length > 0} />
      <Form method="post" className="form" noValidate key={safety?.nonce ?? "edit"}>
        <input type="hidden" name="revision" value={post.revision} />
        {isQuestion ? (
          <Field name="title" label={t("ask.questionTitle")} error={errors.title}>
            {(aria) => <input {...aria} type="text" name="title" defaultValue={values.title ?? post.title} maxLength={TITLE_MAX + 50} required />}
          </Field>
        ) : null}
        <Field name="body" label={t("ask.body")} hint={t("markdown.help")} error={errors.body}>
          {(aria) => <textarea {...aria} name="body" defaultValue={values.body ?? post.body_md} required />}
        </Field>
        {errors._form ? (
          <p className="field-error" role="alert">
            {t(errors._form.key)}
          </p>
        ) : null}
        <SafetyPanel safety={safety} />
        <div className="form-actions">
          <button type="submit" className="button" disabled={navigation.state === "submitting"}>
            {t("edit.save")}
          </button>
          <Link to={threadPath(post.thread_id, post.slug)}>{t("edit.cancel")}</Link>
        </div>
      </Form>
    </>
  );
}
