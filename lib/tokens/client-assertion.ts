import { sql } from 'drizzle-orm';
import type { Db } from '../db';
import { KEY_ALGS, type KeyAlg } from '../keys/public-key';
import { jwksKeys } from '../keys/jwks-url';
import type { AuthClient } from './client-store';
import { verifySignature } from './client-keys';
import { isClientIdFormat } from './client-store';
import { parseJsonObject, signatureOf, signingInputOf, splitCompactJws } from './compact-jws';

/**
 * private_key_jwt client authentication (RFC 7523 section 3, OpenID Connect Core section 9): the client signs a
 * short-lived JWT with its private key; we check it against the public keys registered for the client.
 * iss = sub = client_id, aud names the token endpoint or the issuer, exp is required and at most
 * ASSERTION_MAX_LIFETIME_SECONDS ahead, and each jti is accepted once (client_assertion_jtis, so a replay is refused
 * on every instance sharing the database).
 */
export const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
export const ASSERTION_MAX_LIFETIME_SECONDS = 300;
export const ASSERTION_LEEWAY_SECONDS = 30;
export const ASSERTION_SIGNING_ALGS: readonly string[] = KEY_ALGS;
const ASSERTION_MAX_LENGTH = 8192;
const JTI_MAX = 256;

export type DecodedAssertion = {
  clientId: string;
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  signingInput: Buffer;
  signature: Buffer;
};


/** The structure of a compact JWS with iss = sub = a client id; null for anything else. Nothing is verified yet. */
export function decodeAssertion(assertion: string): DecodedAssertion | null {
  if (assertion.length > ASSERTION_MAX_LENGTH) return null;
  const jws = splitCompactJws(assertion);
  if (!jws) return null;
  const header = parseJsonObject(jws.header);
  const claims = parseJsonObject(jws.payload);
  if (!header || !claims) return null;
  if (typeof header.alg !== 'string' || !ASSERTION_SIGNING_ALGS.includes(header.alg) || header.crit !== undefined) return null;
  const { iss, sub } = claims;
  if (typeof iss !== 'string' || iss !== sub || !isClientIdFormat(iss)) return null;
  return {
    clientId: iss.toLowerCase(),
    header,
    claims,
    signingInput: signingInputOf(jws),
    signature: signatureOf(jws),
  };
}

/** `alg`: the algorithm the assertion was signed with (a key without an exact algorithm accepts RS256 and PS256). */
export type VerifiedAssertion = { keyId: number; jti: string; exp: number; alg: string };

/**
 * Claims and signature. `audiences`: the values aud may name (the token endpoint, the issuer, the endpoint called).
 * Returns the key that verified it, or null. The jti is not recorded here (recordAssertionJti).
 */
export async function verifyAssertion(
  decoded: DecodedAssertion,
  client: AuthClient,
  audiences: string[],
  nowMs: number,
): Promise<VerifiedAssertion | null> {
  const now = Math.floor(nowMs / 1000);
  const { claims, header } = decoded;
  const { exp, nbf, iat, jti, aud } = claims;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return null;
  if (exp <= now - ASSERTION_LEEWAY_SECONDS || exp > now + ASSERTION_MAX_LIFETIME_SECONDS + ASSERTION_LEEWAY_SECONDS) return null;
  if (nbf !== undefined && (typeof nbf !== 'number' || nbf > now + ASSERTION_LEEWAY_SECONDS)) return null;
  if (iat !== undefined && (typeof iat !== 'number' || iat > now + ASSERTION_LEEWAY_SECONDS)) return null;
  if (typeof jti !== 'string' || jti.length === 0 || jti.length > JTI_MAX) return null;
  const auds = Array.isArray(aud) ? aud : [aud];
  if (auds.length === 0 || !auds.every((a) => typeof a === 'string') || !auds.some((a) => audiences.includes(a as string))) return null;

  const kid = typeof header.kid === 'string' ? header.kid : undefined;
  const alg = header.alg as string;
  for (const key of client.keys) {
    if (key.expiresAt !== null && key.expiresAt <= nowMs) continue;
    if (key.kind === 'key') {
      if ((kid === undefined || key.kid === kid) && key.algs.includes(alg as KeyAlg) && (await verifySignature(alg, key.publicKey, decoded.signingInput, decoded.signature))) {
        return { keyId: key.id, jti, exp, alg };
      }
    } else {
      for (const k of await jwksKeys(key.url, kid)) {
        if ((kid === undefined || k.kid === kid) && k.algs.includes(alg as KeyAlg) && (await verifySignature(alg, k.publicKey, decoded.signingInput, decoded.signature))) {
          return { keyId: key.id, jti, exp, alg };
        }
      }
    }
  }
  return null;
}

