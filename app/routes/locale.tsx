import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { getUser } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { isLng } from "~/i18n/config";
import { localeCookie } from "~/i18n/i18next.server";
import { badRequest, readForm, safeRedirectPath } from "~/web/http.server";
import { setLocale } from "~/models/users.server";
import { parseFormData } from "~/web/forms.server";
import { z } from "zod";

const localeForm = z.object({ locale: z.string(), redirectTo: z.string().optional() });

/** The language switcher: remembered in a cookie, and on the account when logged in. */
export async function action({ request }: ActionFunctionArgs) {
  const parsed = parseFormData(await readForm(request), localeForm);
  const locale = parsed.ok ? parsed.data.locale : null;
  if (!parsed.ok || !isLng(locale)) return badRequest({ message: "badRequest" });
  const user = await getUser(request);
  if (user) await setLocale(await getDb(), user.id, locale);
  return redirect(safeRedirectPath(parsed.data.redirectTo), {
    headers: { "Set-Cookie": await localeCookie.serialize(locale) },
  });
}

export function loader() {
  return redirect("/");
}
