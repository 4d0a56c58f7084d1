import { describe, expect, it } from 'vitest';
import type { DbHandle } from '../db';
import { createPostgres } from '../db';
import { dbConnectTimeoutSeconds, issuerConfigProblem, retryDelayMs, StartupError, waitForDatabase } from './startup';

describe('issuer pinning at start', () => {
  it('refuses a production start without AUTH_URL, unless AUTH_URL_FROM_HOST=1', () => {
    expect(issuerConfigProblem({ NODE_ENV: 'production' })).toMatch(/^AUTH_URL is not set\. In production the issuer must be pinned/);
    expect(issuerConfigProblem({ NODE_ENV: 'production', AUTH_URL: 'https://console.example.com' })).toBeNull();
    expect(issuerConfigProblem({ NODE_ENV: 'production', AUTH_URL_FROM_HOST: '1' })).toBeNull();
    expect(issuerConfigProblem({ NODE_ENV: 'development' })).toBeNull();
  });
});

describe('waiting for the database at start', () => {
  it('backs off from 0.5 s to 5 s', () => {
    expect([1, 2, 3, 4, 5, 6].map(retryDelayMs)).toEqual([500, 1000, 2000, 4000, 5000, 5000]);
    expect(dbConnectTimeoutSeconds({})).toBe(60);
    expect(dbConnectTimeoutSeconds({ DB_CONNECT_TIMEOUT_SECONDS: '5' })).toBe(5);
    expect(() => dbConnectTimeoutSeconds({ DB_CONNECT_TIMEOUT_SECONDS: 'soon' })).toThrow(StartupError);
  });

  it('logs one line per failed attempt naming the cause, then gives up after the bound', async () => {
    // A PostgreSQL URL whose port refuses connections.
    const handle = await createPostgres('postgres://postgres@127.0.0.1:1/none');
    const lines: string[] = [];
    let clock = 0;
    try {
      await expect(
        waitForDatabase(handle, {
          timeoutSeconds: 3,
          log: (l) => lines.push(l),
          now: () => clock,
          sleep: async (ms) => {
            clock += ms;
          },
        }),
      ).rejects.toThrow(/^database not reachable: connection refused \(ECONNREFUSED\); gave up after 3 attempts/);
    } finally {
      await handle.close();
    }
    expect(lines).toEqual([
      '[db] database not reachable (attempt 1): connection refused (ECONNREFUSED); retrying in 0.5 s',
      '[db] database not reachable (attempt 2): connection refused (ECONNREFUSED); retrying in 1 s',
    ]);
  });

  it('returns once the database answers', async () => {
    let calls = 0;
    const handle = {
      db: {
        execute: async () => {
          calls += 1;
          if (calls < 3) throw Object.assign(new Error('the database system is starting up'), { code: '57P03', severity: 'FATAL' });
          return { rows: [] };
        },
      },
    } as unknown as DbHandle;
    const lines: string[] = [];
    const r = await waitForDatabase(handle, { timeoutSeconds: 60, log: (l) => lines.push(l), sleep: async () => {} });
    expect(r.attempts).toBe(3);
    expect(lines[0]).toBe('[db] database not reachable (attempt 1): the database server is starting up (57P03); retrying in 0.5 s');
    expect(lines[2]).toBe('[db] database reachable after 3 attempts');
  });
});
