import enCommon from "./locales/en/common";
import zhCommon from "./locales/zh/common";
import enSearch from "./locales/en/search";
import zhSearch from "./locales/zh/search";
import enSafety from "./locales/en/safety";
import zhSafety from "./locales/zh/safety";

/**
 * Every namespace of both languages. A feature adds its own namespace file pair under locales/en and
 * locales/zh and registers it here; keys are checked against English by tests/unit/i18n.test.ts.
 */
export const resources = {
  en: { common: enCommon, search: enSearch, safety: enSafety },
  "zh-CN": { common: zhCommon, search: zhSearch, safety: zhSafety },
} as const;
