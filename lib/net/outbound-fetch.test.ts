import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

// The pinning test answers one made-up name with a loopback address; every other name resolves as usual.
const dnsAnswers = vi.hoisted(() => new Map<string, { address: string; family: number }[]>());
vi.mock('node:dns/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:dns/promises')>();
  const lookup = (async (host: string, options: object) => dnsAnswers.get(host) ?? real.lookup(host, options as never)) as typeof real.lookup;
  return { ...real, default: { ...real, lookup }, lookup };
});

import { isInternalAddress, isLoopbackAddress, refusedAddressReason } from './address';
import { checkOutboundUrl, fetchOutbound } from './outbound-fetch';

/**
 * A listener on every local address (IPv4 and IPv6, dual stack) that counts connections: a refused URL must never
 * reach it. Plain TCP is enough: a refusal happens before any connection, and an https attempt would connect first.
 */
let connections = 0;
let trap: net.Server;
let port: number;

beforeAll(async () => {
  trap = net.createServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => trap.listen({ port: 0, host: '::', ipv6Only: false }, resolve));
  port = (trap.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => trap.close(() => resolve()));
});
afterEach(() => {
  delete process.env.JWKS_URL_ALLOW_HTTP_LOOPBACK;
  delete process.env.OUTBOUND_ALLOW_HTTP_LOOPBACK;
  dnsAnswers.clear();
});

const fetchIt = (url: string) => fetchOutbound(url, { label: 'The URL', redirects: 'checked', timeoutMs: 2000 });

describe('addresses', () => {
  it('refuses loopback, private, unspecified and link-local addresses in every spelling, and allows public ones', () => {
    const refused = [
      '127.0.0.1', '127.9.9.9', '0.0.0.0', '10.0.0.1', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '224.0.0.1',
      '255.255.255.255', '::', '::1', 'fe80::1', 'fe80::1%eth0', 'fc00::1', 'fd00::2', 'ff02::1',
      '::ffff:127.0.0.1', '::ffff:7f00:1', '0:0:0:0:0:ffff:7f00:1', '[::ffff:7f00:1]', '::ffff:0.0.0.0', '::ffff:10.0.0.1',
      '::ffff:a9fe:a9fe', '::ffff:0:7f00:1', '64:ff9b::7f00:1', '64:ff9b::a00:1', '64:ff9b:1::1', '2002:7f00:1::1', '2002:a00:1::',
      '2001:0:4136:e378:8000:63bf:3fff:fdd2', '::7f00:1', '::127.0.0.1',
    ];
    for (const a of refused) expect(isInternalAddress(a), a).toBe(true);
    for (const a of ['8.8.8.8', '1.1.1.1', '::ffff:8.8.8.8', '2606:4700:4700::1111', '64:ff9b::808:808', '2002:808:808::1']) {
      expect(refusedAddressReason(a), a).toBeNull();
    }
    expect(refusedAddressReason('not an address')).toBe('invalid');
    expect(isLoopbackAddress('::ffff:127.0.0.1')).toBe(true);
    expect(isLoopbackAddress('10.0.0.1')).toBe(false);
  });
});

