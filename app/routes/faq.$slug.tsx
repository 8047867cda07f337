import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data as dataResponse } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { clientIp, getUser } from "~/auth/session.server";
import { Markdown } from "~/components/markdown";
import { RelativeTime } from "~/components/time";
import { getDb } from "~/db.server";
import { confirmed, echoValues, parseFormData } from "~/web/forms.server";
import { z } from "zod";

const feedbackSchema = z.object({ helpful: z.enum(["yes", "no"]), comment: z.string().optional() });
import { DomainError, GuardRefusedError } from "~/models/errors";
import { notFound, readForm } from "~/web/http.server";
import { threadPath, userPath } from "~/web/paths";
import { getPublishedBySlug, giveFeedback, myFeedback } from "~/models/faq.server";
import { visitorCookie, visitorIdFrom } from "~/models/views.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: `${data.entry.question} · FAQ · Quorum` }] : []);

async function voterKey(request: Request): Promise<{ key: string | null; setCookie: string | null }> {
  const user = await getUser(request);
  if (user) return { key: `u:${user.id}`, setCookie: null };
  const vid = visitorIdFrom(request);
  return vid ? { key: `v:${vid}`, setCookie: null } : { key: null, setCookie: null };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = await getDb();
  const entry = await getPublishedBySlug(db, params.slug ?? "");
  if (!entry) notFound();
  const { key } = await voterKey(request);
  return { entry, mine: await myFeedback(db, entry.id, key) };
}

/** "Was this helpful?": one vote per account or visitor cookie, changeable; a comment on "No" only. */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const db = await getDb();
  const entry = await getPublishedBySlug(db, params.slug ?? "");
  if (!entry) notFound();
  const parsed = parseFormData(form, feedbackSchema);
  if (!parsed.ok) return dataResponse({ feedbackError: "faq:feedback.choose", comment: "" }, { status: 400 });
  const { helpful } = parsed.data;
  const comment = helpful === "no" ? (parsed.data.comment ?? "") : "";
  let { key } = await voterKey(request);
  const headers = new Headers();
  if (!key) {
    const vid = crypto.randomUUID().replace(/-/g, "");
    headers.append("Set-Cookie", visitorCookie(vid));
    key = `v:${vid}`;
  }
  try {
    // The model checks the comment for secrets before anything else; only its masked form is ever sent back.
    const limited = await giveFeedback(db, {
      entryId: entry.id,
      voterKey: key,
      ip: context?.clientIp ?? clientIp(request),
      helpful: helpful === "yes",
      comment: comment || null,
      confirmedNotSecret: confirmed(form),
    });
    if (limited) {
      headers.set("Retry-After", String(limited.retryAfterSeconds));
      return dataResponse({ feedbackError: "faq:feedback.limited", comment: echoValues({ comment }).comment }, { status: 429, headers });
    }
  } catch (error) {
    if (error instanceof GuardRefusedError)
      return dataResponse({ feedbackError: "faq:feedback.unsafe", comment: error.refusal.values.comment ?? "" }, { status: 422 });
    if (error instanceof DomainError && error.code === "faq.commentTooLong")
      return dataResponse({ feedbackError: "faq:feedback.tooLong", comment: comment.slice(0, 2000) }, { status: 400 });
    throw error;
  }
  return dataResponse({ thanks: true, helpful: helpful === "yes" }, { headers });
}

export default function FaqEntry() {
  const { entry, mine } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as { feedbackError?: string; comment?: string; thanks?: boolean } | undefined;
  const { t } = useTranslation("faq");
  return (
    <>
      <nav className="breadcrumb">
        <Link to="/faq">{t("faq.title")}</Link> /
      </nav>
      <article className="faq-entry">
        <h1>{entry.question}</h1>
        <p className="badge badge-official">{t("entry.official")}</p>
        <Markdown html={entry.answer_html} />
        <p className="muted faq-meta">
          {t("entry.reviewed")} <RelativeTime date={entry.reviewed_at} />
        </p>
        <p className="faq-credit">
          {t("entry.creditPrefix")}{" "}
          {entry.thread_id && entry.thread_slug ? (
            <Link to={threadPath(entry.thread_id, entry.thread_slug, entry.source_post_id ? {} : {}) + (entry.source_post_id ? `#post-${entry.source_post_id}` : "")} className="credit-thread">
              {entry.thread_title}
            </Link>
          ) : (
            <span>{t("entry.threadGone")}</span>
          )}
          {entry.source_author_name ? (
            <>
              {" · "}
              {t("entry.answerBy")}{" "}
              {entry.author_username ? <Link to={userPath(entry.author_username)}>{entry.author_username}</Link> : <span>{entry.source_author_name}</span>}
            </>
          ) : null}
        </p>
      </article>
      <section className="faq-feedback card">
        <h2>{t("feedback.question")}</h2>
        {actionData?.thanks ? <p role="status">{t("feedback.thanks")}</p> : mine ? <p className="muted">{t(mine.helpful ? "feedback.youYes" : "feedback.youNo")}</p> : null}
        <Form method="post" className="form">
          <div className="form-actions">
            <button type="submit" name="helpful" value="yes" className="button button-secondary">
              {t("feedback.yes")}
            </button>
          </div>
        </Form>
        <Form method="post" className="form">
          <label htmlFor="fb-comment">{t("feedback.comment")}</label>
          <textarea id="fb-comment" name="comment" maxLength={500} rows={3} defaultValue={actionData?.comment ?? (mine && !mine.helpful ? (mine.comment ?? "") : "")} />
          {actionData?.feedbackError ? (
            <p className="field-error" role="alert">
              {t(actionData.feedbackError)}
            </p>
          ) : null}
          <div className="form-actions">
            <button type="submit" name="helpful" value="no" className="button button-secondary">
              {t("feedback.no")}
            </button>
          </div>
        </Form>
        <p className="muted">
          <Link to="/official">{t("official.link")}</Link>
        </p>
      </section>
    </>
  );
}
