import { resources } from "./resources";

export const supportedLngs = ["zh-CN", "en"] as const;
export type Lng = (typeof supportedLngs)[number];
export const fallbackLng: Lng = "zh-CN";
export const LOCALE_COOKIE = "lng";

export function isLng(value: unknown): value is Lng {
  return typeof value === "string" && (supportedLngs as readonly string[]).includes(value);
}

/** i18next options shared by the server and the browser; every translation is bundled (two small languages). */
export const i18nConfig = {
  supportedLngs: [...supportedLngs],
  fallbackLng,
  defaultNS: "common",
  ns: Object.keys(resources["en"]),
  resources,
  interpolation: { escapeValue: false }, // React escapes
  react: { useSuspense: false },
} as const;
