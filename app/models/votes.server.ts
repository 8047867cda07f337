import { sql } from "kysely";
import { inTransaction, type Database } from "~db/index";
import { REP, voteWorth } from "~/domain/reputation";
import { DomainError } from "./errors";
import { audit } from "./audit.server";
import { publicPost, publicThread } from "~/policy/visibility.server";

type Trx = Database; // a Transaction<DB> is a Kysely<DB>: these helpers run inside the caller's
export type VoteValue = -1 | 0 | 1;

/**
 * Adds reputation changes (user id → delta) to the users' unclamped sums and recomputes the shown
 * figure, max(1, 1 + raw), in the same statement. Rows are touched in id order so that two
 * transactions moving the same users never deadlock.
 */
async function addReputation(trx: Trx, deltas: Map<number, number>) {
  const ids = [...deltas.keys()].filter((id) => deltas.get(id)).sort((a, b) => a - b);
  for (const id of ids) {
    const d = deltas.get(id)!;
    await trx
      .updateTable("users")
      .set({
        reputation_raw: sql`reputation_raw + ${d}`,
        reputation: sql`greatest(1, 1 + reputation_raw + ${d})`,
      })
      .where("id", "=", id)
      .execute();
  }
}

function add(map: Map<number, number>, userId: number | null | undefined, delta: number) {
  if (userId === null || userId === undefined || delta === 0) return;
  map.set(userId, (map.get(userId) ?? 0) + delta);
}

/**
 * Sets a user's vote on a post: 1 (up), -1 (down) or 0 (none). Setting, not toggling, so that a
 * double click or 50 identical requests in parallel leave exactly the one vote the user meant; the
 * page makes "vote again the same way" send 0. The post row is locked for the transaction, so votes
 * on one post are applied one at a time; the primary key (user_id, post_id) backs it up. The post's
 * score, its thread's score (for the question) and the author's reputation move in the same
 * transaction.
 */
export async function castVote(
  db: Database,
  input: { userId: number; postId: number; value: VoteValue },
): Promise<{ postId: number; score: number; myVote: VoteValue; threadId: number }> {
  if (![1, 0, -1].includes(input.value)) throw new DomainError("badVote", 400);
  return inTransaction(db, async (trx) => {
    // Hidden or deleted content (or content of a hidden or deleted thread) takes no votes: its
    // votes count for nothing while it is not public (see recountReputation).
    const post = await trx
      .selectFrom("posts as p")
      .select(["p.id", "p.author_id", "p.thread_id", "p.post_number", "p.score"])
      .where("p.id", "=", input.postId)
      .where(publicPost("p"))
      .where((eb) => eb.exists(eb.selectFrom("threads as t").select("t.id").whereRef("t.id", "=", "p.thread_id").where(publicThread("t"))))
      .forUpdate("p")
      .executeTakeFirst();
    if (!post) throw new DomainError("notFound", 404);
    if (post.author_id === input.userId) throw new DomainError("ownPost", 403);
    const existing = await trx
      .selectFrom("votes")
      .select("value")
      .where("user_id", "=", input.userId)
      .where("post_id", "=", post.id)
      .executeTakeFirst();
    const old = (existing?.value ?? 0) as VoteValue;
    if (old === input.value) return { postId: post.id, score: post.score, myVote: old, threadId: post.thread_id };
    if (input.value === 0) {
      await trx.deleteFrom("votes").where("user_id", "=", input.userId).where("post_id", "=", post.id).execute();
    } else if (existing) {
      await trx
        .updateTable("votes")
        .set({ value: input.value, created_at: new Date() })
        .where("user_id", "=", input.userId)
        .where("post_id", "=", post.id)
        .execute();
    } else {
      await trx.insertInto("votes").values({ user_id: input.userId, post_id: post.id, value: input.value }).execute();
    }
    const delta = input.value - old;
    const updated = await trx
      .updateTable("posts")
      .set({ score: sql`score + ${delta}` })
      .where("id", "=", post.id)
      .returning("score")
      .executeTakeFirstOrThrow();
    if (post.post_number === 1) {
      // The thread's score is its question's score (the board's "top" sort).
      await trx.updateTable("threads").set({ score: updated.score }).where("id", "=", post.thread_id).execute();
    }
    const isQuestion = post.post_number === 1;
    const rep = new Map<number, number>();
    add(rep, post.author_id, voteWorth(input.value, isQuestion) - voteWorth(old, isQuestion));
    await addReputation(trx, rep);
    return { postId: post.id, score: updated.score, myVote: input.value, threadId: post.thread_id };
  });
}

/** The acceptance state of a thread, as reputation sees it. */
type AcceptState = {
  askerId: number;
  acceptedAuthor: number | null;
  acceptedBy: number | null;
  verifiedAuthor: number | null;
};

/**
 * What a thread's acceptance state is worth, per user (mirrored by the recount's SQL):
 * +15 to the accepted answer's author (not for accepting one's own answer), +2 to the asker when the
 * asker accepted someone else's answer, +15 to the staff-verified answer's author.
 */
