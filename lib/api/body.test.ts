import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../db';
import { createTestDb } from '../testing/db';
import { MAX_BODY_BYTES, readJsonBody } from './body';
import { startApiTestServer } from './testing/api-server';
import { apiClient, apiTenant, type ApiServer } from './testing/fixtures';
import type { ApiErrorBody as ErrorBody } from '../http/api-answers';

describe('readJsonBody (unit)', () => {
  const req = (body: BodyInit | null, contentType: string | null = 'application/json', headers: Record<string, string> = {}) =>
    new Request('http://x.test/', {
      method: 'POST',
      body,
      headers: { ...(contentType ? { 'Content-Type': contentType } : {}), ...headers },
    });

  it('accepts JSON, application/*+json and an explicit UTF-8 charset', async () => {
    for (const type of ['application/json', 'application/json; charset=utf-8', 'Application/JSON;charset="UTF-8"', 'application/merge-patch+json']) {
      const r = await readJsonBody(req('{"a":1}', type));
      expect(r).toEqual({ ok: true, value: { a: 1 } });
    }
  });

  it('415 for other content types or charsets, or none', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', null]) {
      const r = await readJsonBody(req('{"a":1}', type));
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.response.status).toBe(415);
    }
  });

  it('413 for a streamed body over the limit, stopping at the limit', async () => {
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(8 * 1024).fill(0x20));
        if (pulled > 1000) controller.close();
      },
    });
    const r = await readJsonBody(new Request('http://x.test/', { method: 'POST', body: stream, headers: { 'Content-Type': 'application/json' }, duplex: 'half' } as RequestInit));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.response.status).toBe(413);
    expect(pulled).toBeLessThan(10);
  });

  it('400 for empty, whitespace, invalid UTF-8 and malformed JSON, never echoing the body', async () => {
    for (const body of ['', '   ', new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), '{"Name": "tscs_secret"', "{'a':1}", 'nul']) {
      const r = await readJsonBody(req(body as BodyInit));
      expect(r.ok).toBe(false);
      if (r.ok) continue;
      expect(r.response.status).toBe(400);
      const text = await r.response.text();
      expect(text).not.toContain('tscs_secret');
      expect(r.response.headers.get('content-type')).toMatch(/^application\/json/);
    }
  });
});

describe('request bodies over HTTP', () => {
  let h: DbHandle;
  let srv: ApiServer;
  let api: ReturnType<typeof apiClient>;
  let path: string;
  let token: string;

  beforeAll(async () => {
    h = await createTestDb();
    srv = await startApiTestServer(h);
    api = apiClient(srv);
    const t = await apiTenant(h, 'Bodies');
    path = `/api/v1/Tenants/${t.tenantId}/ClientCredentialClients`;
    token = await api.tokenFor(t.adminClient);
  });
  afterAll(async () => {
    await srv?.close();
    await h?.close();
  });

  it('malformed JSON: 400 with a JSON error body', async () => {
    const res = await api.call('POST', path, { token, body: '{"Name": ', headers: { 'Content-Type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toMatchObject({ Error: 'Missing or invalid inputs.', Reason: 'The request body is not valid JSON.' });
  });

  it('a JSON value that is not an object: 400', async () => {
    for (const body of ['[]', '"Name"', '42', 'null']) {
      const res = await api.call('POST', path, { token, body, headers: { 'Content-Type': 'application/json' } });
      expect(res.status).toBe(400);
      expect((res.body as ErrorBody).Reason).toBe('The request body must be a JSON object.');
    }
  });

  it('wrong content type: 415', async () => {
    const form = await api.call('POST', path, { token, body: 'Name=x', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(415);
    expect(form.body).toMatchObject({ Error: 'Unsupported media type.', Resolution: expect.stringContaining('application/json') });
    const none = await api.call('POST', path, { token, body: new Blob(['{"Name":"x"}']) });
    expect(none.status).toBe(415);
  });

  it('oversized body with Content-Length: 413, and the connection is closed', async () => {
    const big = JSON.stringify({ Name: 'x', SecretDescription: 'd'.repeat(MAX_BODY_BYTES) });
    const res = await api.call('POST', path, { token, json: JSON.parse(big) });
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ Error: 'Payload too large.', Reason: `The request body is larger than ${MAX_BODY_BYTES} bytes.` });
  });

  it('oversized chunked body without Content-Length: 413', async () => {
    const url = new URL(srv.origin + path);
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.write('{"Name":"x","SecretDescription":"');
      for (let i = 0; i < 8; i++) req.write('d'.repeat(8 * 1024));
      req.end('"}');
    });
    expect(status).toBe(413);
  });

  it('a bad body from a caller without a token is a 401 first (the body is not read)', async () => {
    const res = await api.call('POST', path, { body: 'garbage', headers: { 'Content-Type': 'text/plain' } });
    expect(res.status).toBe(401);
  });

  it('unsupported methods: JSON 405 with Allow; unknown API paths: JSON 404; both no-store', async () => {
    const res = await api.call('PATCH', path, { token, json: {} });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, POST, HEAD, OPTIONS');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toMatchObject({ Error: 'Method not allowed.' });
    const options = await api.call('OPTIONS', path);
    expect(options.status).toBe(204);
    expect(options.headers.get('allow')).toBe('GET, POST, HEAD, OPTIONS');
    const head = await api.call('HEAD', path, { token });
    expect(head.status).toBe(200);
    expect(head.headers.get('total-count')).toBe('2');
    expect(head.text).toBe('');
    const missing = await api.call('GET', `${path.replace('ClientCredentialClients', 'clientcredentialclients')}`, { token });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('cache-control')).toBe('no-store');
    expect(missing.body).toMatchObject({ Reason: 'There is no such API endpoint.' });
    // The document has its own route, found by its exact name (as Next's production server finds it).
    expect((await api.call('GET', '/api/v1/openapi.json')).status).toBe(200);
    expect((await api.call('GET', '/api/v1/openapi%2Ejson')).status).toBe(404);
    // Static segments are not decoded; parameters are, an encoded slash included (a 401: no token).
    expect((await api.call('GET', path.replace('ClientCredentialClients', 'ClientCredentialClient%73'), { token })).status).toBe(404);
    expect((await api.call('GET', '/api/v1/Tenants/a%2Fb/ClientCredentialClients')).status).toBe(401);
  });
});
