import { createCookie } from "@remix-run/node";
import { RemixI18Next } from "remix-i18next/server";
import { fallbackLng, i18nConfig, isLng, LOCALE_COOKIE, supportedLngs, type Lng } from "./config";
import { config } from "~/web/config.server";

/** The visitor's language choice, remembered for a year (set by the switcher in the header). */
export const localeCookie = createCookie(LOCALE_COOKIE, {
  path: "/",
  sameSite: "lax",
  httpOnly: true,
  maxAge: 60 * 60 * 24 * 365,
  secure: config().secureCookies,
});

export const i18nServer = new RemixI18Next({
  detection: {
    supportedLanguages: [...supportedLngs],
    fallbackLanguage: fallbackLng,
    cookie: localeCookie,
    // Order: the remembered choice (cookie), then Accept-Language.
    order: ["cookie", "header"],
  },
  i18next: { ...i18nConfig },
});

/** The request's language: the cookie, else the logged-in user's saved locale, else Accept-Language. */
export async function getLocale(request: Request, userLocale?: string | null): Promise<Lng> {
  const fromCookie = await localeCookie.parse(request.headers.get("Cookie"));
  if (isLng(fromCookie)) return fromCookie;
  if (isLng(userLocale)) return userLocale;
  const detected = await i18nServer.getLocale(request);
  if (isLng(detected)) return detected;
  // Accept-Language "zh", "zh-TW", "zh-Hans" → Simplified Chinese; anything else → English.
  return /^zh/i.test(detected) ? "zh-CN" : detected.startsWith("en") ? "en" : fallbackLng;
}

export async function getFixedT(request: Request, userLocale?: string | null) {
  const locale = await getLocale(request, userLocale);
  return i18nServer.getFixedT(locale);
}
