import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { FieldError, FieldErrors } from "~/web/schemas";

export function FieldErrorText({ id, error }: { id: string; error?: FieldError }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <p className="field-error" id={id} role="alert">
      {t(error.key, error.params as Record<string, string>)}
    </p>
  );
}

/** A labelled input or textarea with its hint and error, wired for screen readers. */
export function Field(props: {
  name: string;
  label: string;
  hint?: ReactNode;
  error?: FieldError;
  children: (aria: { id: string; "aria-invalid"?: boolean; "aria-describedby"?: string }) => ReactNode;
}) {
  const id = `f-${props.name}`;
  const describedBy = [props.hint ? `${id}-hint` : null, props.error ? `${id}-error` : null].filter(Boolean).join(" ");
  return (
    <div className={props.error ? "field has-error" : "field"}>
      <label htmlFor={id}>{props.label}</label>
      {props.children({ id, "aria-invalid": props.error ? true : undefined, "aria-describedby": describedBy || undefined })}
      {props.hint ? (
        <p className="field-hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      <FieldErrorText id={`${id}-error`} error={props.error} />
    </div>
  );
}

export function FormProblems({ show }: { show: boolean }) {
  const { t } = useTranslation();
  if (!show) return null;
  return (
    <div className="notice notice-error" role="alert">
      {t("errors.formProblems")}
    </div>
  );
}

export function SafetyReminder() {
  const { t } = useTranslation();
  return (
    <p className="notice notice-safety" role="note">
      <strong aria-hidden="true">⚠ </strong>
      {t("safety.reminder")}
    </p>
  );
}

/** The field errors and echoed values an action returned with a 4xx (empty when there are none). */
export function formResult(actionData: unknown): { errors: FieldErrors; values: Record<string, string> } {
  const d = (actionData ?? {}) as { errors?: FieldErrors; values?: Record<string, string> };
  return { errors: d.errors ?? {}, values: d.values ?? {} };
}
