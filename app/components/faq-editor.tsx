import { Form, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Field, FormProblems, SafetyReminder } from "~/components/forms";
import { SafetyPanel, type SafetyData } from "~/components/safety";
import { boardName } from "~/domain/boards";
import type { FieldErrors } from "~/web/schemas";
import { useLocale } from "~/components/time";

/** The FAQ entry editor (promote and edit): question, answer, section, position; publish or save a draft. */
export function FaqEditor(props: {
  initial: { question: string; answer: string; boardId: number; position: number };
  boards: { id: number; name_zh: string; name_en: string }[];
  errors: FieldErrors;
  values: Record<string, string>;
  safety: SafetyData;
  saveLabel: string;
}) {
  const { t } = useTranslation("faq");
  const { t: tc } = useTranslation();
  const locale = useLocale();
  const navigation = useNavigation();
  const v = props.values;
  const e = props.errors;
  return (
    <>
      <SafetyReminder />
      <FormProblems show={Object.keys(e).length > 0} />
      <Form method="post" className="form faq-editor" noValidate key={props.safety?.nonce ?? "faq"}>
        <Field name="question" label={t("editor.question")} error={e.question}>
          {(aria) => <input {...aria} type="text" name="question" defaultValue={v.question ?? props.initial.question} maxLength={250} required />}
        </Field>
        <Field name="answer" label={t("editor.answer")} hint={tc("markdown.help")} error={e.answer}>
          {(aria) => <textarea {...aria} name="answer" rows={14} defaultValue={v.answer ?? props.initial.answer} required />}
        </Field>
        <Field name="boardId" label={t("editor.section")} error={e.boardId}>
          {(aria) => (
            <select {...aria} name="boardId" defaultValue={v.boardId ?? String(props.initial.boardId)}>
              {props.boards.map((b) => (
                <option key={b.id} value={b.id}>
                  {boardName(b, locale)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field name="position" label={t("editor.position")} hint={t("editor.positionHelp")} error={e.position}>
          {(aria) => <input {...aria} type="number" name="position" min={0} defaultValue={v.position ?? String(props.initial.position)} />}
        </Field>
        {e._form ? (
          <p className="field-error" role="alert">
            {t(e._form.key)}
          </p>
        ) : null}
        <SafetyPanel safety={props.safety} />
        <div className="form-actions">
          <button type="submit" name="intent" value="publish" className="button" disabled={navigation.state === "submitting"}>
            {t("editor.publish")}
          </button>
          <button type="submit" name="intent" value="draft" className="button button-secondary" disabled={navigation.state === "submitting"}>
            {props.saveLabel}
          </button>
        </div>
      </Form>
    </>
  );
}
