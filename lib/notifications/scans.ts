import { sql } from 'drizzle-orm';
import type { Db } from '../db';
import { isUnused, lastActivityAt } from '../usage/activity';
import { EXPIRED_LOOKBACK_DAYS, expiryThreshold } from './events';
import { enqueueEvent } from './outbox';

/**
 * What the scheduler looks for. Each finding becomes an outbox event with a key that names exactly that alert
 * (the credential, the threshold and the expiry it was computed from, so an edited expiration arms it again); the
 * unique key makes a second run, or a second instance, create nothing more. Only tenants with an enabled channel
 * subscribed to the event type are scanned.
 */
const DAY_MS = 86_400_000;

function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}

const subscribed = (type: string, tenantColumn: ReturnType<typeof sql>) => sql`exists (
  select 1 from notification_channels n where n.tenant_id = ${tenantColumn} and n.enabled and ${type} = any(n.event_types))`;

type CredentialRow = {
  id: number;
  description: string;
  hint: string;
  expires_at: string | Date;
  client_id: string;
  client_name: string;
  tenant_id: string;
  tenant_name: string;
};

const iso = (v: string | Date) => new Date(v).toISOString();

/** secret.expiring (30/7/1 days) and secret.expired; the same for keys. */
export async function scanExpiries(db: Db, now: Date): Promise<number> {
  let created = 0;
  const horizon = new Date(now.getTime() + 30 * DAY_MS).toISOString();
  const lookback = new Date(now.getTime() - EXPIRED_LOOKBACK_DAYS * DAY_MS).toISOString();
  for (const kind of ['secret', 'key'] as const) {
    const rows = rowsOf<CredentialRow>(
      await db.execute(
        kind === 'secret'
          ? sql`select s.id, s.description, s.display_hint as hint, s.expires_at, c.id as client_id, c.name as client_name,
                  c.tenant_id, t.name as tenant_name
                from client_secrets s join clients c on c.id = s.client_id join tenants t on t.id = c.tenant_id
                where s.expires_at > ${lookback}::timestamptz and s.expires_at <= ${horizon}::timestamptz and s.revoked_at is null
                  and (${subscribed('secret.expiring', sql`c.tenant_id`)} or ${subscribed('secret.expired', sql`c.tenant_id`)})`
          : sql`select k.id, k.description, coalesce(k.kid, k.jwks_url, '') as hint, k.expires_at, c.id as client_id,
                  c.name as client_name, c.tenant_id, t.name as tenant_name
                from client_keys k join clients c on c.id = k.client_id join tenants t on t.id = c.tenant_id
                where k.expires_at > ${lookback}::timestamptz and k.expires_at <= ${horizon}::timestamptz
                  and (${subscribed('key.expiring', sql`c.tenant_id`)} or ${subscribed('key.expired', sql`c.tenant_id`)})`,
      ),
    );
    for (const r of rows) {
      const expiresAt = new Date(r.expires_at);
      const remaining = expiresAt.getTime() - now.getTime();
      const days = expiryThreshold(remaining);
      const expired = remaining <= 0;
      if (!expired && days === null) continue;
      const data = {
        tenant: { id: r.tenant_id, name: r.tenant_name },
        client: { id: r.client_id, name: r.client_name },
        [kind]: { id: Number(r.id), description: r.description, hint: r.hint, expiresAt: iso(expiresAt) },
        ...(expired ? {} : { daysBefore: days }),
      };
      const eventType = `${kind}.${expired ? 'expired' : 'expiring'}`;
      const dedupeKey = expired ? `${eventType}:${r.id}:${iso(expiresAt)}` : `${eventType}:${r.id}:${days}:${iso(expiresAt)}`;
      if (await enqueueEvent(db, { tenantId: r.tenant_id, eventType, dedupeKey, data, occurredAt: now }, now)) created++;
    }
  }
  return created;
}