export function acceptanceWorth(s: AcceptState): Map<number, number> {
  const m = new Map<number, number>();
  if (s.acceptedAuthor !== null && s.acceptedAuthor !== s.askerId) {
    add(m, s.acceptedAuthor, REP.accepted);
    if (s.acceptedBy === s.askerId) add(m, s.askerId, REP.acceptor);
  }
  if (s.verifiedAuthor !== null) add(m, s.verifiedAuthor, REP.verified);
  return m;
}

function diff(before: Map<number, number>, after: Map<number, number>): Map<number, number> {
  const m = new Map<number, number>();
  for (const [u, d] of after) add(m, u, d);
  for (const [u, d] of before) add(m, u, -d);
  return m;
}

async function lockThread(trx: Trx, threadId: number) {
  const thread = await trx
    .selectFrom("threads as t")
    .innerJoin("boards as b", "b.id", "t.board_id")
    .select(["t.id", "t.author_id", "t.accepted_post_id", "t.accepted_by", "t.verified_post_id", "t.verified_by", "b.needs_verification"])
    .where("t.id", "=", threadId)
    .where(publicThread("t"))
    .forUpdate("t")
    .executeTakeFirst();
  if (!thread) throw new DomainError("notFound", 404);
  return thread;
}

async function authorsOf(trx: Trx, threadId: number, ids: (number | null)[]) {
  const wanted = ids.filter((x): x is number => x !== null);
  const rows = wanted.length
    ? await trx
        .selectFrom("posts as p")
        .select(["p.id", "p.author_id", "p.post_number"])
        .where("p.thread_id", "=", threadId)
        .where("p.id", "in", wanted)
        // A hidden or deleted answer is worth nothing (as in the recount) and cannot be chosen.
        .where(publicPost("p"))
        .execute()
    : [];
  return new Map(rows.map((r) => [r.id, r]));
}

/**
 * Accepts an answer (postId) or withdraws the acceptance (postId null). The thread row is locked,
 * so two parallel accepts leave one accepted answer. `actorId` is who does it: the asker, or staff
 * on the asker's behalf — staff cannot override or withdraw an acceptance the asker made
 * (checked here, under the lock, as well as by the policy).
 */
export async function setAccepted(
  db: Database,
  input: { threadId: number; postId: number | null; actorId: number },
): Promise<{ acceptedPostId: number | null }> {
  return inTransaction(db, async (trx) => {
    const t = await lockThread(trx, input.threadId);
    const onBehalf = input.actorId !== t.author_id;
    if (onBehalf && t.accepted_post_id !== null && t.accepted_by === t.author_id) throw new DomainError("askerAccepted", 409);
    const posts = await authorsOf(trx, t.id, [t.accepted_post_id, t.verified_post_id, input.postId]);
    if (input.postId !== null) {
      const p = posts.get(input.postId);
      if (!p || p.post_number === 1) throw new DomainError("notAnAnswer", 400);
    }
    if (input.postId === t.accepted_post_id) return { acceptedPostId: t.accepted_post_id };
    const verifiedAuthor = t.verified_post_id !== null ? (posts.get(t.verified_post_id)?.author_id ?? null) : null;
    const before = acceptanceWorth({
      askerId: t.author_id,
      acceptedAuthor: t.accepted_post_id !== null ? (posts.get(t.accepted_post_id)?.author_id ?? null) : null,
      acceptedBy: t.accepted_by,
      verifiedAuthor,
    });
    const after = acceptanceWorth({
      askerId: t.author_id,
      acceptedAuthor: input.postId !== null ? posts.get(input.postId)!.author_id : null,
      acceptedBy: input.postId !== null ? input.actorId : null,
      verifiedAuthor,
    });
    await trx
      .updateTable("threads")
      .set({
        accepted_post_id: input.postId,
        accepted_at: input.postId !== null ? new Date() : null,
        accepted_by: input.postId !== null ? input.actorId : null,
        updated_at: new Date(),
      })
      .where("id", "=", t.id)
      .execute();
    await addReputation(trx, diff(before, after));
    // Staff acting for the asker is a staff action: it goes into the audit log with the change.
    if (onBehalf) {
      await audit(trx, {
        actorId: input.actorId,
        action: input.postId !== null ? "answer.accept_for_asker" : "answer.withdraw_for_asker",
        targetType: "thread",
        targetId: t.id,
        details: { postId: input.postId, previousPostId: t.accepted_post_id },
      });
    }
    return { acceptedPostId: input.postId };
  });
}

/**
 * Marks an answer "verified by staff" (postId) or removes the mark (null), on boards whose answers
 * need staff verification. The policy checks the actor is staff; the board flag is checked here.
 */
