import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { endSession } from "~/auth/session.server";
import { readForm } from "~/web/http.server";

/** Logging out is a POST (a link could be triggered by another site); GET just goes home. */
export async function action({ request }: ActionFunctionArgs) {
  await readForm(request);
  return endSession(request, "/");
}

export function loader() {
  return redirect("/");
}
