/**
 * The DPoP case of bench:token: the hot client (its secret) with a DPoP proof (RFC 9449) in the DPoP header, so the
 * access token is bound to the proof's key (cnf.jkt, token_type DPoP). Every request carries a fresh proof (a new
 * jti: a replayed one is refused), signed ahead of each run with an ES256 key of the load generator, outside the
 * measured time. Our server checks the proof (typ, alg, public jwk, htm, htu, iat), verifies its signature with the
 * key it carries (jose), records the jti (batched INSERTs, replay protection across instances) and signs the token.
 * Its floor (`floorDpopVerifier`, in the floor server) does the same crypto: imports the proof's jwk, verifies the
 * ES256 signature, checks the same claims, keeps jtis in memory, computes the thumbprint and signs ES256.
 */
import { createHash, createPublicKey, generateKeyPairSync, randomUUID, sign, verify, type KeyObject } from 'node:crypto';

/** Proofs signed ahead per second of a run: more than either side answers here. */
export const DPOP_PER_SECOND = 10_000;

export type DpopBenchKey = { privateKey: KeyObject; headerB64: string };

/** The client's DPoP key: EC P-256, as openid-client's randomDPoPKeyPair() makes by default. */
export function benchDpopKey(): DpopBenchKey {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { kty, crv, x, y } = publicKey.export({ format: 'jwk' });
  const headerB64 = Buffer.from(JSON.stringify({ typ: 'dpop+jwt', alg: 'ES256', jwk: { kty, crv, x, y } })).toString('base64url');
  return { privateKey, headerB64 };
}

/** One proof for POST `htu`, now. */
export function dpopProofFor(key: DpopBenchKey, htu: string): string {
  const claims = { jti: randomUUID(), htm: 'POST', htu, iat: Math.floor(Date.now() / 1000) };
  const input = `${key.headerB64}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return `${input}.${sign('sha256', Buffer.from(input), { key: key.privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
}

/** The bench's Load shape (bench/token.bench.ts), for a fixed body with a fresh DPoP header per request. */
type DpopLoad = { url: string; next: () => { body: string; headers: Record<string, string> }; beforeRun: () => void; afterRun: () => void };

/** Proofs signed ahead of each run (`perRun`), after one checked request; more on demand if a run outlasts them. */
export async function dpopLoad(
  url: string,
  body: string,
  key: DpopBenchKey,
  sizes: { warmup: number; perRun: number },
  post: (url: string, body: string, headers: Record<string, string>) => Promise<{ status: number; json: Record<string, unknown> }>,
): Promise<DpopLoad> {
  for (let attempt = 0; ; attempt++) {
    const answer = await post(url, body, { dpop: dpopProofFor(key, url) }).catch((err: Error) => ({ status: 0, json: { error: err.message } as Record<string, unknown> }));
    if (answer.status === 200 && answer.json.token_type === 'DPoP') break;
    if (attempt === 20) throw new Error(`DPoP at ${url}: the token request answered ${answer.status} ${JSON.stringify(answer.json)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const poolOf = (n: number) => {
    const pool = Array.from({ length: n }, () => dpopProofFor(key, url));
    let i = 0;
    return () => (i < pool.length ? pool[i++] : dpopProofFor(key, url));
  };
  let pool = poolOf(sizes.warmup);
  return {
    url,
    beforeRun: () => (pool = poolOf(sizes.perRun)),
    afterRun: () => (pool = () => dpopProofFor(key, url)),
    next: () => ({ body, headers: { dpop: pool() } }),
  };
}

/**
 * The floor's DPoP check: the proof's header (typ, alg ES256, an EC jwk), its jwk imported and the signature verified,
 * htm, htu (the floor's token URL), iat within a minute, the jti kept in memory; returns the RFC 7638 thumbprint of
 * the key, or null for a proof it refuses.
 */
export function floorDpopVerifier(htu: string): (proof: string) => string | null {
  const seen = new Set<string>();
  return (proof) => {
    const parts = proof.split('.');
    if (parts.length !== 3) return null;
    try {
      const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString());
      const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString());
      const jwk = header.jwk;
      if (header.typ !== 'dpop+jwt' || header.alg !== 'ES256' || !jwk || jwk.kty !== 'EC' || 'd' in jwk) return null;
      if (claims.htm !== 'POST' || claims.htu !== htu || Math.abs(Date.now() / 1000 - claims.iat) > 60) return null;
      if (typeof claims.jti !== 'string' || seen.has(claims.jti)) return null;
      const key = createPublicKey({ key: jwk, format: 'jwk' });
      if (!verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(parts[2], 'base64url'))) return null;
      seen.add(claims.jti);
      return createHash('sha256').update(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y })).digest('base64url');
    } catch {
      return null;
    }
  };
}
