import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../db';
import { auditEvents } from '../db/schema';
import { createTestDb } from '../testing/db';
import { startApiTestServer } from './testing/api-server';
import { apiClient, apiTenant, type ApiServer } from './testing/fixtures';

let h: DbHandle;
let srv: ApiServer;
let api: ReturnType<typeof apiClient>;
let t: Awaited<ReturnType<typeof apiTenant>>;
let other: Awaited<ReturnType<typeof apiTenant>>;
let token: string;

const channelsPath = (tenantId: string) => `/api/v1/Tenants/${tenantId}/NotificationChannels`;
type Channel = { Id: string; Type: string; Name: string; Url: string | null; SigningSecretHint: string | null; SigningSecret?: string | null; EventTypes: string[]; Enabled: boolean };

beforeAll(async () => {
  h = await createTestDb();
  srv = await startApiTestServer(h);
  api = apiClient(srv);
  t = await apiTenant(h, 'Channels API');
  other = await apiTenant(h, 'Channels API other');
  token = await api.tokenFor(t.adminClient);
});
afterAll(async () => {
  await srv?.close();
  await h?.close();
});

describe('NotificationChannels', () => {
  it('adds a webhook (secret once), lists, gets, changes and removes it, audited; other tenants and non-admins cannot', async () => {
    const created = await api.call('POST', channelsPath(t.tenantId), {
      token,
      json: { Type: 'Webhook', Name: 'Pager', Url: 'https://hooks.example.com/tsc', EventTypes: ['secret.expiring', 'audit.*'] },
    });
    expect(created.status).toBe(201);
    const body = created.body as Channel;
    expect(body).toMatchObject({ Type: 'Webhook', Name: 'Pager', Url: 'https://hooks.example.com/tsc', Enabled: true, EventTypes: ['secret.expiring', 'audit.*'] });
    expect(body.SigningSecret).toMatch(/^whsec_/);
    expect(body.SigningSecretHint).toBe(`${body.SigningSecret!.slice(0, 10)}…`);
    expect(created.headers.get('location')).toBe(`${channelsPath(t.tenantId)}/${body.Id}`);

    const list = await api.call('GET', channelsPath(t.tenantId), { token });
    expect(list.status).toBe(200);
    expect(list.headers.get('total-count')).toBe('1');
    expect(list.text).not.toContain(body.SigningSecret!);
    const got = await api.call('GET', `${channelsPath(t.tenantId)}/${body.Id}`, { token });
    expect(got.body).not.toHaveProperty('SigningSecret');

    const put = await api.call('PUT', `${channelsPath(t.tenantId)}/${body.Id}`, { token, json: { Name: 'Pager 2', Url: 'https://hooks.example.com/v2', EventTypes: ['secret.expired'], Enabled: false } });
    expect(put).toMatchObject({ status: 200, body: { Name: 'Pager 2', Url: 'https://hooks.example.com/v2', Enabled: false, EventTypes: ['secret.expired'] } });

    const otherToken = await api.tokenFor(other.adminClient);
    expect((await api.call('GET', `${channelsPath(other.tenantId)}/${body.Id}`, { token: otherToken })).status).toBe(404);
    expect((await api.call('GET', channelsPath(t.tenantId), { token: otherToken })).status).toBe(403);
    expect((await api.call('GET', channelsPath(t.tenantId), { token: await api.tokenFor(t.plainClient) })).status).toBe(403);

    expect((await api.call('DELETE', `${channelsPath(t.tenantId)}/${body.Id}`, { token })).status).toBe(204);
    expect((await api.call('GET', `${channelsPath(t.tenantId)}/${body.Id}`, { token })).status).toBe(404);
    const actions = (await h.db.select().from(auditEvents).where(eq(auditEvents.targetId, body.Id))).map((e) => [e.action, e.details.via]);
    expect(actions).toEqual(
      expect.arrayContaining([
        ['notification_channel.created', 'api'],
        ['notification_channel.updated', 'api'],
        ['notification_channel.removed', 'api'],
      ]),
    );
  });

  it('refuses bad input with field names of the API, never a 500', async () => {
    const post = (json: unknown) => api.call('POST', channelsPath(t.tenantId), { token, json });
    expect(await post({ Type: 'Webhook', Name: 'x', Url: 'http://hooks.example.com/', EventTypes: ['secret.expired'] })).toMatchObject({
      status: 400,
      body: { Errors: { Url: 'The webhook URL must use https.' } },
    });
    expect(await post({ Type: 'Pigeon', Name: 'x', EventTypes: ['secret.expired'] })).toMatchObject({ status: 400, body: { Errors: { Type: expect.any(String) } } });
    expect(await post({ Type: 'Webhook', Name: '', Url: 'https://a.example/', EventTypes: ['nope'] })).toMatchObject({
      status: 400,
      body: { Errors: { Name: 'Enter a name.', 'EventTypes[0]': 'Unknown event type.' } },
    });
    expect((await post([1, 2])).status).toBe(400);
    expect((await post({ Type: 'Webhook', Name: 'x', Url: 42, EventTypes: 'secret.expired' })).status).toBe(400);
    expect((await api.call('GET', `${channelsPath(t.tenantId)}/not-a-guid`, { token })).status).toBe(404);
  });
});
