import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { requireUser, toActor } from "~/auth/session.server";
import { Field, FormProblems, SafetyReminder, formResult } from "~/components/forms";
import { SafetyPanel, safetyOf } from "~/components/safety";
import { useLocale } from "~/components/time";
import { getDb } from "~/db.server";
import { domainFormError, formError, markdownFieldError, confirmed, refuseUnsafeEcho } from "~/web/forms.server";
import { readForm } from "~/web/http.server";
import { formValues, parseForm, threadSchema, TITLE_MAX, type FieldErrors } from "~/web/schemas";
import { denyReason, hasStaffPowers } from "~/policy/policy";
import { boardName } from "~/domain/boards";
import { getBoardBySlug, listBoardChoices } from "~/models/boards.server";
import { createThread } from "~/models/threads.server";
import { threadPath } from "~/web/paths";
import { RateLimitNotice } from "~/components/ratelimit";
import { retryAfterHeaders, limitedResponse, postUnderLimit } from "~/models/ratelimit.server";
// Search (issue 5): "look in the FAQ first" suggestions beside the form.
import { SuggestionList, type SuggestionView } from "~/components/search";
import { recordPosted, recordSuggestionEvents, suggestSimilar, toSuggestionView, visitorKeyForUser } from "~/models/search.server";

export const meta: MetaFunction = () => [{ title: "Ask a question · 提问 · Quorum" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = await getDb();
  const boards = (await listBoardChoices(db)).filter((b) => !b.staff_only || hasStaffPowers(toActor(user)));
  const selected = new URL(request.url).searchParams.get("board");
  return { boards, selected: boards.some((b) => b.slug === selected) ? selected : null, clientToken: crypto.randomUUID() };
}

export const headers = retryAfterHeaders;

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  const user = await requireUser(request, "/ask");
  const values = formValues(form, "board", "title", "body", "clientToken");
  if (form.get("intent") === "similar") {
    // No-JavaScript step: show similar questions, keep everything typed (masked if refused), post nothing.
    const refused = refuseUnsafeEcho({ title: values.title ?? "", body: values.body ?? "" }, values, form, ["body"]);
    if (refused) return refused;
    const db = await getDb();
    const hits = await suggestSimilar(db, values.title);
    await recordSuggestionEvents(db, visitorKeyForUser(user.id), "shown", hits);
    return { values, suggestions: hits.map(toSuggestionView), checked: true as const };
  }
  const parsed = parseForm(threadSchema, form);
  const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
  const db = await getDb();
  const board = values.board ? await getBoardBySlug(db, values.board) : undefined;
  if (!board) errors.board = { key: "validation.boardInvalid" };
  // Who may post here is the policy's call; a refusal is shown on the form with its reason (403).
  const denied = board ? denyReason(toActor(user), { action: "thread.create", board }) : null;
  if (denied) return formError({ [denied === "boardStaffOnly" ? "board" : "_form"]: { key: `validation.${denied}` } }, values, 403);
  // The renderer's bounds (nesting depth) once the length is known to be fine.
  const mdError = values.body && !errors.body ? markdownFieldError(values.body) : null;
  if (mdError) errors.body = mdError;
  if (!parsed.ok || Object.keys(errors).length > 0 || !board) return formError(errors, values);
  try {
    // New threads per user (stricter for new accounts, none for staff); invalid input never got here.
    const outcome = await postUnderLimit(db, user.id, "thread", () =>
      createThread(db, {
        boardId: board.id,
        authorId: user.id,
        title: parsed.data.title,
        body: parsed.data.body,
        clientToken: parsed.data.clientToken,
        confirmedNotSecret: confirmed(form),
      }),
    );
    if (outcome.limited) return limitedResponse(outcome.limited, values);
    const thread = outcome.result;
    await recordPosted(db, visitorKeyForUser(user.id)); // ends a deflection window (issue 5)
    return redirect(threadPath(thread.id, thread.slug));
  } catch (error) {
    return domainFormError(error, values);
  }
}

