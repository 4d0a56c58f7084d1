import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../db';
import { auditEvents, clientRoles, clients, clientSecrets } from '../db/schema';
import { createTestCommunity } from '../clients/test-helpers';
import { hashSecret, isWellFormedSecret, secretHashesEqual } from '../secrets/secret';
import { createTestDb } from '../testing/db';
import { startApiTestServer } from './testing/api-server';
import { apiClient, apiTenant, type ApiServer } from './testing/fixtures';
import type { ApiErrorBody as ErrorBody } from '../http/api-answers';

let h: DbHandle;
let srv: ApiServer;
let api: ReturnType<typeof apiClient>;
let t: Awaited<ReturnType<typeof apiTenant>>;
let other: Awaited<ReturnType<typeof apiTenant>>;
let token: string;
let otherToken: string;

type Client = { Id: string; Name: string; Enabled: boolean; AccessTokenLifetime: number; RoleIds: string[]; CreatedBy: string };
type Created = Client & { ClientSecret: string; SecretId: number; SecretDescription: string; SecretExpirationDate: string | null };

const base = (tenantId: string) => `/api/v1/Tenants/${tenantId}/ClientCredentialClients`;

beforeAll(async () => {
  h = await createTestDb();
  srv = await startApiTestServer(h);
  api = apiClient(srv);
  t = await apiTenant(h, 'Clients API');
  other = await apiTenant(h, 'Clients API other');
  token = await api.tokenFor(t.adminClient);
  otherToken = await api.tokenFor(other.adminClient);
});
afterAll(async () => {
  await srv?.close();
  await h?.close();
});

const post = (body: unknown, tenantId = t.tenantId, tk = token) => api.call('POST', base(tenantId), { token: tk, json: body });

async function nothingWritten(clientId: string) {
  expect(await h.db.select().from(clients).where(eq(clients.id, clientId))).toHaveLength(0);
  expect(await h.db.select().from(auditEvents).where(eq(auditEvents.targetId, clientId))).toHaveLength(0);
}

