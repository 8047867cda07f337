import enCommon from "./locales/en/common";
import zhCommon from "./locales/zh/common";
import enSearch from "./locales/en/search";
import zhSearch from "./locales/zh/search";
import enSafety from "./locales/en/safety";
import zhSafety from "./locales/zh/safety";
import enAccount from "./locales/en/account";
import zhAccount from "./locales/zh/account";
import enQa from "./locales/en/qa";
import zhQa from "./locales/zh/qa";
import enFaq from "./locales/en/faq";
import zhFaq from "./locales/zh/faq";
import enModeration from "./locales/en/moderation";
import zhModeration from "./locales/zh/moderation";
import enRatelimit from "./locales/en/ratelimit";
import zhRatelimit from "./locales/zh/ratelimit";
import enReports from "./locales/en/reports";
import zhReports from "./locales/zh/reports";

/**
 * Every namespace of both languages. A feature adds its own namespace file pair under locales/en and
 * locales/zh and registers it here; keys are checked against English by tests/unit/i18n.test.ts.
 */
export const resources = {
  en: { common: enCommon, search: enSearch, safety: enSafety, account: enAccount, qa: enQa, faq: enFaq, moderation: enModeration, ratelimit: enRatelimit, reports: enReports },
  "zh-CN": { common: zhCommon, search: zhSearch, safety: zhSafety, account: zhAccount, qa: zhQa, faq: zhFaq, moderation: zhModeration, ratelimit: zhRatelimit, reports: zhReports },
} as const;