/** client.unused: an enabled client-credentials client with no token (nor creation) for the tenant's N days. */
export async function scanUnusedClients(db: Db, now: Date): Promise<number> {
  const c = { id: sql`c.id`, createdAt: sql`c.created_at`, enabled: sql`c.enabled` };
  const rows = rowsOf<{ id: string; name: string; tenant_id: string; tenant_name: string; unused_days: number; last_activity: string | Date }>(
    await db.execute(sql`
      select c.id, c.name, c.tenant_id, t.name as tenant_name, coalesce(ns.unused_days, 90) as unused_days,
        ${lastActivityAt(c.id, c.createdAt)} as last_activity
      from clients c join tenants t on t.id = c.tenant_id
      left join notification_settings ns on ns.tenant_id = c.tenant_id
      where c.client_type = 'client_credentials' and ${isUnused(c, now, sql`coalesce(ns.unused_days, 90)`)}
        and ${subscribed('client.unused', sql`c.tenant_id`)}`),
  );
  let created = 0;
  for (const r of rows) {
    const lastActivityAt = iso(r.last_activity);
    const data = { tenant: { id: r.tenant_id, name: r.tenant_name }, client: { id: r.id, name: r.name }, unusedDays: r.unused_days, lastActivityAt };
    const dedupeKey = `client.unused:${r.id}:${lastActivityAt}`;
    if (await enqueueEvent(db, { tenantId: r.tenant_id, eventType: 'client.unused', dedupeKey, data, occurredAt: now }, now)) created++;
  }
  return created;
}

const AUDIT_BATCH = 200;

/** audit.*: every channel subscribed gets the tenant's audit events after its cursor, in order. */
export async function forwardAuditEvents(db: Db, now: Date): Promise<number> {
  const channels = rowsOf<{ id: string; tenant_id: string; audit_cursor: string | number; tenant_name: string }>(
    await db.execute(sql`
      select n.id, n.tenant_id, n.audit_cursor, t.name as tenant_name from notification_channels n join tenants t on t.id = n.tenant_id
      where n.enabled and 'audit.*' = any(n.event_types)
      for update of n skip locked`),
  );
  let created = 0;
  for (const ch of channels) {
    const events = rowsOf<{ id: string | number; action: string; actor: string; actor_type: string; target_type: string; target_id: string | null; details: Record<string, unknown>; created_at: string | Date }>(
      await db.execute(sql`
        select id, action, actor, actor_type, target_type, target_id, details, created_at from audit_events
        where tenant_id = ${ch.tenant_id} and id > ${Number(ch.audit_cursor)} order by id limit ${AUDIT_BATCH}`),
    );
    if (events.length === 0) continue;
    for (const e of events) {
      const data = {
        tenant: { id: ch.tenant_id, name: ch.tenant_name },
        id: Number(e.id),
        action: e.action,
        actor: e.actor,
        actorType: e.actor_type,
        targetType: e.target_type,
        targetId: e.target_id,
        details: e.details,
        createdAt: iso(e.created_at),
      };
      const occurredAt = new Date(e.created_at);
      if (await enqueueEvent(db, { tenantId: ch.tenant_id, eventType: `audit.${e.action}`, dedupeKey: `audit:${e.id}`, data, occurredAt }, now)) created++;
    }
    await db.execute(sql`update notification_channels set audit_cursor = ${Number(events[events.length - 1].id)} where id = ${ch.id}`);
  }
  return created;
}

/** client.auth_failures: more than the tenant's N failed authentications of one client within its M minutes. */
export async function scanFailureSpikes(db: Db, now: Date): Promise<number> {
  const rows = rowsOf<{ id: string; name: string; tenant_id: string; tenant_name: string; spike_count: number; spike_minutes: number; failures: string | number }>(
    await db.execute(sql`
      select c.id, c.name, c.tenant_id, t.name as tenant_name, coalesce(ns.failure_spike_count, 20) as spike_count,
        coalesce(ns.failure_spike_minutes, 5) as spike_minutes, sum(u.count) as failures
      from client_usage u join clients c on c.id = u.client_id join tenants t on t.id = c.tenant_id
      left join notification_settings ns on ns.tenant_id = c.tenant_id
      where u.outcome <> 'issued' and u.bucket_start > ${now.toISOString()}::timestamptz - make_interval(mins => coalesce(ns.failure_spike_minutes, 5))
        and u.bucket_start <= ${now.toISOString()}::timestamptz
        and ${subscribed('client.auth_failures', sql`c.tenant_id`)}
      group by c.id, c.name, c.tenant_id, t.name, ns.failure_spike_count, ns.failure_spike_minutes
      having sum(u.count) > coalesce(ns.failure_spike_count, 20)`),
  );
  let created = 0;
  for (const r of rows) {
    const windowMs = Number(r.spike_minutes) * 60_000;
    const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs).toISOString();
    const data = {
      tenant: { id: r.tenant_id, name: r.tenant_name },
      client: { id: r.id, name: r.name },
      failures: Number(r.failures),
      threshold: Number(r.spike_count),
      minutes: Number(r.spike_minutes),
    };
    const dedupeKey = `client.auth_failures:${r.id}:${windowStart}`;
    if (await enqueueEvent(db, { tenantId: r.tenant_id, eventType: 'client.auth_failures', dedupeKey, data, occurredAt: now }, now)) created++;
  }
  return created;
}