describe('POST ClientCredentialClients', () => {
  it('201 with the one-time secret; Tenant Member, defaults, Location, no-store; audit says API and which client', async () => {
    const res = await post({ Name: '  Historian  ' });
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const c = res.body as Created;
    expect(c).toMatchObject({ Name: 'Historian', Enabled: true, AccessTokenLifetime: 3600, RoleIds: [t.roleId('tenant_member')] });
    expect(c.Id).toMatch(/^[0-9a-f-]{36}$/);
    expect(isWellFormedSecret(c.ClientSecret)).toBe(true);
    expect(res.headers.get('location')).toBe(`${base(t.tenantId)}/${c.Id}`);
    expect(c.CreatedBy).toBe(`client:${t.adminClient.clientId}`);
    // The console's default: the first secret expires one year from now.
    const inAYear = new Date();
    inAYear.setUTCFullYear(inAYear.getUTCFullYear() + 1);
    expect(Math.abs(new Date(c.SecretExpirationDate!).getTime() - inAYear.getTime())).toBeLessThan(60_000);

    const [secretRow] = await h.db.select().from(clientSecrets).where(eq(clientSecrets.clientId, c.Id));
    expect(secretRow.id).toBe(c.SecretId);
    expect(secretHashesEqual(secretRow.secretHash, hashSecret(c.ClientSecret))).toBe(true);
    const [event] = await h.db.select().from(auditEvents).where(eq(auditEvents.targetId, c.Id));
    expect(event).toMatchObject({
      action: 'client.created',
      actor: `client:${t.adminClient.clientId}`,
      actorType: 'client',
      tenantId: t.tenantId,
      details: expect.objectContaining({ via: 'api' }),
    });
    expect(JSON.stringify(event)).not.toContain(c.ClientSecret);

    // The new client's secret works at the token endpoint.
    expect(await api.tokenFor({ clientId: c.Id, secret: c.ClientSecret })).toMatch(/^ey/);
  });

  it('takes every field: Id, token lifetime, tenant and community roles, secret description and expiration', async () => {
    const { role: communityRole } = await createTestCommunity(h.db, t.tenantId);
    const id = randomUUID().toUpperCase();
    const expiration = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const res = await post({
      Id: id,
      Name: 'Full',
      AccessTokenLifetime: 900,
      RoleIds: [t.roleId('tenant_contributor'), communityRole.id],
      SecretDescription: 'for the historian',
      SecretExpirationDate: expiration,
      Tags: ['ignored'],
    });
    expect(res.status).toBe(201);
    const c = res.body as Created;
    expect(c.Id).toBe(id.toLowerCase());
    expect(c.AccessTokenLifetime).toBe(900);
    expect([...c.RoleIds].sort()).toEqual([t.roleId('tenant_member'), t.roleId('tenant_contributor'), communityRole.id].sort());
    expect(c).toMatchObject({ SecretDescription: 'for the historian', SecretExpirationDate: expiration });
  });

  it('SecretExpirationDate null: a secret that never expires', async () => {
    const res = await post({ Name: 'Forever', SecretExpirationDate: null });
    expect(res.status).toBe(201);
    expect((res.body as Created).SecretExpirationDate).toBeNull();
    const [s] = await h.db.select().from(clientSecrets).where(eq(clientSecrets.clientId, (res.body as Created).Id));
    expect(s.expiresAt).toBeNull();
  });

  it('409 when the Id exists, in this tenant or another; nothing more is written', async () => {
    const id = randomUUID();
    expect((await post({ Id: id, Name: 'First' })).status).toBe(201);
    const again = await post({ Id: id, Name: 'Second' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ Error: 'Conflict.', Errors: { Id: expect.any(String) } });
    expect(await h.db.select().from(clientSecrets).where(eq(clientSecrets.clientId, id))).toHaveLength(1);
    const cross = await post({ Id: other.adminClient.clientId, Name: 'Taken elsewhere' });
    expect(cross.status).toBe(409);
  });

  describe('400 with the API field names, nothing written', () => {
    const cases: [string, Record<string, unknown>, string, RegExp][] = [
      ['no Name', {}, 'Name', /Enter a name/],
      ['an empty Name', { Name: '  ' }, 'Name', /Enter a name/],
      ['a 101-character Name', { Name: 'x'.repeat(101) }, 'Name', /at most 100/],
      ['a Name with a tab', { Name: 'a\tb' }, 'Name', /control characters/],
      ['a number as Name', { Name: 42 }, 'Name', /Enter a name/],
      ['AccessTokenLifetime 59', { Name: 'n', AccessTokenLifetime: 59 }, 'AccessTokenLifetime', /60 to 3600/],
      ['AccessTokenLifetime 3601', { Name: 'n', AccessTokenLifetime: 3601 }, 'AccessTokenLifetime', /60 to 3600/],
      ['AccessTokenLifetime 60.5', { Name: 'n', AccessTokenLifetime: 60.5 }, 'AccessTokenLifetime', /60 to 3600/],
      ['a malformed role id', { Name: 'n', RoleIds: ['admin'] }, 'RoleIds', /roles from the list/],
      ['RoleIds not a list', { Name: 'n', RoleIds: 'x' }, 'RoleIds', /roles from the list/],
      ['an unknown role id', { Name: 'n', RoleIds: [randomUUID()] }, 'RoleIds', /do not exist/],
      ['a past expiration', { Name: 'n', SecretExpirationDate: '2001-01-01T00:00:00Z' }, 'SecretExpirationDate', /future/],
      ['an unreadable expiration', { Name: 'n', SecretExpirationDate: 'next tuesday' }, 'SecretExpirationDate', /expiration date/],
      ['a number as expiration', { Name: 'n', SecretExpirationDate: 5 }, 'SecretExpirationDate', /./],
      ['a long description', { Name: 'n', SecretDescription: 'd'.repeat(201) }, 'SecretDescription', /at most 200/],
      ['Enabled not a boolean', { Name: 'n', Enabled: 'yes' }, 'Enabled', /true or false/],
      ['an Id that is not a GUID', { Name: 'n', Id: 'client-1' }, 'Id', /GUID/],
    ];
    for (const [label, body, field, message] of cases) {
      it(label, async () => {
        const id = randomUUID();
        const res = await post({ Id: id, ...body });
        expect(res.status).toBe(400);
        const err = res.body as ErrorBody;
        expect(err.Error).toBe('Missing or invalid inputs.');
        expect(err.Errors?.[field]).toMatch(message);
        expect(err.Reason).toContain(field);
        await nothingWritten(id);
      });
    }

    it('another tenant\'s role is refused like an unknown one', async () => {
      const res = await post({ Name: 'n', RoleIds: [other.roleId('tenant_contributor')] });
      expect(res.status).toBe(400);
      expect((res.body as ErrorBody).Errors?.RoleIds).toMatch(/do not exist/);
    });

    it('every bad field at once', async () => {
      const res = await post({ Name: '', AccessTokenLifetime: 5, RoleIds: ['x'], SecretExpirationDate: '2000-01-01', Enabled: 1 });
      expect(Object.keys((res.body as ErrorBody).Errors ?? {}).sort()).toEqual(
        ['AccessTokenLifetime', 'Enabled', 'Name', 'RoleIds', 'SecretExpirationDate'].sort(),
      );
    });
  });

  it('400 with a clear reason when the tenant has 50,000 clients', async () => {
    const full = await apiTenant(h, 'Full');
    const fullToken = await api.tokenFor(full.adminClient);
    await h.db.execute(sql`insert into clients (tenant_id, name, created_by, updated_by)
      select ${full.tenantId}::uuid, 'seed ' || g, 'seed', 'seed' from generate_series(1, 49998) g`);
    const res = await post({ Name: 'One too many' }, full.tenantId, fullToken);
    expect(res.status).toBe(400);
    expect((res.body as ErrorBody).Reason).toMatch(/limit of 50,000 clients/);
    const listed = await api.call('GET', `${base(full.tenantId)}?count=1`, { token: fullToken });
    expect(listed.headers.get('total-count')).toBe('50000');
  }, 120_000);
});

