import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '../db';
import { auditEvents, clientApiAccess, clients } from '../db/schema';
import type { Actor } from '../actions/admin-action';
import type { TestTenant } from '../testing/db';
import { withTwoTenants } from '../testing/tenants-fixture';
import { createTestClient } from '../testing/clients';
import { notifyClientChanged } from '../tokens/invalidation';
import { createApi, getApi, listApis, removeApi, updateApi } from './apis';
import { listClientApiAccess, setClientApiAccess } from '../clients/api-access';

// Identifiers are unique across tenants and PostgreSQL test runs share one database: each run uses its own.
const RUN = randomUUID().slice(0, 8);

vi.mock('../tokens/invalidation', () => ({ notifyClientChanged: vi.fn(async () => {}), notifyAllClientsChanged: vi.fn(async () => {}) }));
const notified = () => vi.mocked(notifyClientChanged).mock.calls.map((c) => c[0]).sort();
beforeEach(() => vi.mocked(notifyClientChanged).mockClear());

let db: Db;
let t: TestTenant;
let other: TestTenant;
let actor: Actor;
let otherActor: Actor;

withTwoTenants('APIs', (s) => ({ db, t, other, actor, otherActor } = s));

describe('APIs', () => {
  it('adds, lists, edits and removes an API, each audited; the identifier is unique across tenants', async () => {
    const created = await createApi(db, actor, { name: 'Orders', identifier: `https://orders-${RUN}.example.com`, scopes: 'orders:read orders:write orders:read' });
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    expect(await getApi(db, t.tenantId, created.data.id)).toMatchObject({ name: 'Orders', scopes: ['orders:read', 'orders:write'], clientCount: 0 });
    expect(await getApi(db, other.tenantId, created.data.id)).toBeNull();
    const taken = { ok: false, code: 'conflict', fieldErrors: { identifier: expect.stringMatching(/^This identifier is already in use by another API\./) } };
    expect(await createApi(db, actor, { name: 'Orders 2', identifier: `https://orders-${RUN}.example.com` })).toMatchObject(taken);
    // Another tenant cannot take it either: its clients' tokens for it (same issuer and keys) would be accepted by this
    // tenant's resource server for https://orders.example.com.
    expect(await createApi(db, otherActor, { name: 'Orders', identifier: `https://orders-${RUN}.example.com` })).toMatchObject(taken);
    expect((await createApi(db, otherActor, { name: 'Orders', identifier: `https://orders.other-${RUN}.example.com` })).ok).toBe(true);

    const edited = await updateApi(db, actor, { id: created.data.id, version: 1, name: 'Orders API', scopes: ['orders:read', 'orders:admin'] });
    expect(edited).toMatchObject({ ok: true, data: { version: 2, changed: true } });
    expect(await updateApi(db, actor, { id: created.data.id, version: 1, name: 'Stale', scopes: [] })).toMatchObject({ ok: false, code: 'conflict' });
    expect((await listApis(db, t.tenantId)).map((a) => a.name)).toEqual(['Orders API']);

    const removed = await removeApi(db, actor, { id: created.data.id });
    expect(removed).toMatchObject({ ok: true, data: { name: 'Orders API', clientCount: 0 } });
    expect(await removeApi(db, actor, { id: created.data.id })).toMatchObject({ ok: false, code: 'not_found' });
    const events = await db.select({ action: auditEvents.action }).from(auditEvents).where(eq(auditEvents.targetId, created.data.id));
    expect(events.map((e) => e.action).sort()).toEqual(['api.created', 'api.removed', 'api.updated']);
  });

  it('refuses bad identifiers and scopes at the field', async () => {
    expect(await createApi(db, actor, { name: 'X', identifier: 'orders' })).toMatchObject({ ok: false, fieldErrors: { identifier: expect.stringMatching(/absolute URI/) } });
    expect(await createApi(db, actor, { name: 'X', identifier: 'https://x.example.com/#frag' })).toMatchObject({ ok: false, fieldErrors: { identifier: expect.stringMatching(/fragment/) } });
    expect(await createApi(db, actor, { name: 'X', identifier: 'https://x.example.com', scopes: 'openid' })).toMatchObject({
      ok: false,
      fieldErrors: { scopes: 'openid is an OpenID Connect scope, not an API\'s.' },
    });
    expect(await createApi(db, actor, { name: 'X', identifier: 'https://x.example.com', scopes: 'a"b' })).toMatchObject({ ok: false, fieldErrors: { scopes: expect.any(String) } });
    expect(await createApi(db, actor, { name: '', identifier: 'https://x.example.com' })).toMatchObject({ ok: false, fieldErrors: { name: 'Enter a name.' } });
  });
});

