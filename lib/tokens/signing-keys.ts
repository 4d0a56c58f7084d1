import { createHash, generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { and, desc, eq, gt, isNull, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { signingKeys } from '../db/schema';
import { MAX_TOKEN_LIFETIME_SECONDS, type SigningAlg } from './config';
import { encryptPrivateKey } from './key-encryption';

export type SigningKeyRow = typeof signingKeys.$inferSelect;

/** RFC 7638 thumbprint: a stable, content-derived key id. */
export function jwkThumbprint(jwk: JsonWebKey): string {
  const members =
    jwk.kty === 'EC'
      ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y }
      : { e: jwk.e, kty: jwk.kty, n: jwk.n };
  return createHash('sha256').update(JSON.stringify(members)).digest('base64url');
}

/** A fresh key pair: the public JWK (with kid, alg, use) and the private JWK, encrypted for storage. */
export function generateSigningKey(alg: SigningAlg) {
  const { publicKey, privateKey } =
    alg === 'ES256'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pub = publicKey.export({ format: 'jwk' });
  const kid = jwkThumbprint(pub);
  const publicJwk = { ...pub, kid, alg, use: 'sig' };
  const privateKeyEncrypted = encryptPrivateKey(JSON.stringify(privateKey.export({ format: 'jwk' })), kid);
  return { kid, alg, publicJwk, privateKeyEncrypted };
}

const FIRST_KEY_LOCK = 727275;

/**
 * First start: make sure a key of `alg` can sign now. Two instances starting together take an advisory lock in
 * turn, so only the first one creates a key and the second one finds it.
 */
export async function ensureSigningKey(db: Db, alg: SigningAlg): Promise<{ created: boolean; kid: string }> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${FIRST_KEY_LOCK})`);
    const now = new Date();
    const [usable] = await tx
      .select({ kid: signingKeys.kid })
      .from(signingKeys)
      .where(
        and(
          eq(signingKeys.alg, alg),
          lte(signingKeys.activatesAt, now),
          or(isNull(signingKeys.retiredAt), gt(signingKeys.retiredAt, now)),
        ),
      )
      .limit(1);
    if (usable) return { created: false, kid: usable.kid };
    const key = generateSigningKey(alg);
    await tx.insert(signingKeys).values({ ...key, createdAt: now, activatesAt: now });
    return { created: true, kid: key.kid };
  });
}

/**
 * `keys:rotate`: add a key that is published at once and signs from `now + publishDelaySeconds`, so resource
 * servers (which cache the JWKS briefly) know it before they see a token signed with it. Older keys stay published
 * until every token they signed has expired: `retired_at` = the new key's activation + the longest token lifetime.
 * `immediate` (a compromised key): the new key signs at once and the older keys are withdrawn now.
 */
export async function rotateSigningKey(
  db: Db,
  options: { alg: SigningAlg; publishDelaySeconds: number; immediate?: boolean; now?: Date },
) {
  const now = options.now ?? new Date();
  const activatesAt = options.immediate ? now : new Date(now.getTime() + options.publishDelaySeconds * 1000);
  const retireAt = options.immediate ? now : new Date(activatesAt.getTime() + (MAX_TOKEN_LIFETIME_SECONDS + 60) * 1000);
  const key = generateSigningKey(options.alg);
  return db.transaction(async (tx) => {
    const retired = await tx
      .update(signingKeys)
      .set({ retiredAt: retireAt })
      .where(or(isNull(signingKeys.retiredAt), gt(signingKeys.retiredAt, retireAt)))
      .returning({ kid: signingKeys.kid });
    await tx.insert(signingKeys).values({ ...key, createdAt: now, activatesAt });
    return { kid: key.kid, alg: key.alg, activatesAt, previous: retired.map((r) => r.kid), previousRetireAt: retireAt };
  });
}

/** The keys still published at `now`, newest activation first. */
export async function listPublishedKeys(db: Db, now = new Date()): Promise<SigningKeyRow[]> {
  return db
    .select()
    .from(signingKeys)
    .where(or(isNull(signingKeys.retiredAt), gt(signingKeys.retiredAt, now)))
    .orderBy(desc(signingKeys.activatesAt), desc(signingKeys.createdAt));
}