describe('GET ClientCredentialClients', () => {
  it('lists the tenant\'s clients oldest first with Total-Count; skip/count page; count defaults to 100', async () => {
    const tt = await apiTenant(h, 'Paging');
    const tk = await api.tokenFor(tt.adminClient);
    await h.db.execute(sql`insert into clients (tenant_id, name, created_by, updated_by, created_at)
      select ${tt.tenantId}::uuid, 'bulk ' || lpad(g::text, 3, '0'), 'seed', 'seed', now() + g * interval '1 second'
      from generate_series(1, 103) g`);
    // 2 fixtures + 103 bulk clients.
    const first = await api.call('GET', base(tt.tenantId), { token: tk });
    expect(first.status).toBe(200);
    expect(first.headers.get('total-count')).toBe('105');
    const rows = first.body as Client[];
    expect(rows).toHaveLength(100);
    expect(rows.slice(2, 4).map((r) => r.Name)).toEqual(['bulk 001', 'bulk 002']);

    const page = await api.call('GET', `${base(tt.tenantId)}?skip=101&count=3`, { token: tk });
    expect((page.body as Client[]).map((r) => r.Name)).toEqual(['bulk 100', 'bulk 101', 'bulk 102']);
    expect(page.headers.get('total-count')).toBe('105');
    const past = await api.call('GET', `${base(tt.tenantId)}?skip=500`, { token: tk });
    expect(past.body).toEqual([]);
    expect(past.headers.get('total-count')).toBe('105');
  });

  it('lists only the caller\'s tenant, with role ids and no secrets', async () => {
    const created = (await post({ Name: 'Listed' })).body as Created;
    const res = await api.call('GET', `${base(t.tenantId)}?count=1000`, { token });
    const rows = res.body as Client[];
    expect(rows.some((r) => r.Id === created.Id)).toBe(true);
    expect(rows.some((r) => r.Id === other.adminClient.clientId)).toBe(false);
    expect(rows.find((r) => r.Id === t.adminClient.clientId)?.RoleIds).toContain(t.roleId('tenant_administrator'));
    expect(res.text).not.toContain(created.ClientSecret);
    expect(res.text).not.toContain('tscs_');
    const otherList = await api.call('GET', `${base(other.tenantId)}?count=1000`, { token: otherToken });
    expect((otherList.body as Client[]).some((r) => r.Id === created.Id)).toBe(false);
  });

  it('400 for a bad skip or count', async () => {
    for (const q of ['skip=-1', 'skip=abc', 'count=0', 'count=1001', 'count=2.5', 'skip=1e99']) {
      const res = await api.call('GET', `${base(t.tenantId)}?${q}`, { token });
      expect(res.status, q).toBe(400);
      expect((res.body as ErrorBody).Reason).toMatch(/skip|count/);
    }
  });
});

