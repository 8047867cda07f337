import type { ReportOutcome, ReportReason } from "~db/types";

/** Reports and suspensions (issue 8): what both the pages and the server need to agree on. */
export const REPORT_REASONS = [
  "spam",
  "scam_phishing",
  "exposed_secret",
  "impersonating_staff",
  "abusive",
  "off_topic",
  "other",
] as const satisfies readonly ReportReason[];

export const REPORT_OUTCOMES = ["dismissed", "hidden", "deleted", "locked", "suspended"] as const satisfies readonly ReportOutcome[];

/** A reporter's optional note, and a moderator's reason (for hiding or suspending). */
export const REPORT_NOTE_MAX = 500;
export const SUSPEND_REASON_MAX = 500;

/** The suspension lengths offered in the queue and on profiles; "custom" takes a number of days. */
export const SUSPEND_CHOICES = ["1", "3", "7", "30", "custom"] as const;
export const SUSPEND_CUSTOM_MAX_DAYS = 3650;

/** posts.hidden_reason written when reports hide a post at once, pending a moderator's review. */
export const REPORTS_HIDE_REASON = "system:reports";

export function isReportReason(v: unknown): v is ReportReason {
  return typeof v === "string" && (REPORT_REASONS as readonly string[]).includes(v);
}

/** Whether an account's suspension is in force: it ends by itself when the time has passed. */
export function suspensionActive(until: Date | string | null | undefined, now: number = Date.now()): boolean {
  return !!until && new Date(until).getTime() > now;
}
