import http from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DbHandle } from '../db';
import { createTestTenant, type TestTenant } from '../testing/db';
import { createTestClient } from '../testing/clients';
import { listenLocally, type LocalServer } from '../testing/local-server';
import { createIsolatedDb, startIdentityServer } from '../identity/testing';
import { assertion, assertionForm, registerTestKey, testKeyPair, type TestKeyPair } from '../tokens/testing/client-keys';
import { clearJwksCache, JWKS_FAILURE_RETRY_MS, JWKS_MISS_REFETCH_MS, jwksKeys } from './jwks-url';

process.env.JWKS_URL_ALLOW_HTTP_LOOPBACK = '1';

/** A JWKS endpoint served by the test: counts requests, answers 500 while `failing`. */
let requests = 0;
let failing = false;
let jwks: { keys: Record<string, unknown>[] } = { keys: [] };
let server: LocalServer;
let url: string;
let ec: TestKeyPair;

beforeAll(async () => {
  ec = await testKeyPair('ES256');
  server = await listenLocally(
    http.createServer((_req, res) => {
      requests += 1;
      if (failing) res.writeHead(500).end();
      else res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(jwks));
    }),
  );
  url = `${server.origin}/jwks.json`;
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  clearJwksCache();
  requests = 0;
  failing = false;
  jwks = { keys: [{ ...ec.publicJwk, kid: 'k1' }] };
});

describe('JWKS URL cache', () => {
  it('a failing URL is fetched once per retry period, not once per request, whatever kid is asked for', async () => {
    failing = true;
    const t0 = Date.now();
    for (let i = 0; i < 8; i++) expect(await jwksKeys(url, `kid-${i}`, t0 + i * 1000)).toEqual([]);
    await Promise.all(Array.from({ length: 8 }, () => jwksKeys(url, 'other', t0 + 9000)));
    expect(requests).toBe(1);
    // After the retry period it is asked again; once it answers, its keys are used.
    failing = false;
    expect((await jwksKeys(url, 'k1', t0 + JWKS_FAILURE_RETRY_MS + 1)).map((k) => k.kid)).toEqual(['k1']);
    expect(requests).toBe(2);
  });

  it('a kid the set does not hold re-fetches at most every JWKS_MISS_REFETCH_MS (key rotation)', async () => {
    const t0 = Date.now();
    expect((await jwksKeys(url, 'k1', t0)).map((k) => k.kid)).toEqual(['k1']);
    jwks = { keys: [{ ...ec.publicJwk, kid: 'k2' }] };
    for (let i = 1; i <= 5; i++) expect((await jwksKeys(url, 'k2', t0 + i)).map((k) => k.kid)).toEqual(['k1']);
    expect(requests).toBe(1);
    expect((await jwksKeys(url, 'k2', t0 + JWKS_MISS_REFETCH_MS + 1)).map((k) => k.kid)).toEqual(['k2']);
    expect(requests).toBe(2);
  });

  it('a failure keeps the last good set until its TTL ends', async () => {
    const t0 = Date.now();
    await jwksKeys(url, 'k1', t0);
    failing = true;
    expect((await jwksKeys(url, 'new', t0 + JWKS_MISS_REFETCH_MS + 1)).map((k) => k.kid)).toEqual(['k1']);
    expect((await jwksKeys(url, 'k1', t0 + JWKS_MISS_REFETCH_MS + 2)).map((k) => k.kid)).toEqual(['k1']);
    expect(requests).toBe(2);
  });
});

describe('at the token endpoint', () => {
  let db: Awaited<ReturnType<typeof createIsolatedDb>>;
  let h: DbHandle;
  let t: TestTenant;
  let srv: Awaited<ReturnType<typeof startIdentityServer>>;
  beforeAll(async () => {
    db = await createIsolatedDb();
    h = db.handle;
    t = await createTestTenant(h.db, 'JWKS cache');
    srv = await startIdentityServer(h, { throttleMaxFailures: 1000 });
  });
  afterAll(async () => {
    await srv?.close();
    await db?.drop();
  });

  it('eight token requests for a client whose JWKS URL fails cause one outbound fetch', async () => {
    const c = await createTestClient(h.db, { tenantId: t.tenantId, secrets: [] });
    await registerTestKey(h.db, c.clientId, { jwksUrl: url });
    clearJwksCache();
    requests = 0;
    failing = true;
    for (let i = 0; i < 8; i++) {
      const res = await fetch(`${srv.issuer}/connect/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(assertionForm(await assertion(ec, c.clientId, `${srv.issuer}/connect/token`, { kid: `k-${i}` }))),
      });
      expect(res.status).toBe(401);
    }
    expect(requests).toBe(1);
  });
});
