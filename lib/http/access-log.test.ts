import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { accessLogLine } from './access-log';
import { noteClientId } from './request-info';
import { infoLine } from '../log/logger';

function request(url: string, headers: Record<string, string> = {}, method = 'POST'): IncomingMessage {
  return { method, url, headers, socket: { remoteAddress: '10.0.0.7' } } as unknown as IncomingMessage;
}
function response(statusCode: number, writableFinished = true): ServerResponse {
  return { statusCode, writableFinished } as unknown as ServerResponse;
}

describe('access log line', () => {
  it('is one JSON line with level, time, message and the request fields, never the query string', () => {
    const req = request('/identity/connect/token?client_secret=tscs_leak');
    noteClientId(req, '0F8FAD5B-D9CB-469F-A165-70867728950E');
    const { fields, msg } = accessLogLine(false, req, response(200), 'req-12345678', performance.now() - 2.5);
    const line = infoLine(fields, msg, '2026-12-05T06:00:00.000Z');
    expect(line.endsWith('\n')).toBe(true);
    expect(line.trimEnd()).not.toContain('\n');
    const parsed = JSON.parse(line) as Record<string, unknown>;
    expect(parsed).toMatchObject({
      level: 'info',
      time: '2026-12-05T06:00:00.000Z',
      msg: 'POST /identity/connect/token 200',
      log: 'access',
      requestId: 'req-12345678',
      method: 'POST',
      path: '/identity/connect/token',
      status: 200,
      remoteAddress: '10.0.0.7',
      clientId: '0f8fad5b-d9cb-469f-a165-70867728950e',
    });
    expect(parsed.durationMs).toBeGreaterThanOrEqual(2.5);
    expect(parsed).not.toHaveProperty('aborted');
    expect(line).not.toContain('tscs_leak');
  });

  it('escapes whatever a caller puts in the path, method or forwarded address; marks an aborted answer', () => {
    const req = request('/x"y\\z\n{"injected":true}\u2028é', { 'x-forwarded-for': '1.2.3.4, "evil"\n' }, 'GE"T');
    const { fields, msg } = accessLogLine(true, req, response(400, false), 'id', performance.now());
    const line = infoLine(fields, msg, '2026-12-05T06:00:00.000Z');
    expect(line.trimEnd()).not.toContain('\n');
    const parsed = JSON.parse(line) as Record<string, unknown>;
    expect(parsed.path).toBe('/x"y\\z\n{"injected":true}\u2028é');
    expect(parsed.method).toBe('GE"T');
    expect(parsed.remoteAddress).toBe('"evil"');
    expect(parsed).not.toHaveProperty('injected');
    expect(parsed.aborted).toBe(true);
    expect(parsed).not.toHaveProperty('clientId');
  });
});