describe('GET ClientCredentialClients/{clientId}', () => {
  it('the client, with an ETag and never a secret', async () => {
    const created = (await post({ Name: 'Single', RoleIds: [t.roleId('tenant_viewer')] })).body as Created;
    const res = await api.call('GET', `${base(t.tenantId)}/${created.Id}`, { token });
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe('"1"');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toMatchObject({ Id: created.Id, Name: 'Single', Enabled: true, AccessTokenLifetime: 3600 });
    expect((res.body as Client).RoleIds.sort()).toEqual([t.roleId('tenant_member'), t.roleId('tenant_viewer')].sort());
    expect(res.text).not.toContain('tscs_');
    // Upper-case ids name the same client.
    expect((await api.call('GET', `${base(t.tenantId)}/${created.Id.toUpperCase()}`, { token })).status).toBe(200);
  });

  it('404 for an unknown id, another tenant\'s id and a malformed id, with the same body', async () => {
    const answers = await Promise.all(
      [randomUUID(), other.adminClient.clientId, 'not-a-guid', '%20'].map((id) =>
        api.call('GET', `${base(t.tenantId)}/${id}`, { token }),
      ),
    );
    const withoutOperationId = (body: unknown) => ({ ...(body as ErrorBody), OperationId: undefined });
    for (const res of answers) {
      expect(res.status).toBe(404);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(withoutOperationId(res.body)).toEqual(withoutOperationId(answers[0].body));
    }
  });
});

describe('client roles in the database stay consistent', () => {
  it('a created client has exactly the roles it reports', async () => {
    const created = (await post({ Name: 'Roles check', RoleIds: [t.roleId('tenant_data_steward')] })).body as Created;
    const rows = await h.db.select().from(clientRoles).where(and(eq(clientRoles.clientId, created.Id)));
    expect(rows.map((r) => r.roleId).sort()).toEqual([...created.RoleIds].sort());
  });
});

describe('POST with Enabled false', () => {
  it('the client is created disabled: its secret gets no token', async () => {
    const res = await post({ Name: 'Starts disabled', Enabled: false });
    expect(res.status).toBe(201);
    const c = res.body as Created;
    expect(c.Enabled).toBe(false);
    const [row] = await h.db.select().from(clients).where(eq(clients.id, c.Id));
    expect(row.enabled).toBe(false);
    // One transaction, one audit event: it never existed enabled.
    expect(row.version).toBe(1);
    const events = await h.db.select().from(auditEvents).where(eq(auditEvents.targetId, c.Id));
    expect(events).toEqual([expect.objectContaining({ action: 'client.created', details: expect.objectContaining({ enabled: false, via: 'api' }) })]);
    await expect(api.tokenFor({ clientId: c.Id, secret: c.ClientSecret })).rejects.toThrow(/401/);
  });
});

