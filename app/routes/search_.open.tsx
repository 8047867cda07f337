import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { getUser } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { notFound } from "~/web/http.server";
import { recordSuggestionEvents, suggestionTargetUrl, visitorKeyForUser, type SearchType } from "~/models/search.server";

/**
 * GET /search/open?type=thread&id=N — a suggestion opened from the ask page: recorded for the
 * deflection statistics (logged-in visitors), then a redirect to the entry. Works without JavaScript.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const type = params.get("type");
  const id = Number(params.get("id"));
  if ((type !== "thread" && type !== "faq") || !Number.isSafeInteger(id) || id <= 0) notFound();
  const db = await getDb();
  const target = { type: type as SearchType, id };
  const url = await suggestionTargetUrl(db, target);
  if (!url) notFound();
  const user = await getUser(request);
  if (user) await recordSuggestionEvents(db, visitorKeyForUser(user.id), "opened", [target]);
  return redirect(url);
}
