import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Drain } from '../server/drain';
import { requestContext } from '../log/logger';
import { metricsText } from '../metrics';
import { areaOf, IDENTITY_HEADERS, setIdentityHeaders, trackedRequests } from './request-tracking';

const drain = new Drain();
const seen: { requestId?: string; inProgress: number }[] = [];
let server: http.Server;
let base: string;

beforeAll(async () => {
  const context = requestContext();
  server = http.createServer(
    trackedRequests({ drain, trustProxy: false, accessLog: false, context }, (req, res) => {
      // What code behind the wrapper sees while it answers: the request's id in the log context, and itself in progress.
      seen.push({ requestId: context.getStore()?.requestId, inProgress: drain.inProgress });
      setIdentityHeaders(res);
      res.writeHead(req.url === '/identity/missing' ? 404 : 200, { 'Content-Type': 'text/plain' }).end('ok');
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const identityRequests = async (statusClass: string) =>
  Number(new RegExp(`tsc_http_requests_total\\{area="identity",status_class="${statusClass}"\\} (\\d+)`).exec((await metricsText())!.body)?.[1] ?? 0);

describe('the per-request tracking of server.ts (trackedRequests)', () => {
  it('answers with a request id (the caller\'s when well-formed, else a new UUID) that log lines of the request carry', async () => {
    const given = await fetch(`${base}/identity/x`, { headers: { 'X-Request-Id': 'proxy-req-0001' } });
    expect(given.headers.get('x-request-id')).toBe('proxy-req-0001');
    expect(seen.at(-1)!.requestId).toBe('proxy-req-0001');

    const replaced = await fetch(`${base}/identity/x`, { headers: { 'X-Request-Id': 'bad id\u00e9' } });
    const id = replaced.headers.get('x-request-id')!;
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(seen.at(-1)!.requestId).toBe(id);
  });

  it('counts a request as in progress until its answer is done, and counts it by area and status class', async () => {
    const [ok, missing] = [await identityRequests('2xx'), await identityRequests('4xx')];
    await (await fetch(`${base}/identity/x`)).text();
    await (await fetch(`${base}/identity/missing`)).text();
    expect(seen.at(-1)!.inProgress).toBe(1);
    // The close listener runs just after the answer reaches the client.
    await expect.poll(() => drain.inProgress).toBe(0);
    await expect.poll(() => identityRequests('2xx')).toBe(ok + 1);
    expect(await identityRequests('4xx')).toBe(missing + 1);
  });

  it('sends the security headers of every answer that is not a page', async () => {
    const res = await fetch(`${base}/identity/x`);
    for (const [name, value] of Object.entries(IDENTITY_HEADERS)) expect(res.headers.get(name)).toBe(value);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('names a fixed set of areas, never the path', () => {
    expect(['/identity/connect/token', '/.well-known/openid-configuration', '/api/v1/clients', '/health/ready', '/metrics', '/security/clients', undefined].map(areaOf)).toEqual([
      'identity',
      'identity',
      'api',
      'health',
      'metrics',
      'console',
      'console',
    ]);
  });
});
