import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '../db';
import { auditEvents } from '../db/schema';
import { hashSecret, isWellFormedSecret } from '../secrets/secret';
import { enqueueEvent } from './outbox';

/**
 * Leaked-secret reports (POST /identity/connect/secret-report): a secret scanner sends candidate strings in the shape
 * GitHub's secret scanning partner program uses; each candidate with a valid tscs_ checksum is looked up by its hash,
 * and a match is revoked at once (client_secrets.revoked_at; the change trigger tells every instance's cache), audited
 * with the reported URL and source, and announced as secret.leaked. The answer labels every candidate true_positive or
 * false_positive and says nothing else: not the tenant, not the client, not whether it was already revoked.
 */
export const MAX_CANDIDATES = 100;
const TEXT_MAX = 2000;

export type Candidate = { token: string; type: string; url: string; source: string };
export type Label = 'true_positive' | 'false_positive';
/** token_hash: SHA-256 of the candidate, so the answer never repeats a secret. */
export type LabelledCandidate = { token_hash: string; token_type: string; label: Label };

const text = (v: unknown, max = TEXT_MAX) => (typeof v === 'string' ? v.slice(0, max) : '');

/** The request body as candidates, or the reason it is not one. */
export function parseCandidates(body: unknown): { ok: true; candidates: Candidate[] } | { ok: false; description: string } {
  if (!Array.isArray(body)) return { ok: false, description: 'Send a JSON array of {"token", "type", "url", "source"} objects.' };
  if (body.length === 0 || body.length > MAX_CANDIDATES) return { ok: false, description: `Send between 1 and ${MAX_CANDIDATES} candidates.` };
  const candidates: Candidate[] = [];
  for (const item of body) {
    if (!item || typeof item !== 'object' || Array.isArray(item) || typeof (item as { token?: unknown }).token !== 'string') {
      return { ok: false, description: 'Each candidate must be an object with a string "token".' };
    }
    const c = item as Record<string, unknown>;
    candidates.push({ token: c.token as string, type: text(c.type, 100), url: text(c.url), source: text(c.source, 100) });
  }
  return { ok: true, candidates };
}

type Match = {
  id: number;
  client_id: string;
  description: string;
  display_hint: string;
  expires_at: string | Date | null;
  revoked_at: string | Date | null;
  client_name: string;
  tenant_id: string;
  tenant_name: string;
};

/** Revoke one candidate if it is a live secret; true when it is (or was) one of ours. */
async function revokeIfOurs(db: Db, candidate: Candidate, now: Date): Promise<boolean> {
  if (!isWellFormedSecret(candidate.token)) return false;
  const hash = hashSecret(candidate.token);
  return db.transaction(async (tx) => {
    const found = await tx.execute(sql`
        select s.id, s.client_id, s.description, s.display_hint, s.expires_at, s.revoked_at, c.name as client_name, c.tenant_id,
          t.name as tenant_name
        from client_secrets s join clients c on c.id = s.client_id join tenants t on t.id = c.tenant_id
        where s.secret_hash = ${hash}
        for update of s`);
    const [m] = (found as unknown as { rows: Match[] }).rows;
    if (!m) return false;
    if (m.revoked_at) return true;
    await tx.execute(sql`update client_secrets set revoked_at = ${now.toISOString()}::timestamptz where id = ${m.id}`);
    const secret = {
      id: Number(m.id),
      description: m.description,
      hint: m.display_hint,
      expiresAt: m.expires_at ? new Date(m.expires_at).toISOString() : null,
    };
    const report = { url: candidate.url, source: candidate.source, type: candidate.type };
    await tx.insert(auditEvents).values({
      tenantId: m.tenant_id,
      actor: 'system',
      actorType: 'system',
      action: 'secret.leaked',
      targetType: 'client',
      targetId: m.client_id,
      details: { secretId: secret.id, description: secret.description, hint: secret.hint, revoked: true, reportedUrl: report.url, reportedSource: report.source, reportedType: report.type, via: 'secret_report' },
    });
    await enqueueEvent(
      tx,
      {
        tenantId: m.tenant_id,
        eventType: 'secret.leaked',
        dedupeKey: `secret.leaked:${secret.id}`,
        data: {
          tenant: { id: m.tenant_id, name: m.tenant_name },
          client: { id: m.client_id, name: m.client_name },
          secret,
          revokedAt: now.toISOString(),
          report,
        },
        occurredAt: now,
      },
      now,
    );
    return true;
  });
}

export async function reportSecrets(db: Db, candidates: Candidate[], now: Date = new Date()): Promise<LabelledCandidate[]> {
  const out: LabelledCandidate[] = [];
  for (const c of candidates) {
    const ours = await revokeIfOurs(db, c, now);
    out.push({ token_hash: createHash('sha256').update(c.token).digest('hex'), token_type: c.type, label: ours ? 'true_positive' : 'false_positive' });
  }
  return out;
}