describe('PUT ClientCredentialClients/{clientId}', () => {
  const put = (id: string, body: unknown, headers: Record<string, string> = {}) =>
    api.call('PUT', `${base(t.tenantId)}/${id}`, { token, json: body, headers });

  it('edits name, token lifetime, roles and Enabled; audited as the API client; a disabled client gets no token', async () => {
    const created = (await post({ Name: 'Before', RoleIds: [t.roleId('tenant_contributor')] })).body as Created;
    const res = await put(created.Id, {
      Name: 'After',
      AccessTokenLifetime: 120,
      RoleIds: [t.roleId('tenant_viewer')],
      Enabled: false,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ Id: created.Id, Name: 'After', AccessTokenLifetime: 120, Enabled: false, ModifiedBy: `client:${t.adminClient.clientId}` });
    expect((res.body as Client).RoleIds.sort()).toEqual([t.roleId('tenant_member'), t.roleId('tenant_viewer')].sort());
    expect(res.headers.get('etag')).toBe('"3"');

    const events = await h.db.select().from(auditEvents).where(eq(auditEvents.targetId, created.Id));
    expect(events.map((e) => e.action).sort()).toEqual(['client.created', 'client.disabled', 'client.updated']);
    for (const e of events) expect(e).toMatchObject({ actor: `client:${t.adminClient.clientId}`, actorType: 'client', details: expect.objectContaining({ via: 'api' }) });

    // Disabled: the token endpoint refuses its secret at once (the API refusing its tokens is the next test).
    await expect(api.tokenFor({ clientId: created.Id, secret: created.ClientSecret })).rejects.toThrow(/401/);

    const again = await put(created.Id, { Name: 'After', Enabled: true });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ Enabled: true, AccessTokenLifetime: 120 });
    expect(await api.tokenFor({ clientId: created.Id, secret: created.ClientSecret })).toMatch(/^ey/);
  });

  it('disabling an administrator client through the API makes its own token a 401', async () => {
    const adminRole = t.roleId('tenant_administrator');
    const created = (await post({ Name: 'Second admin', RoleIds: [adminRole] })).body as Created;
    const itsToken = await api.tokenFor({ clientId: created.Id, secret: created.ClientSecret });
    expect((await api.call('GET', base(t.tenantId), { token: itsToken })).status).toBe(200);
    expect((await put(created.Id, { Name: 'Second admin', Enabled: false })).status).toBe(200);
    const refused = await api.call('GET', base(t.tenantId), { token: itsToken });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('fields left out keep their values', async () => {
    const created = (await post({ Name: 'Keep', AccessTokenLifetime: 600, RoleIds: [t.roleId('tenant_viewer')], Enabled: false })).body as Created;
    const res = await put(created.Id, { Name: 'Kept' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ Name: 'Kept', AccessTokenLifetime: 600, Enabled: false });
    expect((res.body as Client).RoleIds.sort()).toEqual([...created.RoleIds].sort());
    const nameLeftOut = await put(created.Id, { Enabled: true });
    expect(nameLeftOut.status).toBe(200);
    expect(nameLeftOut.body).toMatchObject({ Name: 'Kept', AccessTokenLifetime: 600, Enabled: true });
  });

  it('400 with API field names for invalid fields; nothing changes', async () => {
    const created = (await post({ Name: 'Valid' })).body as Created;
    const res = await put(created.Id, { Name: '', AccessTokenLifetime: 10, RoleIds: [other.roleId('tenant_viewer')], Enabled: 'no' });
    expect(res.status).toBe(400);
    expect(Object.keys((res.body as ErrorBody).Errors ?? {}).sort()).toEqual(['AccessTokenLifetime', 'Enabled', 'Name']);
    const roles = await put(created.Id, { Name: 'Valid', RoleIds: [other.roleId('tenant_viewer')] });
    expect(roles.status).toBe(400);
    expect((roles.body as ErrorBody).Errors?.RoleIds).toMatch(/do not exist/);
    const [row] = await h.db.select().from(clients).where(eq(clients.id, created.Id));
    expect(row).toMatchObject({ name: 'Valid', version: 1, enabled: true });
    expect((await put(created.Id, [])).status).toBe(400);
  });

  it('If-Match: the current ETag passes, an older one is 412 and changes nothing', async () => {
    const created = (await post({ Name: 'Versioned' })).body as Created;
    const got = await api.call('GET', `${base(t.tenantId)}/${created.Id}`, { token });
    const tag = got.headers.get('etag')!;
    const first = await put(created.Id, { Name: 'V2' }, { 'If-Match': tag });
    expect(first.status).toBe(200);
    const stale = await put(created.Id, { Name: 'V3' }, { 'If-Match': tag });
    expect(stale.status).toBe(412);
    expect(stale.body).toMatchObject({ Error: 'Precondition failed.' });
    expect((await put(created.Id, { Name: 'V3' }, { 'If-Match': 'garbage' })).status).toBe(412);
    const [row] = await h.db.select().from(clients).where(eq(clients.id, created.Id));
    expect(row.name).toBe('V2');
    expect((await put(created.Id, { Name: 'V3' }, { 'If-Match': first.headers.get('etag')! })).status).toBe(200);
  });

  it('404 for unknown and other tenants\' clients; the other tenant\'s client is untouched', async () => {
    expect((await put(randomUUID(), { Name: 'x' })).status).toBe(404);
    expect((await put(other.plainClient.clientId, { Name: 'Hijacked' })).status).toBe(404);
    const [row] = await h.db.select().from(clients).where(eq(clients.id, other.plainClient.clientId));
    expect(row.name).not.toBe('Hijacked');
  });
});

