/**
 * Two server processes on one PostgreSQL database, as behind a load balancer: a client disabled and a secret removed
 * through one instance are refused by the other within a second. PostgreSQL only: PGlite is one process per folder
 * by design (a second process refuses to start).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { eq } from 'drizzle-orm';
import { createPostgres, type DbHandle } from '../lib/db';
import { tenants } from '../lib/db/schema';
import { DEFAULT_TENANT_NAME } from '../lib/tenants/tenants';
import { createTestClient, type TestClient } from '../lib/testing/clients';
import { freshDatabase } from '../lib/testing/postgres-databases';

const BASE_URL = process.env.DATABASE_URL;
const PORTS = [3120, 3121];
const PUBLIC_URL = `http://localhost:${PORTS[0]}`;

test.describe.configure({ mode: 'serial' });
test.skip(!BASE_URL, 'needs PostgreSQL (DATABASE_URL): PGlite allows one process per data folder');

let dbUrl = '';
let handle: DbHandle;
const servers: ChildProcess[] = [];
const logs: string[] = [];

function startServer(port: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server.ts'], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      DATABASE_URL: dbUrl,
      // Shared by every instance: sessions, and the key that decrypts the shared signing keys.
      AUTH_SECRET: 'two-instances-shared-secret-0123456789',
      // The load balancer's address: tokens from either instance carry the same issuer.
      AUTH_URL: PUBLIC_URL,
      ADMIN_PASSWORD: 'two-instances-admin-pass',
      NEXT_TELEMETRY_DISABLED: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => logs.push(String(d)));
  child.stderr!.on('data', (d) => logs.push(String(d)));
  servers.push(child);
}

async function waitReady(port: number) {
  await expect
    .poll(
      async () => {
        try {
          return (await fetch(`http://localhost:${port}/identity/.well-known/openid-configuration`)).status;
        } catch {
          return 0;
        }
      },
      { timeout: 60_000, intervals: [250] },
    )
    .toBe(200);
}

async function tokenStatus(port: number, c: TestClient, secret = c.secret) {
  const res = await fetch(`http://localhost:${port}/identity/connect/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: c.clientId, client_secret: secret }),
  });
  return res.status;
}

async function accessToken(port: number, c: TestClient) {
  const res = await fetch(`http://localhost:${port}/identity/connect/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.secret }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** Milliseconds until `check` holds, polling every 20 ms; fails past `limitMs`. */
async function msUntil(check: () => Promise<boolean>, limitMs: number) {
  const start = Date.now();
  while (Date.now() - start <= limitMs) {
    if (await check()) return Date.now() - start;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`not within ${limitMs} ms`);
}

test.beforeAll(async () => {
  test.setTimeout(120_000);
  dbUrl = (await freshDatabase(BASE_URL!, '2i')).url;
  // Both start at once: the migration lock and the first-start bootstrap must cope with the race.
  for (const port of PORTS) startServer(port);
  for (const port of PORTS) await waitReady(port);
  handle = await createPostgres(dbUrl);
});

test.afterAll(async () => {
  for (const s of servers) s.kill('SIGTERM');
  await handle?.close();
});

test('a client disabled and a secret removed through one instance are refused by the other within a second', async () => {
  const [tenant] = await handle.db.select().from(tenants).where(eq(tenants.name, DEFAULT_TENANT_NAME));
  expect(tenant, 'exactly one first-start bootstrap across the two instances').toBeTruthy();
  expect(await handle.db.select().from(tenants)).toHaveLength(1);

  const automation = await createTestClient(handle.db, { tenantId: tenant.id, roleTypes: ['tenant_administrator'] });
  const target = await createTestClient(handle.db, { tenantId: tenant.id, name: 'Disabled through A' });
  const rotated = await createTestClient(handle.db, { tenantId: tenant.id, name: 'Rotated through A', secrets: [{}, {}] });
  const [a, b] = PORTS;

  // Both instances serve all three (and so have them cached).
  for (const port of PORTS) {
    expect(await tokenStatus(port, target)).toBe(200);
    expect(await tokenStatus(port, rotated, rotated.secrets[0].value)).toBe(200);
    expect(await tokenStatus(port, rotated, rotated.secrets[1].value)).toBe(200);
  }

  const token = await accessToken(a, automation);
  const api = `http://localhost:${a}/api/v1/Tenants/${tenant.id}/ClientCredentialClients`;
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };

  // Disable through instance A; instance B refuses within a second.
  const disabled = await fetch(`${api}/${target.clientId}`, { method: 'PUT', headers, body: JSON.stringify({ Enabled: false }) });
  expect(disabled.status, await disabled.clone().text()).toBe(200);
  const disableMs = await msUntil(async () => (await tokenStatus(b, target)) === 401, 1000);

  // Remove one secret through instance A; instance B refuses that secret and keeps accepting the other.
  const removed = await fetch(`${api}/${rotated.clientId}/Secrets/${rotated.secrets[0].id}`, { method: 'DELETE', headers });
  expect(removed.status).toBe(204);
  const removeMs = await msUntil(async () => (await tokenStatus(b, rotated, rotated.secrets[0].value)) === 401, 1000);
  expect(await tokenStatus(b, rotated, rotated.secrets[1].value)).toBe(200);

  // A token signed by instance A verifies on instance B (shared keys, shared issuer).
  const list = await fetch(`http://localhost:${b}/api/v1/Tenants/${tenant.id}/ClientCredentialClients?count=10`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(list.status).toBe(200);

  console.log(`two instances: disable seen by the other instance after ${disableMs} ms, secret removal after ${removeMs} ms`);
  expect(logs.join('')).not.toContain(target.secret);
});
