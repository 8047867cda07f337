import { useTranslation } from "react-i18next";
import type { FieldErrors } from "~/web/schemas";
import { SUSPEND_CHOICES, SUSPEND_CUSTOM_MAX_DAYS, SUSPEND_REASON_MAX } from "~/domain/reports";
import { FieldErrorText } from "./forms";

/**
 * The suspension fields (length and reason) of the queue's and the profile's forms: 1, 3, 7 or 30
 * days, or a custom number of days (the custom field is used when "custom" is chosen; no script).
 */
export function SuspendFields({ idPrefix, errors = {}, values = {} }: { idPrefix: string; errors?: FieldErrors; values?: Record<string, string> }) {
  const { t } = useTranslation("reports");
  const id = (s: string) => `${idPrefix}-${s}`;
  return (
    <>
      <div className={errors.duration ? "field has-error" : "field"}>
        <label htmlFor={id("duration")}>{t("queue.duration")}</label>
        <select id={id("duration")} name="duration" defaultValue={values.duration ?? "1"}>
          {SUSPEND_CHOICES.map((c) => (
            <option key={c} value={c}>
              {t(`duration.${c}`)}
            </option>
          ))}
        </select>{" "}
        <label htmlFor={id("customDays")} className="inline-label">
          {t("queue.customDays")}
        </label>{" "}
        <input id={id("customDays")} name="customDays" type="number" min={1} max={SUSPEND_CUSTOM_MAX_DAYS} inputMode="numeric" className="input-days" defaultValue={values.customDays} />
        <FieldErrorText id={id("duration-error")} error={errors.duration} />
      </div>
      <div className={errors.reason ? "field has-error" : "field"}>
        <label htmlFor={id("reason")}>{t("queue.suspendReason")}</label>
        <input id={id("reason")} name="reason" maxLength={SUSPEND_REASON_MAX} required defaultValue={values.reason} />
        <FieldErrorText id={id("reason-error")} error={errors.reason} />
      </div>
    </>
  );
}
