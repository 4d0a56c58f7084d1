import { randomUUID } from 'node:crypto';
import { generateSecret } from '@/lib/secrets/secret';
import { dpopKey, dpopProof, hmacProof, unsignedProof } from '@/lib/tokens/testing/dpop';
import type { Ctx } from './fixtures';
import { b64url, form, head, rawHttp, send, SQLI, XSS, type Case, type Category, type Expectation, type HttpAnswer, type Surface } from './support';

/*
 * Bad DPoP proofs (RFC 9449) in the DPoP header: at the token endpoint, at userinfo and at the REST API. Every one is
 * refused (invalid_dpop_proof, invalid_token, use_dpop_nonce or invalid_client) and writes nothing: a proof's jti is
 * recorded only once the client authenticated and the proof verified.
 */

const TOKEN = '/identity/connect/token';
const USERINFO = '/identity/connect/userinfo';
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };
const clientsPath = (tenantId: string) => `/api/v1/Tenants/${tenantId}/ClientCredentialClients`;

/** A proof's header and claims as given, base64url-encoded, with a junk signature: fails before any crypto. */
const unsigned = (header: unknown, claims: unknown) => `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}.c2ln`;

export function dpopCases(): Case<Ctx>[] {
  const cases: Case<Ctx>[] = [];
  const add = (surface: Surface, name: string, run: (ctx: Ctx) => Promise<HttpAnswer>, expect: Expectation, category: Category = 'dpop proof') =>
    cases.push({ surface, category, name, expect, run: async (ctx) => ({ kind: 'http', answer: await run(ctx) }) });

  /* ---- token endpoint: the `good` client's valid secret, a bad proof ---- */
  const goodForm = (ctx: Ctx) => form({ grant_type: 'client_credentials', client_id: ctx.clients.good.clientId, client_secret: ctx.clients.good.secret });
  const tokenWith = (name: string, proof: (ctx: Ctx, htu: string) => string | Promise<string>, expect: Expectation = { status: 400 }, category?: Category) =>
    add('token', `DPoP: ${name}`, async (ctx) => {
      const htu = ctx.identity + TOKEN;
      return send(htu, { method: 'POST', headers: { ...FORM, DPoP: await proof(ctx, htu) }, body: goodForm(ctx) });
    }, expect, category);
  const jwk = { kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' };
  const claims = (htu: string) => ({ jti: randomUUID(), htm: 'POST', htu, iat: Math.floor(Date.now() / 1000) });
  tokenWith('not a JWT', () => 'garbage');
  tokenWith('three dots', () => 'a.b.c');
  tokenWith('a JSON array as header', (_c, htu) => `${b64url('[1,2]')}.${b64url(JSON.stringify(claims(htu)))}.c2ln`);
  tokenWith('a proof of 9,000 characters', () => 'e'.repeat(9000), { status: 400 }, 'huge string');
  tokenWith('alg none', async (_c, htu) => unsignedProof(await dpopKey(), 'POST', htu));
  tokenWith('HS256 with a symmetric jwk', (_c, htu) => hmacProof('POST', htu));
  tokenWith('a private key in jwk', async (_c, htu) => {
    const k = await dpopKey();
    return dpopProof(k, 'POST', htu, { header: { jwk: k.privateJwk } });
  });
  tokenWith('typ JWT', async (_c, htu) => dpopProof(await dpopKey(), 'POST', htu, { header: { typ: 'JWT' } }));
  tokenWith('no jwk', (_c, htu) => unsigned({ alg: 'ES256', typ: 'dpop+jwt' }, claims(htu)));
  tokenWith('a jwk that is a string', (_c, htu) => unsigned({ alg: 'ES256', typ: 'dpop+jwt', jwk: 'key' }, claims(htu)));
  tokenWith('a jwk of an unknown kty', (_c, htu) => unsigned({ alg: 'ES256', typ: 'dpop+jwt', jwk: { kty: 'XYZ' } }, claims(htu)));
  tokenWith('a jwk with broken coordinates', (_c, htu) => unsigned({ alg: 'ES256', typ: 'dpop+jwt', jwk: { ...jwk, x: '!!' } }, claims(htu)));
  tokenWith('a crit header', (_c, htu) => unsigned({ alg: 'ES256', typ: 'dpop+jwt', jwk, crit: ['x'] }, claims(htu)));
  tokenWith('a garbage signature', (_c, htu) => unsigned({ alg: 'ES256', typ: 'dpop+jwt', jwk }, claims(htu)));
  tokenWith('htm GET', async (_c, htu) => dpopProof(await dpopKey(), 'GET', htu));
  tokenWith('htu of another server', async () => dpopProof(await dpopKey(), 'POST', 'https://evil.example/identity/connect/token'));
  tokenWith('htu that is not a URL', async () => dpopProof(await dpopKey(), 'POST', XSS));
  tokenWith('htu a number', (_c, htu) => unsigned({ alg: 'ES256', typ: 'dpop+jwt', jwk }, { ...claims(htu), htu: 42 }), { status: 400 }, 'wrong type');
  tokenWith('iat a string', (_c, htu) => unsigned({ alg: 'ES256', typ: 'dpop+jwt', jwk }, { ...claims(htu), iat: 'now' }), { status: 400 }, 'wrong type');
  tokenWith('jti a number', (_c, htu) => unsigned({ alg: 'ES256', typ: 'dpop+jwt', jwk }, { ...claims(htu), jti: 7 }), { status: 400 }, 'wrong type');
  tokenWith('jti of 1,000 characters', async (_c, htu) => dpopProof(await dpopKey(), 'POST', htu, { claims: { jti: 'j'.repeat(1000) } }), { status: 400 }, 'huge string');
  tokenWith('nonce a number', async (_c, htu) => dpopProof(await dpopKey(), 'POST', htu, { claims: { nonce: 5 } }), { status: 400 }, 'wrong type');
  tokenWith('a nonce we never issued, with SQL', async (_c, htu) => dpopProof(await dpopKey(), 'POST', htu, { nonce: SQLI }), { status: 400 }, 'sql/html metacharacters');
  tokenWith('iat a year ago', async (_c, htu) => dpopProof(await dpopKey(), 'POST', htu, { claims: { iat: Math.floor(Date.now() / 1000) - 31_536_000 } }));
  add('token', 'DPoP: a valid proof, the victim client with a wrong secret (records nothing)', async (ctx) => {
    const htu = ctx.identity + TOKEN;
    return send(htu, {
      method: 'POST',
      headers: { ...FORM, DPoP: await dpopProof(await dpopKey(), 'POST', htu) },
      body: form({ grant_type: 'client_credentials', client_id: ctx.clients.victim.clientId, client_secret: generateSecret() }),
    });
  }, { status: 401 });
  add('token', 'DPoP: two DPoP headers', async (ctx) => {
    const htu = ctx.identity + TOKEN;
    const k = await dpopKey();
    const body = goodForm(ctx);
    return rawHttp(ctx.identity, head('POST', TOKEN, new URL(ctx.identity).host, [
      `Content-Type: ${FORM['Content-Type']}`,
      `Content-Length: ${Buffer.byteLength(body)}`,
      `DPoP: ${await dpopProof(k, 'POST', htu)}`,
      `DPoP: ${await dpopProof(k, 'POST', htu)}`,
    ]), body);
  }, { status: 400 }, 'duplicated field');
  add('token', 'DPoP: raw non-ASCII bytes in the DPoP header', async (ctx) => {
    const body = goodForm(ctx);
    const headText = head('POST', TOKEN, new URL(ctx.identity).host, [`Content-Type: ${FORM['Content-Type']}`, `Content-Length: ${Buffer.byteLength(body)}`, 'DPoP: X']);
    const raw = Buffer.from(headText.replace('DPoP: X', 'DPoP: tökén☃'), 'utf8');
    return rawHttp(ctx.identity, raw, body);
  }, { status: 400 }, 'unicode');

  /* ---- userinfo ---- */
  add('userinfo', 'DPoP: the DPoP scheme with a token that is not a JWT', async (ctx) => send(ctx.identity + USERINFO, { headers: { Authorization: 'DPoP garbage', DPoP: 'garbage' } }), { status: 401 });
  add('userinfo', 'DPoP: a client-credentials token with a valid proof', async (ctx) =>
    send(ctx.identity + USERINFO, {
      headers: { Authorization: `DPoP ${ctx.tokens.introA}`, DPoP: await dpopProof(await dpopKey(), 'GET', ctx.identity + USERINFO, { accessToken: ctx.tokens.introA }) },
    }), { status: 401 });

  /* ---- REST API: A's DPoP-bound administrator token ---- */
  const api = (name: string, headers: (ctx: Ctx, url: string) => Promise<Record<string, string>>, category?: Category) =>
    add('api', `GET clients: ${name}`, async (ctx) => {
      const url = ctx.api + clientsPath(ctx.a.tenantId);
      return send(url, { headers: await headers(ctx, url) });
    }, { status: 401 }, category);
  api('a DPoP-bound token as Bearer', async (ctx) => ({ Authorization: `Bearer ${ctx.tokens.aDpop}` }), 'bearer token');
  api('a DPoP-bound token as Bearer with a valid proof', async (ctx, url) => ({
    Authorization: `Bearer ${ctx.tokens.aDpop}`,
    DPoP: await dpopProof(ctx.dpop, 'GET', url, { accessToken: ctx.tokens.aDpop }),
  }), 'bearer token');
  api('the DPoP scheme without a proof', async (ctx) => ({ Authorization: `DPoP ${ctx.tokens.aDpop}` }));
  api('the DPoP scheme with a bearer token', async (ctx, url) => ({ Authorization: `DPoP ${ctx.tokens.a}`, DPoP: await dpopProof(ctx.dpop, 'GET', url, { accessToken: ctx.tokens.a }) }));
  api('a proof without ath', async (ctx, url) => ({ Authorization: `DPoP ${ctx.tokens.aDpop}`, DPoP: await dpopProof(ctx.dpop, 'GET', url) }));
  api('a proof with the ath of another token', async (ctx, url) => ({ Authorization: `DPoP ${ctx.tokens.aDpop}`, DPoP: await dpopProof(ctx.dpop, 'GET', url, { accessToken: ctx.tokens.a }) }));
  api('a proof for POST', async (ctx, url) => ({ Authorization: `DPoP ${ctx.tokens.aDpop}`, DPoP: await dpopProof(ctx.dpop, 'POST', url, { accessToken: ctx.tokens.aDpop }) }));
  api('a proof for another path', async (ctx, url) => ({ Authorization: `DPoP ${ctx.tokens.aDpop}`, DPoP: await dpopProof(ctx.dpop, 'GET', `${url}/../Roles`, { accessToken: ctx.tokens.aDpop }) }), 'path traversal');
  api('a proof by another key', async (ctx, url) => ({ Authorization: `DPoP ${ctx.tokens.aDpop}`, DPoP: await dpopProof(await dpopKey(), 'GET', url, { accessToken: ctx.tokens.aDpop }) }));
  api('a proof with alg none', async (ctx, url) => ({ Authorization: `DPoP ${ctx.tokens.aDpop}`, DPoP: unsignedProof(ctx.dpop, 'GET', url) }));
  api('a proof with the private key in jwk', async (ctx, url) => ({
    Authorization: `DPoP ${ctx.tokens.aDpop}`,
    DPoP: await dpopProof(ctx.dpop, 'GET', url, { accessToken: ctx.tokens.aDpop, header: { jwk: ctx.dpop.privateJwk } }),
  }));
  api('a proof an hour old', async (ctx, url) => ({
    Authorization: `DPoP ${ctx.tokens.aDpop}`,
    DPoP: await dpopProof(ctx.dpop, 'GET', url, { accessToken: ctx.tokens.aDpop, claims: { iat: Math.floor(Date.now() / 1000) - 3600 } }),
  }));
  api('"DPoP" alone', async () => ({ Authorization: 'DPoP' }));
  api('a proof of 9,000 characters', async (ctx) => ({ Authorization: `DPoP ${ctx.tokens.aDpop}`, DPoP: 'e'.repeat(9000) }), 'huge string');
  return cases;
}
