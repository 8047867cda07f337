import type { ReactNode } from "react";
import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { FieldErrors } from "~/web/schemas";
import { REPORT_NOTE_MAX, REPORT_REASONS } from "~/domain/reports";
import { loginPath } from "~/web/paths";
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
 * Under each post: a link to the post's report page (/p/<id>/report, the form), or for a visitor a
 * link to log in that comes back to it. A link rather than the form itself in a <details> under every
 * post: the thread page rendered 30 copies of the form (radio buttons, textarea, hints) on every
 * logged-in request, for a form that is rarely used (tests/bench/RESULTS.md, third pass).
 */
export function ReportLink({ postId, canReport, loggedIn }: { postId: number; canReport: boolean; loggedIn: boolean }) {
  const { t } = useTranslation("reports");
  if (loggedIn && !canReport) return null;
  return (
    <Link to={loggedIn ? reportPath(postId) : loginPath(reportPath(postId))} className={loggedIn ? "report-link" : "report-login"} rel="nofollow">
      {t("form.open")}
    </Link>
  );
}