describe('DELETE ClientCredentialClients/{clientId}', () => {
  it('204; the client, its roles and secrets are gone; audited; GET and a second DELETE are 404', async () => {
    const created = (await post({ Name: 'Doomed', RoleIds: [t.roleId('tenant_viewer')] })).body as Created;
    const res = await api.call('DELETE', `${base(t.tenantId)}/${created.Id}`, { token });
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await h.db.select().from(clients).where(eq(clients.id, created.Id))).toHaveLength(0);
    expect(await h.db.select().from(clientRoles).where(eq(clientRoles.clientId, created.Id))).toHaveLength(0);
    expect(await h.db.select().from(clientSecrets).where(eq(clientSecrets.clientId, created.Id))).toHaveLength(0);
    const [event] = await h.db.select().from(auditEvents).where(and(eq(auditEvents.targetId, created.Id), eq(auditEvents.action, 'client.removed')));
    expect(event).toMatchObject({ actor: `client:${t.adminClient.clientId}`, details: expect.objectContaining({ via: 'api', name: 'Doomed' }) });
    expect((await api.call('GET', `${base(t.tenantId)}/${created.Id}`, { token })).status).toBe(404);
    expect((await api.call('DELETE', `${base(t.tenantId)}/${created.Id}`, { token })).status).toBe(404);
    await expect(api.tokenFor({ clientId: created.Id, secret: created.ClientSecret })).rejects.toThrow(/401/);
  });

  it('another tenant\'s client: 404 and it stays', async () => {
    expect((await api.call('DELETE', `${base(t.tenantId)}/${other.plainClient.clientId}`, { token })).status).toBe(404);
    expect(await h.db.select().from(clients).where(eq(clients.id, other.plainClient.clientId))).toHaveLength(1);
  });
});