/** true the first time a (client, jti) is seen; false for a replay, on any instance sharing the database. */
export async function recordAssertionJti(db: Db, clientId: string, jti: string, expSeconds: number): Promise<boolean> {
  const result = await db.execute(sql`
    insert into client_assertion_jtis (client_id, jti, expires_at)
    values (${clientId}::uuid, ${jti}, to_timestamp(${expSeconds + ASSERTION_LEEWAY_SECONDS}))
    on conflict do nothing
    returning 1 as inserted`);
  return (result as unknown as { rows: unknown[] }).rows.length === 1;
}

/**
 * recordAssertionJti for a busy token endpoint, as group commit: the jtis presented while the previous batch is on
 * its way go to the database together as one INSERT (a JSON record set) once it is back, with at most `maxInFlight`
 * batches out at a time. Under load the batches grow instead of the statements multiplying, so private_key_jwt costs
 * the database one statement and one commit per batch, not per request, and requests do not queue behind the
 * connection pool. Same answer as recordAssertionJti: true the first time a (client, jti) is seen on any instance,
 * false for a replay (also a replay within the same batch, or of a jti in a batch still on its way).
 */
export function batchedJtiRecorder(
  db: Db,
  { maxBatch = 500, maxInFlight = 1, onBatch }: { maxBatch?: number; maxInFlight?: number; onBatch?: (size: number) => void } = {},
): (clientId: string, jti: string, expSeconds: number) => Promise<boolean> {
  type Waiter = { clientId: string; jti: string; exp: number; resolve: (v: boolean) => void; reject: (e: unknown) => void };
  const queue = new Map<string, Waiter>();
  let inFlight = 0;
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    while (queue.size > 0 && inFlight < maxInFlight) {
      const chunk: Waiter[] = [];
      for (const [key, w] of queue) {
        if (chunk.length === maxBatch) break;
        chunk.push(w);
        queue.delete(key);
      }
      inFlight += 1;
      onBatch?.(chunk.length);
      const rows = JSON.stringify(chunk.map((w) => ({ c: w.clientId, j: w.jti, e: w.exp + ASSERTION_LEEWAY_SECONDS })));
      db.execute(sql`
        insert into client_assertion_jtis (client_id, jti, expires_at)
        select x.c::uuid, x.j, to_timestamp(x.e) from json_to_recordset(${rows}::json) as x(c text, j text, e bigint)
        on conflict do nothing
        returning client_id::text as c, jti as j`)
        .then(
          (result) => {
            const inserted = new Set((result as unknown as { rows: { c: string; j: string }[] }).rows.map((r) => `${r.c} ${r.j}`));
            for (const w of chunk) w.resolve(inserted.has(`${w.clientId} ${w.jti}`));
          },
          (err) => {
            for (const w of chunk) w.reject(err);
          },
        )
        .finally(() => {
          inFlight -= 1;
          flush();
        });
    }
  };
  return (clientId, jti, expSeconds) =>
    new Promise((resolve, reject) => {
      const key = `${clientId} ${jti}`;
      // The same jti twice before its batch left: the second is a replay of the first, whatever the database says.
      if (queue.has(key)) return resolve(false);
      queue.set(key, { clientId, jti, exp: expSeconds, resolve, reject });
      if (!scheduled && inFlight < maxInFlight) {
        scheduled = true;
        setImmediate(flush);
      }
    });
}

/** Forget jtis (and revoked tokens) whose assertion (token) has expired: they can no longer be replayed (used). */
export async function deleteExpiredJtis(db: Db): Promise<void> {
  await db.execute(sql`delete from client_assertion_jtis where expires_at < now()`);
}
