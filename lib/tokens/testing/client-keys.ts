import { generateKeyPair, exportJWK, exportSPKI, SignJWT, type CryptoKey } from 'jose';
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db';
import { clients } from '../../db/schema';
import { insertKey, keyValues } from '../../clients/keys';
import { addKeySchema } from '../../clients/key.schema';
import { JWT_BEARER_ASSERTION } from '../client-assertion';

/** Tests: key pairs, registering a public key for a client straight in the database, and hand-made assertions. */
export type TestKeyPair = { alg: string; privateKey: CryptoKey; publicJwk: Record<string, unknown>; publicPem: string };

export async function testKeyPair(alg: 'ES256' | 'RS256' | 'ES384' | 'EdDSA' | 'PS256'): Promise<TestKeyPair> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true, ...(alg === 'EdDSA' ? { crv: 'Ed25519' } : {}) });
  return { alg, privateKey, publicJwk: { ...(await exportJWK(publicKey)), alg }, publicPem: await exportSPKI(publicKey) };
}

/** Register a public key (PEM or JWK text) or JWKS URL for a client, as Add Key stores it; returns the key id. */
export async function registerTestKey(
  db: Db,
  clientId: string,
  input: { publicKey?: string; jwksUrl?: string; expiresAt?: Date | null },
): Promise<number> {
  const parsed = addKeySchema.parse({
    clientId,
    source: input.jwksUrl ? 'jwks_url' : 'key',
    publicKey: input.publicKey ?? '',
    jwksUrl: input.jwksUrl ?? '',
    neverExpires: input.expiresAt ? false : true,
    expiresAt: input.expiresAt ?? null,
  });
  const values = await keyValues(parsed);
  if (!values.ok) throw new Error(`test key refused: ${JSON.stringify(values.fieldErrors)}`);
  return db.transaction(async (tx) => {
    const [client] = await tx.select().from(clients).where(eq(clients.id, clientId));
    return insertKey(tx as unknown as Db, { tenantId: client.tenantId, label: 'test', type: 'user', id: 'test', via: 'console' }, client, values.data);
  });
}

/** A client assertion as RFC 7523 describes it; `claims` overrides or (with undefined) removes claims. */
export async function assertion(
  key: TestKeyPair,
  clientId: string,
  audience: string | string[],
  opts: { claims?: Record<string, unknown>; kid?: string; alg?: string } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = { iss: clientId, sub: clientId, aud: audience, iat: now, exp: now + 60, jti: randomUUID(), ...opts.claims };
  for (const [k, v] of Object.entries(claims)) if (v === undefined) delete claims[k];
  return new SignJWT(claims).setProtectedHeader({ alg: opts.alg ?? key.alg, ...(opts.kid ? { kid: opts.kid } : {}) }).sign(key.privateKey);
}

export const assertionForm = (clientAssertion: string, extra: Record<string, string> = {}) => ({
  grant_type: 'client_credentials',
  client_assertion_type: JWT_BEARER_ASSERTION,
  client_assertion: clientAssertion,
  ...extra,
});
