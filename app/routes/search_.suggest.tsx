import type { LoaderFunctionArgs } from "@remix-run/node";
import { getUser } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { MAX_QUERY_LENGTH } from "~/content/tokenize";
import { queryRefusal, recordSuggestionEvents, suggestSimilar, toSuggestionView, visitorKeyForUser } from "~/models/search.server";

/**
 * GET /search/suggest?q=…[&from=ask] → JSON { refused: null, suggestions: [...] }: up to 5 FAQ entries and
 * solved threads like the title being typed. With from=ask and a logged-in asker, the suggestions
 * shown are recorded for the deflection statistics. A title holding a recovery phrase or key is not
 * searched: { refused: "secret", suggestions: [] }. The query itself is never sent back (a title
 * being typed may hold the first words of a phrase before the whole of it is recognised).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const headers = { "Cache-Control": "private, no-store" };
  const refused = queryRefusal(params.get("q"));
  if (refused) return Response.json({ refused, suggestions: [] }, { headers });
  const q = (params.get("q") ?? "").slice(0, MAX_QUERY_LENGTH);
  const db = await getDb();
  const hits = await suggestSimilar(db, q);
  if (params.get("from") === "ask" && hits.length > 0) {
    const user = await getUser(request);
    if (user) await recordSuggestionEvents(db, visitorKeyForUser(user.id), "shown", hits);
  }
  return Response.json({ refused: null, suggestions: hits.map(toSuggestionView) }, { headers });
}
