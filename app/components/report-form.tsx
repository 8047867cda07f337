import type { ReactNode } from "react";
import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { FieldErrors } from "~/lib/schemas";
import { REPORT_NOTE_MAX, REPORT_REASONS } from "~/lib/reports";
import { loginPath } from "~/lib/paths";
import { FieldErrorText } from "./forms";

export function reportPath(postId: number): string {
  return `/p/${postId}/report`;
}

/**
 * The report form of one post: reason (radio buttons `reportReason`, apart from the moderator
 * tools' `reason` field under the same post) and an optional note, posted to /p/<id>/report. A plain
 * form: works without JavaScript.
 */
export function ReportForm({
  postId,
  errors = {},
  values = {},
  children,
}: {
  postId: number;
  errors?: FieldErrors;
  values?: Record<string, string>;
  /** The safety panel of a refused note (its "confirm" checkbox must be inside the form). */
  children?: ReactNode;
}) {
  const { t } = useTranslation("reports");
  const id = (s: string) => `report-${postId}-${s}`;
  return (
    <Form method="post" action={reportPath(postId)} className="report-form">
      <fieldset className={errors.reportReason ? "field has-error" : "field"}>
        <legend>{t("form.reason")}</legend>
        {REPORT_REASONS.map((r) => (
          <label key={r} className="radio-line">
            <input type="radio" name="reportReason" value={r} defaultChecked={values.reportReason === r} required /> {t(`reasons.${r}`)}
          </label>
        ))}
        <FieldErrorText id={id("reason-error")} error={errors.reportReason} />
      </fieldset>
      <p className="muted small">{t("form.secretHint")}</p>
      <div className={errors.note ? "field has-error" : "field"}>
        <label htmlFor={id("note")}>{t("form.note")}</label>
        <textarea id={id("note")} name="note" rows={2} maxLength={REPORT_NOTE_MAX} defaultValue={values.note} aria-describedby={id("note-hint")} />
        <p className="field-hint" id={id("note-hint")}>
          {t("form.noteHint", { max: REPORT_NOTE_MAX })}
        </p>
        <FieldErrorText id={id("note-error")} error={errors.note} />
      </div>
      {children}
      <FieldErrorText id={id("form-error")} error={errors._form} />
      <div className="form-actions">
        <button type="submit" className="button button-small">
          {t("form.submit")}
        </button>
      </div>
    </Form>
  );
}

/**
 * Under each post: a <details> disclosure with the report form (no JavaScript needed), or for a
 * visitor a link to log in that comes back to the form.
 */
export function ReportDisclosure({ postId, canReport, loggedIn }: { postId: number; canReport: boolean; loggedIn: boolean }) {
  const { t } = useTranslation("reports");
  if (!loggedIn) {
    return (
      <Link to={loginPath(reportPath(postId))} className="report-login" rel="nofollow">
        {t("form.open")}
      </Link>
    );
  }
  if (!canReport) return null;
  return (
    <details className="report-disclosure">
      <summary>{t("form.open")}</summary>
      <div className="report-panel">
        <p className="small">{t("form.intro")}</p>
        <ReportForm postId={postId} />
      </div>
    </details>
  );
}
