/**
 * The staff audit log (issue 4): every staff action writes one row with `audit(trx, …)` INSIDE the
 * transaction of the change it records, so a change and its audit row commit or roll back together.
 * Admins browse it at /staff/audit.
 */
import type { Database } from "~db/index";

export type AuditInput = {
  /** null: the system acted (e.g. an automatic hide), not a person. */
  actorId: number | null;
  action: string;
  targetType: string;
  targetId: number | null;
  details?: Record<string, unknown>;
};

export async function audit(trx: Database, input: AuditInput): Promise<void> {
  await trx
    .insertInto("audit_log")
    .values({
      actor_id: input.actorId,
      action: input.action,
      target_type: input.targetType,
      target_id: input.targetId,
      details: JSON.stringify(input.details ?? {}),
    })
    .execute();
}

export const AUDIT_PAGE_SIZE = 50;

export async function listAudit(db: Database, opts: { action?: string | null; page?: number }) {
  const page = Math.max(1, Math.min(opts.page ?? 1, 1000));
  let qb = db
    .selectFrom("audit_log as a")
    .leftJoin("users as u", "u.id", "a.actor_id")
    .select(["a.id", "a.action", "a.target_type", "a.target_id", "a.details", "a.created_at", "u.username"])
    .orderBy("a.created_at", "desc")
    .orderBy("a.id", "desc")
    .limit(AUDIT_PAGE_SIZE + 1)
    .offset((page - 1) * AUDIT_PAGE_SIZE);
  if (opts.action) qb = qb.where("a.action", "=", opts.action);
  const rows = await qb.execute();
  const actions = await db.selectFrom("audit_log").select("action").distinct().orderBy("action").execute();
  return {
    rows: rows.slice(0, AUDIT_PAGE_SIZE).map((r) => ({ ...r, details: typeof r.details === "string" ? r.details : JSON.stringify(r.details) })),
    hasMore: rows.length > AUDIT_PAGE_SIZE,
    page,
    actions: actions.map((a) => a.action),
  };
}
