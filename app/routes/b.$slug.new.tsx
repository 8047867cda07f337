import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/db.server";
import { getBoardBySlug } from "~/models/boards.server";
import { notFound } from "~/web/http.server";

/**
 * /b/<slug>/new opens the ask page with that board chosen. Only an existing board's slug is passed
 * on: whatever else was typed into the path is not repeated into the next URL.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const board = await getBoardBySlug(await getDb(), params.slug ?? "");
  if (!board) notFound();
  return redirect(`/ask?board=${encodeURIComponent(board.slug)}`);
}
