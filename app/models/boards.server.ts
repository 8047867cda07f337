import type { Database } from "~db/index";
import { publicThread } from "~/policy/visibility.server";

/** Every board with its counters and latest thread (one query: the home page). */
export async function listBoards(db: Database) {
  return db
    .selectFrom("boards as b")
    // A hidden or deleted latest thread is not shown (its title may be what was hidden).
    .leftJoin("threads as t", (j) => j.onRef("t.id", "=", "b.last_thread_id").on(publicThread("t")))
    .leftJoin("users as u", "u.id", "t.last_post_user_id")
    .select([
      "b.id",
      "b.slug",
      "b.name_zh",
      "b.name_en",
      "b.description_zh",
      "b.description_en",
      "b.staff_only",
      "b.needs_verification",
      "b.thread_count",
      "b.post_count",
      "b.last_post_at",
      "t.id as last_thread_id",
      "t.slug as last_thread_slug",
      "t.title as last_thread_title",
      "u.username as last_poster",
    ])
    .orderBy("b.position")
    .orderBy("b.id")
    .execute();
}

export async function getBoardBySlug(db: Database, slug: string) {
  return db.selectFrom("boards").selectAll().where("slug", "=", slug).executeTakeFirst();
}

/** Boards for a picker (ask page). */
export async function listBoardChoices(db: Database) {
  return db
    .selectFrom("boards")
    .select(["id", "slug", "name_zh", "name_en", "staff_only"])
    .orderBy("position")
    .orderBy("id")
    .execute();
}
