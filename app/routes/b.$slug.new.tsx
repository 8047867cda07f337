import { redirect, type LoaderFunctionArgs } from "@remix-run/node";

/** /b/<slug>/new opens the ask page with that board chosen. */
export function loader({ params }: LoaderFunctionArgs) {
  return redirect(`/ask?board=${encodeURIComponent(params.slug ?? "")}`);
}
