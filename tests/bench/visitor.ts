/**
 * What `npm run bench` (run.ts) and render-loop.ts load: the 100-answer thread page, anonymously and
 * as a logged-in member.
 */
import { randomBytes } from "node:crypto";
import type pg from "pg";

/** The database the bench tools read when DATABASE_URL is unset (bench:seed fills it; it never defaults). */
export const benchDatabaseUrl = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/quorum_bench";

/** The thread with the fewest answers at or above 100 (the newest of those): the "100-answer thread". */
export async function benchThread(client: pg.Client): Promise<{ id: number; slug: string; reply_count: number }> {
  const { rows } = await client.query<{ id: string; slug: string; reply_count: number }>(
    "select id, slug, reply_count from threads where reply_count >= 100 order by reply_count, id desc limit 1",
  );
  if (!rows[0]) throw new Error("no thread with 100+ answers: re-seed with more posts");
  return { ...rows[0], id: Number(rows[0].id) };
}

/**
 * A logged-in visitor: a session row like the one lucia creates at login (ids are opaque strings), for
 * the first member; `end()` deletes it.
 */
export async function benchSession(client: pg.Client, userAgent: string): Promise<{ cookie: string; end: () => Promise<void> }> {
  const { rows } = await client.query<{ id: string }>("select id from users where role = 'user' order by id limit 1");
  const sessionId = randomBytes(20).toString("hex");
  await client.query("insert into user_sessions (id, user_id, expires_at, ip, user_agent) values (encode(sha256(convert_to($1, 'UTF8')), 'hex'), $2, now() + interval '30 days', '127.0.0.1', $3)", [
    sessionId,
    rows[0].id,
    userAgent,
  ]);
  return {
    cookie: `quorum_session=${sessionId}`,
    end: async () => {
      await client.query("delete from user_sessions where id = encode(sha256(convert_to($1, 'UTF8')), 'hex')", [sessionId]);
    },
  };
}
