import { useTranslation } from "react-i18next";
import { useLocale } from "~/components/time";
import { formatClock, formatWait } from "~/i18n/format";

import type { Limited } from "~/models/ratelimit.server";

/** The limit an action refused with 429 (app/models/ratelimit.server.ts limitedResponse), if any. */
function rateLimitOf(actionData: unknown): Limited | null {
  const d = actionData as { rateLimit?: Limited } | null | undefined;
  return d && typeof d === "object" && d.rateLimit ? d.rateLimit : null;
}

/** "Too many answers in a short time. Try again in 7 minutes (at 14:05 UTC)." above a refused form. */
export function RateLimitNotice({ actionData, kept = true }: { actionData: unknown; kept?: boolean }) {
  const { t } = useTranslation("ratelimit");
  const locale = useLocale();
  const limited = rateLimitOf(actionData);
  if (!limited) return null;
  return (
    <div className="notice notice-error notice-ratelimit" role="alert">
      {t(`what.${limited.what}`)} {t("retry", { wait: formatWait(limited.retryAfterSeconds, locale), at: formatClock(limited.retryAt, locale) })}
      {limited.limit.endsWith("PerNewUser") ? <> {t("newAccount")}</> : null}
      {kept ? <> {t("kept")}</> : null}
    </div>
  );
}
