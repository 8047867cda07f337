import type { Database } from "~db/index";
import { scanForSecrets } from "~/safety/secrets";
import { hasWalletAddress } from "./threads.server";
import { refreshVisibility } from "./moderation.server";
import { SECRET_REASON } from "~/policy/visibility.server";

/** The hidden_reason the scanner writes; moderation uses its own reasons in the same columns. */
export { SECRET_REASON };

export type SecretScanReport = {
  postsScanned: number;
  postsHidden: number;
  /** Posts with an unverified phrase-like run (warn): left visible, counted for the operator to review. */
  postsWarned: number;
  threadsScanned: number;
  threadsHidden: number;
  /** posts.has_address corrected (content from before the column existed, or imported). */
  addressFlagsFixed: number;
};

/**
 * `npm run quorum -- secrets:scan`: finds stored content that the guard would block today (content from
 * before the guard, or imported) and hides it — posts by hidden_at/hidden_reason, threads whose title
 * holds a secret likewise (their slug, made from the title, is reset too). Idempotent: hidden rows are
 * skipped, so a second run hides nothing. Batched by id (keyset), one short transaction-free update
 * per hit, so it can run on a live forum. It reports counts only; it never prints what it found.
 */
export async function scanStoredSecrets(db: Database, opts: { batchSize?: number } = {}): Promise<SecretScanReport> {
  const batch = opts.batchSize ?? 500;
  const report: SecretScanReport = { postsScanned: 0, postsHidden: 0, postsWarned: 0, threadsScanned: 0, threadsHidden: 0, addressFlagsFixed: 0 };
  // Threads whose public content changed: their counters, index and authors' reputation are
  // recomputed at the end (hidden content counts for nothing, app/models/visibility.server.ts).
  const touched = new Set<number>();

  for (let after = 0; ; ) {
    const rows = await db
      .selectFrom("posts")
      .select(["id", "body_md", "has_address"])
      .where("id", ">", after)
      .where("hidden_at", "is", null)
      .orderBy("id")
      .limit(batch)
      .execute();
    if (rows.length === 0) break;
    after = rows[rows.length - 1].id;
    const hide: number[] = [];
    const flagOn: number[] = [];
    const flagOff: number[] = [];
    for (const r of rows) {
      report.postsScanned++;
      const verdict = scanForSecrets(r.body_md).verdict;
      if (verdict === "block") hide.push(r.id);
      else if (verdict === "warn") report.postsWarned++;
      const has = hasWalletAddress(r.body_md);
      if (has !== r.has_address) (has ? flagOn : flagOff).push(r.id);
    }
    if (hide.length > 0) {
      const res = await db
        .updateTable("posts")
        .set({ hidden_at: new Date(), hidden_reason: SECRET_REASON })
        .where("id", "in", hide)
        .where("hidden_at", "is", null)
        .returning("thread_id")
        .execute();
      report.postsHidden += res.length;
      for (const r of res) touched.add(r.thread_id);
    }
    for (const [ids, value] of [
      [flagOn, true],
      [flagOff, false],
    ] as const) {
      if (ids.length === 0) continue;
      const res = await db.updateTable("posts").set({ has_address: value }).where("id", "in", ids).executeTakeFirst();
      report.addressFlagsFixed += Number(res.numUpdatedRows);
    }
  }

  for (let after = 0; ; ) {
    const rows = await db
      .selectFrom("threads")
      .select(["id", "title"])
      .where("id", ">", after)
      .where("hidden_at", "is", null)
      .orderBy("id")
      .limit(batch)
      .execute();
    if (rows.length === 0) break;
    after = rows[rows.length - 1].id;
    const hide = rows.filter((r) => scanForSecrets(r.title).verdict === "block").map((r) => r.id);
    report.threadsScanned += rows.length;
    if (hide.length > 0) {
      const res = await db
        .updateTable("threads")
        .set({ hidden_at: new Date(), hidden_reason: SECRET_REASON, slug: "hidden" })
        .where("id", "in", hide)
        .where("hidden_at", "is", null)
        .returning("id")
        .execute();
      report.threadsHidden += res.length;
      for (const r of res) touched.add(r.id);
    }
  }
  const ids = [...touched];
  for (let i = 0; i < ids.length; i += batch) await refreshVisibility(db, ids.slice(i, i + batch));
  return report;
}