export default function Ask() {
  const { boards, selected, clientToken } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { errors, values } = formResult(actionData);
  const safety = safetyOf(actionData);
  const navigation = useNavigation();
  const { t } = useTranslation();
  const locale = useLocale();
  const busy = navigation.state === "submitting";
  const { t: ts } = useTranslation("search");
  const checked = actionData && "checked" in actionData ? actionData.suggestions : null;
  const [title, setTitle] = useState(values.title ?? "");
  const [live, setLive] = useState<{ refused?: string | null; suggestions: SuggestionView[] } | null>(null);
  // With JavaScript: suggestions follow the title, debounced, through the /search/suggest resource route.
  useEffect(() => {
    const q = title.trim();
    if (q.length < 2) {
      setLive(null);
      return;
    }
    const ctrl = new AbortController();
    const timer = setTimeout(() => {
      fetch(`/search/suggest?from=ask&q=${encodeURIComponent(q)}`, { signal: ctrl.signal, headers: { Accept: "application/json" } })
        .then((r) => (r.ok ? r.json() : null))
        .then((d) => d && setLive(d))
        .catch(() => {});
    }, 300);
    return () => {
      clearTimeout(timer);
      ctrl.abort();
    };
  }, [title]);
  const suggestions = live?.suggestions ?? checked;
  return (
    <>
      <div className="page-head">
        <h1>{t("ask.title")}</h1>
      </div>
      <SafetyReminder />
      <FormProblems show={Object.keys(errors).length > 0} />
      <RateLimitNotice actionData={actionData} />
      <div className="ask-layout">
      {/* Keyed by the refusal, so the inputs remount with the masked text even with JavaScript on. */}
      <Form method="post" className="form" noValidate key={safety?.nonce ?? "ask"}>
        <input type="hidden" name="clientToken" value={values.clientToken ?? clientToken} />
        <Field name="board" label={t("ask.board")} error={errors.board}>
          {(aria) => (
            <select {...aria} name="board" defaultValue={values.board ?? selected ?? ""} required>
              <option value="" disabled>
                {t("ask.chooseBoard")}
              </option>
              {boards.map((b) => (
                <option key={b.id} value={b.slug}>
                  {boardName(b, locale)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field name="title" label={t("ask.questionTitle")} hint={t("ask.titleHint")} error={errors.title}>
          {(aria) => (
            <input
              {...aria}
              type="text"
              name="title"
              defaultValue={values.title}
              maxLength={TITLE_MAX + 50}
              required
              autoComplete="off"
              onChange={(e) => setTitle(e.target.value)}
            />
          )}
        </Field>
        <Field name="body" label={t("ask.body")} hint={<>{t("ask.bodyHint")} {t("markdown.help")}</>} error={errors.body}>
          {(aria) => <textarea {...aria} name="body" defaultValue={values.body} required />}
        </Field>
        {errors._form ? <p className="field-error">{t(errors._form.key)}</p> : null}
        <SafetyPanel safety={safety} />
        <div className="form-actions">
          <button type="submit" className="button" name="intent" value="post" disabled={busy}>
            {t("ask.submit")}
          </button>
          <button type="submit" className="button button-secondary" name="intent" value="similar" formNoValidate>
            {ts("ask.check")}
          </button>
        </div>
      </Form>
      <aside className="ask-suggestions" aria-live="polite" aria-labelledby="ask-suggestions-h">
        <h2 id="ask-suggestions-h">{ts("ask.similarHeading")}</h2>
        {live?.refused ? (
          <p className="notice notice-error" role="alert">
            {ts("ask.refusedSecret")}
          </p>
        ) : suggestions === null ? (
          <p className="muted">{ts("ask.hint")}</p>
        ) : suggestions.length === 0 ? (
          <p className="muted">{ts("ask.none")}</p>
        ) : (
          <>
            <p>{ts("ask.similarIntro")}</p>
            <SuggestionList suggestions={suggestions} />
          </>
        )}
      </aside>
      </div>
    </>
  );
}
