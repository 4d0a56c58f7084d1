import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { CLIENT_ADDRESS_HEADER, requestClientAddress, stampClientAddress } from './client-address';

const request = (headers: Record<string, string>, remoteAddress = '127.0.0.1') =>
  ({ headers: { ...headers }, socket: { remoteAddress } }) as unknown as IncomingMessage;

describe('client address', () => {
  it('is the socket peer, whatever X-Forwarded-For or our own header a caller forges, without TRUST_PROXY', () => {
    const req = request({ 'x-forwarded-for': '203.0.113.7', [CLIENT_ADDRESS_HEADER]: '198.51.100.1' }, '10.1.2.3');
    stampClientAddress(req, {} as NodeJS.ProcessEnv);
    expect(req.headers[CLIENT_ADDRESS_HEADER]).toBe('10.1.2.3');
    expect(requestClientAddress(new Headers(req.headers as Record<string, string>))).toBe('10.1.2.3');
  });

  it('is the last X-Forwarded-For hop (the one our proxy added) with TRUST_PROXY=1', () => {
    const req = request({ 'x-forwarded-for': '203.0.113.7, 192.0.2.44' }, '10.1.2.3');
    stampClientAddress(req, { TRUST_PROXY: '1' } as unknown as NodeJS.ProcessEnv);
    expect(req.headers[CLIENT_ADDRESS_HEADER]).toBe('192.0.2.44');
  });

  it('is "unknown" for a request that did not pass through server.ts', () => {
    expect(requestClientAddress(new Headers())).toBe('unknown');
  });
});