describe("a client's API access", () => {
  it('replaces the list, checks APIs and scopes belong to the tenant, bumps the version, audits and drops the cached client', async () => {
    const client = await createTestClient(db, { tenantId: t.tenantId });
    const a = await createApi(db, actor, { name: 'Billing', identifier: `https://billing-${RUN}.example.com`, scopes: 'invoices:read invoices:write' });
    const b = await createApi(db, actor, { name: 'Reports', identifier: `urn:example:reports-${RUN}` });
    const foreign = await createApi(db, otherActor, { name: 'Theirs', identifier: `https://theirs-${RUN}.example.com` });
    if (!a.ok || !b.ok || !foreign.ok) throw new Error('setup');

    const set = await setClientApiAccess(db, actor, {
      clientId: client.clientId,
      access: [
        { apiId: a.data.id, scopes: ['invoices:read'] },
        { apiId: b.data.id, scopes: null },
      ],
    });
    expect(set).toEqual({ ok: true, data: { clientId: client.clientId, changed: true } });
    // The same list with the ids in upper case: the same APIs, nothing changes.
    expect(
      await setClientApiAccess(db, actor, {
        clientId: client.clientId,
        access: [
          { apiId: a.data.id.toUpperCase(), scopes: ['invoices:read'] },
          { apiId: b.data.id.toUpperCase(), scopes: null },
        ],
      }),
    ).toEqual({ ok: true, data: { clientId: client.clientId, changed: false } });
    expect(notified()).toEqual([client.clientId]);
    expect(await listClientApiAccess(db, t.tenantId, client.clientId)).toEqual([
      { apiId: a.data.id, name: 'Billing', identifier: `https://billing-${RUN}.example.com`, scopes: ['invoices:read'], apiScopes: ['invoices:read', 'invoices:write'] },
      { apiId: b.data.id, name: 'Reports', identifier: `urn:example:reports-${RUN}`, scopes: null, apiScopes: [] },
    ]);
    const [row] = await db.select({ version: clients.version }).from(clients).where(eq(clients.id, client.clientId));
    expect(row.version).toBe(2);

    expect(await setClientApiAccess(db, actor, { clientId: client.clientId, access: [{ apiId: foreign.data.id, scopes: null }] })).toMatchObject({ ok: false, fieldErrors: { access: expect.stringMatching(/not found/) } });
    expect(await setClientApiAccess(db, actor, { clientId: client.clientId, access: [{ apiId: a.data.id, scopes: ['nope'] }] })).toMatchObject({ ok: false, fieldErrors: { access: `https://billing-${RUN}.example.com has no scope nope.` } });
    expect(await setClientApiAccess(db, otherActor, { clientId: client.clientId, access: [] })).toMatchObject({ ok: false, code: 'not_found' });
    expect((await db.select().from(clientApiAccess).where(eq(clientApiAccess.clientId, client.clientId))).length).toBe(2);

    // Changing an API's scopes or removing it drops the clients that may use it.
    vi.mocked(notifyClientChanged).mockClear();
    await updateApi(db, actor, { id: a.data.id, version: 1, name: 'Billing', scopes: 'invoices:read' });
    expect(notified()).toEqual([client.clientId]);
    vi.mocked(notifyClientChanged).mockClear();
    expect(await removeApi(db, actor, { id: b.data.id })).toMatchObject({ ok: true, data: { clientCount: 1 } });
    expect(notified()).toEqual([client.clientId]);
    expect((await listClientApiAccess(db, t.tenantId, client.clientId)).map((x) => x.name)).toEqual(['Billing']);
  });

  it('with the version the form was based on: a save based on an older version is refused and changes nothing', async () => {
    const client = await createTestClient(db, { tenantId: t.tenantId });
    const api = await createApi(db, actor, { name: 'Ledger', identifier: `https://ledger-${RUN}.example.com` });
    if (!api.ok) throw new Error('setup');
    const first = await setClientApiAccess(db, actor, { clientId: client.clientId, version: 1, access: [{ apiId: api.data.id, scopes: null }] });
    expect(first).toMatchObject({ ok: true, data: { changed: true } });
    // A second pane opened before that save still says version 1: refused, with who changed it.
    const stale = await setClientApiAccess(db, actor, { clientId: client.clientId, version: 1, access: [] });
    expect(stale).toMatchObject({ ok: false, code: 'conflict' });
    expect(JSON.stringify(stale)).toContain(actor.label);
    expect((await listClientApiAccess(db, t.tenantId, client.clientId)).map((x) => x.name)).toEqual(['Ledger']);
    // Based on the current version it is saved; without a version (the REST API) there is no check.
    expect(await setClientApiAccess(db, actor, { clientId: client.clientId, version: 2, access: [] })).toMatchObject({ ok: true, data: { changed: true } });
    expect(await setClientApiAccess(db, actor, { clientId: client.clientId, access: [{ apiId: api.data.id, scopes: null }] })).toMatchObject({ ok: true });
    expect(await setClientApiAccess(db, actor, { clientId: client.clientId, version: 0, access: [] })).toMatchObject({ ok: false, fieldErrors: { version: expect.any(String) } });
  });
});
