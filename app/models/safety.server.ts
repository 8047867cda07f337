import type { Kysely } from "kysely";
import type { Database } from "~db/index";
import { scanForSecrets } from "~/safety/secrets";
import { renderMarkdown } from "~/content/markdown.server";
import { slugify } from "~/content/slug";
import { holdsSecret } from "~/safety/queries";
import { hasWalletAddress } from "./threads.server";
import { refreshVisibility } from "./moderation.server";
import { redactRevision } from "./posts.server";
import { indexEntry } from "./faq.server";
import { SECRET_REASON } from "~/policy/visibility.server";

/** The hidden_reason the scanner writes; moderation uses its own reasons in the same columns. */
export { SECRET_REASON };

/**
 * The other stored texts the scan covers, besides posts and thread titles (which it hides): kept
 * versions are redacted, everything else has the secret masked in place (the guard's masking).
 */
export const SCANNED_KINDS = ["revisions", "faqRevisions", "slugs", "faqEntries", "reportNotes", "reasons", "auditLog", "feedback"] as const;
export type ScannedKind = (typeof SCANNED_KINDS)[number];

export type SecretScanReport = {
  postsScanned: number;
  postsHidden: number;
  threadsScanned: number;
  threadsHidden: number;
  /** posts.has_address corrected (content from before the column existed, or imported). */
  addressFlagsFixed: number;
  /** Per kind: rows looked at, rows whose secret was redacted or masked. */
  kinds: Record<ScannedKind, { scanned: number; fixed: number }>;
};

const blocks = (text: string | null | undefined): boolean => !!text && scanForSecrets(text).verdict === "block";
const masked = (text: string): string => {
  const r = scanForSecrets(text);
  return r.verdict === "block" ? r.masked : text;
};

/** Every string inside a JSON value masked (audit details stay valid JSON). */
function maskJson(value: unknown): unknown {
  if (typeof value === "string") return masked(value);
  if (Array.isArray(value)) return value.map(maskJson);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskJson(v)]));
  return value;
}

type Row = Record<string, unknown> & { id: number };

/**
 * Keyset-batched walk over one table: `fix` gets each row with a blocked text and returns the columns
 * to write (or null); one short update per hit, so it runs on a live forum.
 */
async function walk(
  db: Database,
  table: string,
  columns: string[],
  batch: number,
  tally: { scanned: number; fixed: number },
  fix: (row: Row) => Promise<Record<string, unknown> | null> | Record<string, unknown> | null,
): Promise<void> {
  const anyDb = db as unknown as Kysely<any>;
  for (let after = 0; ; ) {
    const rows = (await anyDb.selectFrom(table).select(["id", ...columns]).where("id", ">", after).orderBy("id").limit(batch).execute()) as Row[];
    if (rows.length === 0) break;
    after = Number(rows[rows.length - 1].id);
    for (const row of rows) {
      tally.scanned++;
      const set = await fix(row);
      if (!set || Object.keys(set).length === 0) continue;
      await anyDb.updateTable(table).set(set).where("id", "=", row.id).execute();
      tally.fixed++;
    }
  }
}

/** The columns of `row` (among `columns`) that hold a blocked secret, masked. */
function maskColumns(row: Row, columns: string[]): Record<string, string> | null {
  const out: Record<string, string> = {};
  for (const c of columns) {
    const v = row[c];
    if (typeof v === "string" && blocks(v)) out[c] = masked(v);
  }
  return Object.keys(out).length > 0 ? out : null;
}

/**
 * `npm run quorum -- secrets:scan`: finds stored content that the guard would block today (content from
 * before the guard, or imported) and hides it — posts by hidden_at/hidden_reason, threads whose title
 * holds a secret likewise (their slug, made from the title, is reset too). Idempotent: hidden rows are
 * skipped, so a second run hides nothing. Batched by id (keyset), one short transaction-free update
 * per hit, so it can run on a live forum. It reports counts only; it never prints what it found.
 */
