import { useTranslation } from "react-i18next";
import type { SafetyIssue } from "~/safety/guard.server";

/** The guard's refusal as the form needs it (see guardFormError in app/safety/guard.server.ts). */
export type SafetyData = { issue: SafetyIssue; nonce: string } | undefined;

/** Reads `safety` from an action's data, whatever else the action returned. */
export function safetyOf(actionData: unknown): SafetyData {
  return actionData && typeof actionData === "object" && "safety" in actionData ? (actionData.safety as SafetyData) : undefined;
}

/**
 * Why the guard refused the form, and what to do. Goes INSIDE the <Form>: a "warn" shows the
 * checkbox the author ticks to post anyway (a plain form field, so it works without JavaScript).
 */
export function SafetyPanel({ safety }: { safety: SafetyData }) {
  const { t } = useTranslation("safety");
  if (!safety) return null;
  const { issue } = safety;
  if (issue.kind === "blockedDomain") {
    return (
      <div className="notice notice-error safety-panel" role="alert">
        <strong>{t("domain.title")}</strong>
        <p>{t("domain.why", { domain: issue.domain })}</p>
      </div>
    );
  }
  if (issue.kind === "phishingLink") {
    return (
      <div className="notice notice-error safety-panel" role="alert">
        <strong>{t("phishing.title")}</strong>
        <p>{t(issue.reason === "lookalike" ? "phishing.lookalike" : "phishing.walletConnect", { domain: issue.domain })}</p>
        <p>{t("blocked.staffNever")}</p>
      </div>
    );
  }
  if (issue.verdict === "warn") {
    return (
      <div className="notice notice-safety safety-panel" role="alert">
        <strong>{t("warn.title")}</strong>
        <p>{t("warn.why")}</p>
        <label className="safety-confirm">
          <input type="checkbox" name="confirmNotSecret" value="1" /> {t("warn.confirm")}
        </label>
        <p className="muted">{t("warn.hint")}</p>
      </div>
    );
  }
  return (
    <div className="notice notice-error safety-panel" role="alert" data-safety="blocked">
      <strong>{t("blocked.title")}</strong>
      <p>{t("blocked.why")}</p>
      <p>{t("blocked.whatToDo")}</p>
      <ol>
        <li>{t("blocked.step1")}</li>
        <li>{t("blocked.step2")}</li>
        <li>{t("blocked.step3")}</li>
      </ol>
      <p>{t("blocked.staffNever")}</p>
      <p>{t("blocked.edit")}</p>
    </div>
  );
}

/** A safety note beside (or above) a post: the ⚠ and one translated sentence. */
function SafetyNote({ className, text }: { className: string; text: string }) {
  return (
    <p className={`notice ${className}`} role="note">
      <strong aria-hidden="true">⚠ </strong>
      {text}
    </p>
  );
}

/** Beside a post by a non-staff author that contains a wallet address. */
export function AddressNotice() {
  const { t } = useTranslation("safety");
  return <SafetyNote className="notice-safety address-notice" text={t("address.notice")} />;
}

/** Beside a post by a non-staff author that links to a site not on the allowlist (links marked ⚠). */
export function LinkNotice() {
  const { t } = useTranslation("safety");
  return <SafetyNote className="notice-safety link-notice" text={t("link.notice")} />;
}

/** Above the body of a post by a non-staff author whose opening reads like a staff message. */
export function NotStaffNotice() {
  const { t } = useTranslation("safety");
  return <SafetyNote className="notice-warning not-staff-notice" text={t("notStaff.notice")} />;
}

/** In place of a hidden post. */
export function HiddenNotice({ secret, privileged }: { secret: boolean; privileged: boolean }) {
  const { t } = useTranslation("safety");
  return (
    <div className="notice hidden-notice" role="note">
      <p>{t(secret ? "hidden.postSecret" : "hidden.post")}</p>
      {privileged ? <p className="muted">{t("hidden.onlyYou")}</p> : null}
      {privileged && secret ? <p>{t("hidden.compromised")}</p> : null}
    </div>
  );
}