describe('refused before any connection', () => {
  it('every variant of a local address, after the URL parser normalizes it', async () => {
    const hosts = [
      '[::ffff:127.0.0.1]', // normalized by the URL parser to [::ffff:7f00:1]
      '[0:0:0:0:0:ffff:7f00:1]',
      '[::ffff:7f00:1]',
      '[::ffff:0.0.0.0]',
      '[::ffff:10.0.0.1]',
      '0.0.0.0',
      '[::]',
      '[::1]',
      '127.0.0.1',
      '2130706433', // decimal: 127.0.0.1
      '0177.0.0.1', // octal
      '0x7f.0.0.1', // hex
      '0x7f000001',
      '127.1',
      '017700000001',
      '[64:ff9b::7f00:1]', // NAT64
      '[2002:7f00:1::]', // 6to4
      'localhost', // a name that resolves to loopback
    ];
    for (const host of hosts) {
      const url = `https://${host}:${port}/jwks.json`;
      const result = await fetchIt(url);
      expect(result, url).toMatchObject({ ok: false, reason: 'refused', message: 'The URL points to a private or local network address.' });
    }
    expect(new URL(`https://2130706433:${port}/`).hostname).toBe('127.0.0.1');
    expect(new URL(`https://[::ffff:127.0.0.1]:${port}/`).hostname).toBe('[::ffff:7f00:1]');
    expect(connections).toBe(0);
  });

  it('plain http is refused unless the loopback test switch is on, and then only to loopback', async () => {
    expect(await fetchIt(`http://127.0.0.1:${port}/`)).toMatchObject({ ok: false, reason: 'url', message: 'The URL must use https.' });
    process.env.JWKS_URL_ALLOW_HTTP_LOOPBACK = '1';
    expect(await fetchIt(`http://10.0.0.1:${port}/`)).toMatchObject({ ok: false, reason: 'url' });
    expect(await fetchIt(`http://[::ffff:a00:1]:${port}/`)).toMatchObject({ ok: false, reason: 'url' });
    expect(checkOutboundUrl(`http://user:pw@127.0.0.1:${port}/`, 'The URL', 'x')).toMatchObject({ ok: false, message: 'The URL cannot contain a user name or password.' });
    expect(connections).toBe(0);
  });

  it('a redirect to a local address is refused before it is followed', async () => {
    process.env.JWKS_URL_ALLOW_HTTP_LOOPBACK = '1';
    const targets = [`https://127.0.0.1:${port}/`, `https://[::ffff:7f00:1]:${port}/`, `https://2130706433:${port}/`, `http://10.0.0.1:${port}/`];
    let served = 0;
    const redirector = http.createServer((req, res) => {
      served += 1;
      res.writeHead(302, { Location: targets[Number(req.url!.slice(1))] }).end();
    });
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}`;
      for (let i = 0; i < targets.length; i++) {
        const result = await fetchIt(`${base}/${i}`);
        expect(result, targets[i]).toMatchObject({ ok: false, reason: 'redirect' });
        expect((result as { message: string }).message).toMatch(/^The URL redirects to (a URL that is not allowed: |a private or local network address)/);
      }
      expect(served).toBe(targets.length);
      // Same-origin mode (JWKS URLs): another host is refused as such.
      const same = await fetchOutbound(`${base}/0`, { label: 'The JWKS URL', redirects: 'same-origin' });
      expect(same).toMatchObject({ ok: false, message: 'The JWKS URL redirects to another host: give the final URL.' });
    } finally {
      redirector.close();
    }
    expect(connections).toBe(0);
  });
});

describe('what is fetched', () => {
  it('connects to the address that was checked, with the name in Host (no second resolution)', async () => {
    process.env.JWKS_URL_ALLOW_HTTP_LOOPBACK = '1';
    const seen: string[] = [];
    const server = http.createServer((req, res) => {
      seen.push(req.headers.host ?? '');
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"keys":[]}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const p = (server.address() as AddressInfo).port;
      // "localhost" is what the switch allows for http; our resolver answers 127.0.0.1 for it, and the request lands
      // there. A made-up name the system resolver does not know shows that only our answer is used.
      dnsAnswers.set('localhost', [{ address: '127.0.0.1', family: 4 }]);
      expect(await fetchIt(`http://localhost:${p}/x`)).toMatchObject({ ok: true, status: 200, body: '{"keys":[]}' });
      expect(seen).toEqual([`localhost:${p}`]);
      // A name answering with one public and one private address: refused, nothing connected.
      dnsAnswers.set('mixed.invalid', [{ address: '8.8.8.8', family: 4 }, { address: '127.0.0.1', family: 4 }]);
      expect(await fetchIt(`https://mixed.invalid:${port}/`)).toMatchObject({ ok: false, reason: 'refused' });
      dnsAnswers.set('rebind.invalid', [{ address: '::ffff:7f00:1', family: 6 }]);
      expect(await fetchIt(`https://rebind.invalid:${port}/`)).toMatchObject({ ok: false, reason: 'refused' });
      expect(connections).toBe(0);
    } finally {
      server.close();
    }
  });

  it('caps the body and reports an HTTP error status without its body', async () => {
    process.env.JWKS_URL_ALLOW_HTTP_LOOPBACK = '1';
    const server = http.createServer((req, res) => {
      if (req.url === '/big') res.writeHead(200).end('x'.repeat(70 * 1024));
      else res.writeHead(500).end('secret internals');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      expect(await fetchIt(`${base}/big`)).toMatchObject({ ok: false, reason: 'size', message: 'The URL answered with more than 64 KiB.' });
      expect(await fetchIt(`${base}/err`)).toEqual({ ok: false, reason: 'status', message: 'The URL answered HTTP 500.' });
    } finally {
      server.close();
    }
  });
});
