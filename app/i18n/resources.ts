import enCommon from "./locales/en/common";
import zhCommon from "./locales/zh/common";
import enQa from "./locales/en/qa";
import zhQa from "./locales/zh/qa";

/**
 * Every namespace of both languages. A feature adds its own namespace file pair under locales/en and
 * locales/zh and registers it here; keys are checked against English by tests/unit/i18n.test.ts.
 */
export const resources = {
  en: { common: enCommon, qa: enQa },
  "zh-CN": { common: zhCommon, qa: zhQa },
} as const;
