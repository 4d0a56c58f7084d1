import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenLocally } from '../../testing/local-server';
import { readBody, type Body } from './body';

/** The next requests' readBody results, in arrival order; each request is answered (or destroyed when aborted). */
let waiters: ((b: Body) => void)[] = [];
const server = http.createServer(async (req, res) => {
  const body = await readBody(req, 16);
  waiters.shift()?.(body);
  if (body.ok || body.reason === 'too_large') res.writeHead(body.ok ? 200 : 413).end();
  else res.destroy();
});
let port = 0;
const next = () => new Promise<Body>((resolve) => waiters.push(resolve));

beforeAll(async () => {
  port = (await listenLocally(server)).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function rawRequest(head: string, ...parts: string[]) {
  const socket = net.connect(port, '127.0.0.1');
  socket.on('error', () => {});
  socket.write(head);
  for (const p of parts) socket.write(p);
  return socket;
}

describe('readBody (the identity endpoints body reader)', () => {
  it('reads a body within the limit, in one piece or several', async () => {
    waiters = [];
    const one = next();
    await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: 'grant_type=x' });
    expect(await one).toEqual({ ok: true, text: 'grant_type=x' });
    const several = next();
    const socket = rawRequest('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n', 'abcde');
    setTimeout(() => socket.write('fghij'), 20);
    expect(await several).toEqual({ ok: true, text: 'abcdefghij' });
    socket.destroy();
  });

  it('refuses a larger body declared in Content-Length before reading it, and one that streams past the limit', async () => {
    waiters = [];
    const declared = next();
    const res = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: 'x'.repeat(17) });
    expect(await declared).toEqual({ ok: false, reason: 'too_large' });
    expect(res.status).toBe(413);
    const streamed = next();
    const socket = rawRequest('POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n', 'a\r\n0123456789\r\n', 'a\r\n0123456789\r\n');
    expect(await streamed).toEqual({ ok: false, reason: 'too_large' });
    socket.destroy();
  });

  it('a client that goes away before the end of its body is aborted, not too large', async () => {
    waiters = [];
    const aborted = next();
    const socket = rawRequest('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n', 'abc');
    setTimeout(() => socket.destroy(), 20);
    expect(await aborted).toEqual({ ok: false, reason: 'aborted' });
  });
});
