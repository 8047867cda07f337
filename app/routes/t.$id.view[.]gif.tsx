import type { LoaderFunctionArgs } from "@remix-run/node";
import { clientIp, getUser } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { countView, visitorCookie, visitorIdFrom } from "~/models/views.server";
import { isDatabaseUnavailable } from "~db/errors";
import { parseIdText } from "~/web/schemas";

/**
 * The thread page's view beacon: a 1×1 image (<img src="/t/<id>/view.gif">), so a view is counted
 * with or without JavaScript and even when the page itself came from the anonymous page cache. No
 * database write per view: countView checks the thread is public and the view limits, dedupes per
 * visitor + thread + hour and batches the counts (views.server.ts).
 * ".gif" cannot clash with a thread slug (slugs hold letters, digits and "-" only).
 */
const GIF = Buffer.from("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7", "base64");

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const headers = new Headers({ "Content-Type": "image/gif", "Cache-Control": "no-store, private" });
  const id = params.id && parseIdText(params.id) !== null ? Number(params.id) : 0;
  try {
    if (id > 0 && !/bot|crawl|spider/i.test(request.headers.get("User-Agent") ?? "")) await count(request, id, headers, context?.clientIp ?? clientIp(request));
  } catch (error) {
    // The image is part of a page that may well have been served from the cache: while the
    // database is away the view is not counted, and the page shows no broken image.
    if (!isDatabaseUnavailable(error)) throw error;
  }
  return new Response(GIF, { status: 200, headers });
}

async function count(request: Request, id: number, headers: Headers, ip: string | null) {
  const user = await getUser(request);
  let key: string;
  if (user) key = `u:${user.id}`;
  else {
    let vid = visitorIdFrom(request);
    if (!vid) {
      vid = crypto.randomUUID().replace(/-/g, "");
      headers.append("Set-Cookie", visitorCookie(vid));
    }
    key = `v:${vid}`;
  }
  await countView(await getDb(), { threadId: id, visitorKey: key, ip });
}