export async function setVerified(
  db: Database,
  input: { threadId: number; postId: number | null; actorId: number },
): Promise<{ verifiedPostId: number | null }> {
  return inTransaction(db, async (trx) => {
    const t = await lockThread(trx, input.threadId);
    if (!t.needs_verification) throw new DomainError("noVerification", 400);
    const posts = await authorsOf(trx, t.id, [t.accepted_post_id, t.verified_post_id, input.postId]);
    if (input.postId !== null) {
      const p = posts.get(input.postId);
      if (!p || p.post_number === 1) throw new DomainError("notAnAnswer", 400);
    }
    if (input.postId === t.verified_post_id) return { verifiedPostId: t.verified_post_id };
    const acceptedAuthor = t.accepted_post_id !== null ? (posts.get(t.accepted_post_id)?.author_id ?? null) : null;
    const state = { askerId: t.author_id, acceptedAuthor, acceptedBy: t.accepted_by };
    const before = acceptanceWorth({ ...state, verifiedAuthor: t.verified_post_id !== null ? (posts.get(t.verified_post_id)?.author_id ?? null) : null });
    const after = acceptanceWorth({ ...state, verifiedAuthor: input.postId !== null ? posts.get(input.postId)!.author_id : null });
    await trx
      .updateTable("threads")
      .set({
        verified_post_id: input.postId,
        verified_at: input.postId !== null ? new Date() : null,
        verified_by: input.postId !== null ? input.actorId : null,
        updated_at: new Date(),
      })
      .where("id", "=", t.id)
      .execute();
    await addReputation(trx, diff(before, after));
    await audit(trx, {
      actorId: input.actorId,
      action: input.postId !== null ? "answer.verify" : "answer.unverify",
      targetType: "thread",
      targetId: t.id,
      details: { postId: input.postId, previousPostId: t.verified_post_id },
    });
    return { verifiedPostId: input.postId };
  });
}

export type ReputationDifference = { id: number; username: string; stored: number; expected: number; storedRaw: number; expectedRaw: number };

/**
 * Recomputes every user's reputation from the votes and acceptances (the same rules as above, in
 * SQL), reports the users whose stored figures differ, and with `fix` writes the recomputed
 * figures — all in one transaction.
 */
export async function recountReputation(db: Database, opts: { fix?: boolean; userIds?: number[] } = {}): Promise<ReputationDifference[]> {
  return inTransaction(db, (trx) => recountReputationIn(trx, opts));
}

/**
 * The recount inside the caller's transaction, for every user or only `userIds` (moderation recounts
 * the authors of a thread whose content it hid, deleted or restored). Only PUBLIC content counts
 * (app/models/visibility.server.ts): votes on a hidden or deleted post, or on any post of a hidden or
 * deleted thread, and a hidden or deleted accepted/verified answer, are worth nothing until restored.
 */
export async function recountReputationIn(trx: Database, opts: { fix?: boolean; userIds?: number[] } = {}): Promise<ReputationDifference[]> {
  const ids = opts.userIds ? [...new Set(opts.userIds)] : null;
  if (ids && ids.length === 0) return [];
  const only = (col: ReturnType<typeof sql.ref>) => (ids ? sql`and ${col} = any(${ids}::bigint[])` : sql``);
  const visible = sql`${publicThread("t")} and ${publicPost("p")}`;
  const rows = await sql<{ id: number; username: string; reputation: number; reputation_raw: number; expected_raw: number }>`
    with deltas as (
      select p.author_id as user_id,
             case when v.value > 0 then (case when p.post_number = 1 then ${REP.questionUpvote}::int else ${REP.answerUpvote}::int end)
                  else ${REP.downvote}::int end as d
        from votes v join posts p on p.id = v.post_id join threads t on t.id = p.thread_id
       where ${visible} ${only(sql.ref("p.author_id"))}
      union all
      select p.author_id, ${REP.accepted}::int
        from threads t join posts p on p.id = t.accepted_post_id
       where p.author_id <> t.author_id and ${visible} ${only(sql.ref("p.author_id"))}
      union all
      select t.author_id, ${REP.acceptor}::int
        from threads t join posts p on p.id = t.accepted_post_id
       where p.author_id <> t.author_id and t.accepted_by = t.author_id and ${visible} ${only(sql.ref("t.author_id"))}
      union all
      select p.author_id, ${REP.verified}::int
        from threads t join posts p on p.id = t.verified_post_id
       where ${visible} ${only(sql.ref("p.author_id"))}
    )
    select u.id, u.username, u.reputation, u.reputation_raw, coalesce(sum(d.d), 0)::int as expected_raw
      from users u left join deltas d on d.user_id = u.id
     where true ${only(sql.ref("u.id"))}
     group by u.id
     order by u.id`.execute(trx);
  const diffs: ReputationDifference[] = [];
  for (const r of rows.rows) {
    const expected = Math.max(1, 1 + Number(r.expected_raw));
    if (Number(r.expected_raw) !== r.reputation_raw || expected !== r.reputation) {
      diffs.push({ id: r.id, username: r.username, stored: r.reputation, expected, storedRaw: r.reputation_raw, expectedRaw: Number(r.expected_raw) });
    }
  }
  if (opts.fix) {
    for (const d of diffs) {
      await trx.updateTable("users").set({ reputation_raw: d.expectedRaw, reputation: d.expected }).where("id", "=", d.id).execute();
    }
  }
  return diffs;
}