export async function scanStoredSecrets(db: Database, opts: { batchSize?: number } = {}): Promise<SecretScanReport> {
  const batch = opts.batchSize ?? 500;
  const report: SecretScanReport = {
    postsScanned: 0,
    postsHidden: 0,
    threadsScanned: 0,
    threadsHidden: 0,
    addressFlagsFixed: 0,
    kinds: Object.fromEntries(SCANNED_KINDS.map((k) => [k, { scanned: 0, fixed: 0 }])) as SecretScanReport["kinds"],
  };
  // Threads whose public content changed: their counters, index and authors' reputation are
  // recomputed at the end (hidden content counts for nothing, app/models/visibility.server.ts).
  const touched = new Set<number>();
  const faqTouched: number[] = [];

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
      if (blocks(r.body_md)) hide.push(r.id);
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
    report.threadsScanned += rows.length;
    for (const r of rows) {
      if (!blocks(r.title)) continue;
      // Hidden as before, and the title itself masked, so no copy of the secret stays in the row.
      const res = await db
        .updateTable("threads")
        .set({ hidden_at: new Date(), hidden_reason: SECRET_REASON, slug: "hidden", title: masked(r.title) })
        .where("id", "=", r.id)
        .where("hidden_at", "is", null)
        .returning("id")
        .executeTakeFirst();
      if (res) {
        report.threadsHidden++;
        touched.add(res.id);
      }
    }
  }
  // A title hidden earlier (before titles were masked) loses its copy of the secret too; a slug holding
  // a secret (a title edited since, an import) is made again from the safe title; reasons are masked.
  const none = { scanned: 0, fixed: 0 };
  await walk(db, "threads", ["title", "slug", "hidden_reason", "deleted_reason"], batch, none, (r) => {
    report.kinds.slugs.scanned++;
    report.kinds.reasons.scanned++;
    const set: Record<string, unknown> = {};
    const title = String(r.title);
    if (blocks(title)) {
      set.title = masked(title);
      touched.add(r.id);
    }
    // Slugs as URLs are guarded (separators read as spaces, a near-miss counts too).
    if (holdsSecret(String(r.slug))) {
      set.slug = set.title ? "hidden" : slugify(title) || "hidden";
      report.kinds.slugs.fixed++;
    }
    const reasons = maskColumns(r, ["hidden_reason", "deleted_reason"]);
    if (reasons) report.kinds.reasons.fixed++;
    return { ...set, ...reasons };
  });

  // Kept versions of posts: redacted (text purged, the row kept as "redacted"), as a person would.
  await walk(db, "post_revisions", ["post_id", "revision", "title", "body_md"], batch, report.kinds.revisions, async (r) => {
    if (!blocks(r.body_md as string | null) && !blocks(r.title as string | null)) return null;
    const done = await redactRevision(db, { postId: Number(r.post_id), revision: Number(r.revision), actor: null, reason: SECRET_REASON });
    if (done.redacted) report.kinds.revisions.fixed++;
    return null;
  });
  await walk(db, "faq_revisions", ["question", "answer_md"], batch, report.kinds.faqRevisions, (r) => maskColumns(r, ["question", "answer_md"]));
  await walk(db, "faq_entries", ["slug", "question", "answer_md"], batch, none, (r) => {
    report.kinds.faqEntries.scanned++;
    report.kinds.slugs.scanned++;
    const set: Record<string, unknown> = maskColumns(r, ["question", "answer_md"]) ?? {};
    if (Object.keys(set).length > 0) report.kinds.faqEntries.fixed++;
    if (typeof set.answer_md === "string") set.answer_html = renderMarkdown(set.answer_md);
    if (holdsSecret(String(r.slug))) {
      set.slug = `faq-${r.id}`;
      report.kinds.slugs.fixed++;
    }
    if (set.question || set.answer_md) faqTouched.push(r.id);
    return set;
  });
  // The search vectors are rebuilt from the masked text.
  for (const id of faqTouched) await indexEntry(db, id);
  await walk(db, "reports", ["note"], batch, report.kinds.reportNotes, (r) => maskColumns(r, ["note"]));
  await walk(db, "posts", ["hidden_reason", "deleted_reason"], batch, report.kinds.reasons, (r) => maskColumns(r, ["hidden_reason", "deleted_reason"]));
  await walk(db, "users", ["suspended_reason"], batch, report.kinds.reasons, (r) => maskColumns(r, ["suspended_reason"]));
  await walk(db, "audit_log", ["details"], batch, report.kinds.auditLog, (r) => {
    const text = typeof r.details === "string" ? r.details : JSON.stringify(r.details);
    if (!blocks(text)) return null;
    const value = typeof r.details === "string" ? JSON.parse(r.details) : r.details;
    const out = JSON.stringify(maskJson(value));
    // A secret spread over several fields: none of them alone blocks, so the whole text is masked.
    return { details: blocks(out) ? JSON.stringify({ masked: masked(text) }) : out };
  });
  await walk(db, "faq_feedback", ["comment"], batch, report.kinds.feedback, (r) => maskColumns(r, ["comment"]));

  const ids = [...touched];
  for (let i = 0; i < ids.length; i += batch) await refreshVisibility(db, ids.slice(i, i + batch));
  return report;
}
