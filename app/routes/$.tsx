import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound } from "~/web/http.server";

/**
 * Any path no other route matches: a plain 404 of Quorum's own. Without it Remix answers with its
 * "No route matches URL …" error, which repeats the requested path into the page; through a route,
 * the root loader's URL check (refuseSecretUrl) runs for such paths too.
 */
export function loader(_args: LoaderFunctionArgs): never {
  notFound();
}

export default function NotFound() {
  return null;
}
