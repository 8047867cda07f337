/** Reading the moderators' forms (queue and profile): a reason and a suspension length. */
import type { FieldErrors } from "~/web/schemas";
import { SUSPEND_CHOICES, SUSPEND_CUSTOM_MAX_DAYS } from "~/domain/reports";

const DAY_MS = 86_400_000;

/** A moderator's reason (trimmed); an error key when missing or too long. */
export function readReason(form: FormData, field: string, max: number, errors: FieldErrors): string {
  const reason = String(form.get(field) ?? "").normalize("NFC").trim();
  if (!reason) errors[field] = { key: "reports:errors.reasonMissing" };
  else if (reason.length > max) errors[field] = { key: "reports:errors.reasonTooLong", params: { max } };
  return reason;
}

/** When a suspension chosen as 1/3/7/30 days or a custom number of days ends, from `now`. */
export function readSuspendUntil(form: FormData, errors: FieldErrors, now = Date.now()): Date {
  const choice = String(form.get("duration") ?? "");
  let days = NaN;
  if ((SUSPEND_CHOICES as readonly string[]).includes(choice)) {
    const raw = choice === "custom" ? String(form.get("customDays") ?? "").trim() : choice;
    days = /^\d{1,4}$/.test(raw) ? Number(raw) : NaN;
  }
  if (!(days >= 1 && days <= SUSPEND_CUSTOM_MAX_DAYS)) {
    errors.duration = { key: "reports:errors.badDuration", params: { max: SUSPEND_CUSTOM_MAX_DAYS } };
    return new Date(now);
  }
  return new Date(now + days * DAY_MS);
}
