import { sql } from 'drizzle-orm';
import type { Db } from '../db';
import { auditEvents } from '../db/schema';
import type { FederatedRefusal } from './federated-assertion';
import { PeriodicFlush } from './periodic-flush';

/**
 * Refused federated tokens, for administrators: each credential's "last failure reason" and an audit event saying
 * why (the failing check and the claim value it saw, never the token). Written like "last used" stamps: collected in
 * memory and flushed every few seconds, at most one audit event per client per flush (with the number of refusals),
 * so a flood of bad tokens costs the database a bounded number of writes.
 */
type Pending = {
  tenantId: string;
  failures: number;
  at: number;
  refusals: FederatedRefusal[];
  issuer: string | null;
  subject: string | null;
  sourceAddress: string;
};

export class FederatedFailureRecorder extends PeriodicFlush<Map<string, Pending>> {
  private pending = new Map<string, Pending>();

  constructor(private readonly db: Db) {
    super('[tokens] writing federated failures');
  }

  record(
    client: { id: string; tenantId: string },
    refusal: { refusals: FederatedRefusal[]; issuer: string | null; subject: string | null },
    sourceAddress: string,
    at: number,
  ) {
    const before = this.pending.get(client.id);
    if (!before && this.pending.size >= 10_000) return; // bounded: the throttle audits floods anyway
    this.pending.set(client.id, { tenantId: client.tenantId, failures: (before?.failures ?? 0) + 1, at, ...refusal, sourceAddress });
  }

  /** A failed write is not retried: the next refusals are recorded anew. */
  protected take(): Map<string, Pending> | null {
    if (this.pending.size === 0) return null;
    const batch = this.pending;
    this.pending = new Map();
    return batch;
  }

  protected async write(batch: Map<string, Pending>) {
    for (const [clientId, p] of batch) {
      const at = new Date(p.at).toISOString();
      for (const r of p.refusals) {
        if (r.credentialId === null) continue;
        await this.db.execute(sql`
          update client_federated_credentials set last_failure_at = ${at}::timestamptz, last_failure_reason = ${r.reason.slice(0, 1000)}
          where id = ${r.credentialId} and client_id = ${clientId}::uuid
            and (last_failure_at is null or last_failure_at <= ${at}::timestamptz)`);
      }
      await this.db.insert(auditEvents).values({
        tenantId: p.tenantId,
        actor: 'system',
        actorType: 'system',
        action: 'client.federated_auth_failed',
        targetType: 'client',
        targetId: clientId,
        details: {
          failures: p.failures,
          issuer: p.issuer,
          subject: p.subject,
          reasons: p.refusals.map((r) => ({ credentialId: r.credentialId, credential: r.name, reason: r.reason })),
          sourceAddress: p.sourceAddress,
          via: 'token_endpoint',
        },
      });
    }
  }
}
