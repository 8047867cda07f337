/**
 * Dates and numbers per language. Relative times are computed against `now` from the root loader,
 * so the server's HTML and the browser's hydration agree to the letter.
 */
export function intlLocale(locale: string): string {
  return locale === "en" ? "en" : "zh-CN";
}

/**
 * Intl formatters are expensive to construct (a thread page formats ~60 dates: constructing them per
 * call was a fifth of the page's CPU time in the benchmark's profile), so there is one per locale
 * and kind, made on first use.
 */
function memo<F>(make: (locale: string) => F): (locale: string) => F {
  const cache = new Map<string, F>();
  return (locale) => {
    const key = intlLocale(locale);
    let f = cache.get(key);
    if (!f) cache.set(key, (f = make(key)));
    return f;
  };
}

const numberFormat = memo((l) => new Intl.NumberFormat(l));
const dateFormat = memo(
  (l) =>
    new Intl.DateTimeFormat(l, {
      year: "numeric",
      month: "short",
      day: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      timeZone: "UTC",
      timeZoneName: "short",
    }),
);
const dayFormat = memo((l) => new Intl.DateTimeFormat(l, { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" }));
const clockFormat = memo(
  (l) => new Intl.DateTimeFormat(l, { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: "UTC", timeZoneName: "short" }),
);
const relativeFormat = memo((l) => new Intl.RelativeTimeFormat(l, { numeric: "auto" }));

export function formatNumber(n: number, locale: string): string {
  return numberFormat(locale).format(n);
}

export function formatDate(date: Date | string, locale: string): string {
  return dateFormat(locale).format(new Date(date));
}

export function formatDay(date: Date | string, locale: string): string {
  return dayFormat(locale).format(new Date(date));
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

export function formatRelative(date: Date | string, now: number, locale: string): string {
  const seconds = Math.round((new Date(date).getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  const rtf = relativeFormat(locale);
  for (const [unit, size] of UNITS) {
    if (abs >= size) return rtf.format(Math.trunc(seconds / size), unit);
  }
  return rtf.format(0, "second");
}

/** "14:05 UTC": a time of day, in UTC like every date the site shows. */
export function formatClock(date: Date | string, locale: string): string {
  return clockFormat(locale).format(new Date(date));
}

/** A wait from now: "in 45 seconds", "in 12 minutes", "in 2 hours" (rounded up). */
export function formatWait(seconds: number, locale: string): string {
  const rtf = relativeFormat(locale);
  if (seconds < 60) return rtf.format(Math.max(1, Math.ceil(seconds)), "second");
  if (seconds < 2 * 3600) return rtf.format(Math.ceil(seconds / 60), "minute");
  return rtf.format(Math.ceil(seconds / 3600), "hour");
}
