import { useRouteLoaderData } from "@remix-run/react";
import { formatDate, formatRelative } from "~/i18n/format";
import type { RootData } from "~/root";

/** A <time> showing "3 hours ago", with the exact date in its title. */
export function RelativeTime({ date }: { date: Date | string }) {
  const root = useRouteLoaderData("root") as RootData | undefined;
  const locale = root?.locale ?? "zh-CN";
  const now = root?.now ?? Date.now();
  const iso = new Date(date).toISOString();
  return (
    <time dateTime={iso} title={formatDate(date, locale)}>
      {formatRelative(date, now, locale)}
    </time>
  );
}

export function useLocale(): string {
  const root = useRouteLoaderData("root") as RootData | undefined;
  return root?.locale ?? "zh-CN";
}
