import { and, count, desc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db';
import { auditEvents, clients } from '../db/schema';
import { containsPattern, pageNumber, searchText } from '../db/search';

export const AUDIT_PAGE_SIZE = 50;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type AuditRow = {
  id: number;
  createdAt: Date;
  actor: string;
  actorType: string;
  action: string;
  targetType: string;
  targetId: string | null;
  /** The client's current name, or the name recorded in the event (a removed client). */
  targetName: string | null;
  /** False for a client that has been removed since. */
  targetExists: boolean;
  details: Record<string, unknown>;
};

export type AuditPage = { rows: AuditRow[]; total: number; page: number; pageCount: number; pageSize: number };

/**
 * The tenant's audit events, newest first, paginated on the server. `client` filters to one client's events: a
 * Client Id, or text matched against client names (current names, and the names recorded in the events, so a
 * removed client's history can still be found).
 */
export async function listAuditEvents(
  db: Db,
  tenantId: string,
  opts: { client?: string; page?: number; pageSize?: number } = {},
): Promise<AuditPage> {
  const pageSize = Math.min(Math.max(opts.pageSize ?? AUDIT_PAGE_SIZE, 1), 200);
  const conditions: SQL[] = [eq(auditEvents.tenantId, tenantId)];
  const filter = searchText(opts.client);
  if (filter) {
    if (GUID.test(filter)) {
      conditions.push(eq(auditEvents.targetId, filter.toLowerCase()));
    } else {
      const pattern = containsPattern(filter.toLowerCase());
      const named = await db
        .select({ id: clients.id })
        .from(clients)
        .where(and(eq(clients.tenantId, tenantId), sql`lower(${clients.name}) like ${pattern}`))
        .limit(500);
      const byRecordedName = and(eq(auditEvents.targetType, 'client'), sql`lower(${auditEvents.details}->>'name') like ${pattern}`)!;
      conditions.push(
        named.length
          ? or(
              inArray(
                auditEvents.targetId,
                named.map((c) => c.id),
              ),
              byRecordedName,
            )!
          : byRecordedName,
      );
    }
  }
  const where = and(...conditions);
  const pageOf = (p: number) =>
    db
      .select()
      .from(auditEvents)
      .where(where)
      .orderBy(desc(auditEvents.createdAt), desc(auditEvents.id))
      .limit(pageSize)
      .offset((p - 1) * pageSize);
  // The total and the page asked for at once (one round trip, not two); a page past the end is asked again as the last.
  const asked = pageNumber(opts.page);
  const [[{ total }], askedRows] = await Promise.all([db.select({ total: count() }).from(auditEvents).where(where), pageOf(asked)]);
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(asked, pageCount);
  const rows = page === asked ? askedRows : await pageOf(page);

  const clientIds = [...new Set(rows.filter((r) => r.targetType === 'client' && r.targetId && GUID.test(r.targetId)).map((r) => r.targetId!))];
  const names = new Map<string, string>();
  if (clientIds.length) {
    const current = await db
      .select({ id: clients.id, name: clients.name })
      .from(clients)
      .where(and(eq(clients.tenantId, tenantId), inArray(clients.id, clientIds)));
    for (const c of current) names.set(c.id, c.name);
  }
  return {
    total,
    page,
    pageCount,
    pageSize,
    rows: rows.map((r) => ({
      id: r.id,
      createdAt: r.createdAt,
      actor: r.actor,
      actorType: r.actorType,
      action: r.action,
      targetType: r.targetType,
      targetId: r.targetId,
      targetName:
        (r.targetId && names.get(r.targetId)) || (typeof r.details?.name === 'string' ? (r.details.name as string) : null),
      targetExists: Boolean(r.targetId && names.has(r.targetId)),
      details: r.details ?? {},
    })),
  };
}
