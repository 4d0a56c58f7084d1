import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db';
import { auditEvents, clientFederatedCredentials, clients, clientSecrets } from '../../db/schema';
import { createTestDb, createTestTenant, type TestTenant } from '../../testing/db';
import { actionsAs, newClientInput } from '../test-helpers';
import { policyAdminActions } from '../../policy/admin-actions';
import { SECRETS_NOT_ALLOWED } from '../../policy/credential-policy';
import { federationAdminActions } from './admin-actions';
import { issuerKey } from './testing/test-issuer';
import { MAX_FEDERATED_PER_CLIENT } from './federated-credential.schema';

let h: DbHandle;
let t: TestTenant;
let jwks: string;

beforeAll(async () => {
  h = await createTestDb();
  t = await createTestTenant(h.db, 'Federated credentials');
  jwks = JSON.stringify({ keys: [(await issuerKey('RS256', 'cluster-1')).publicJwk] });
});
afterAll(async () => {
  await h.close();
});

const fed = (user: TestTenant['admin'] | null) => federationAdminActions(async () => user);
const kubernetes = (clientId: string, over: Record<string, unknown> = {}) => ({
  clientId,
  preset: 'kubernetes',
  name: 'payments-api',
  issuer: 'https://kubernetes.default.svc.cluster.local',
  audience: 'https://console.example/identity',
  subjectOperator: 'equals',
  subject: 'system:serviceaccount:payments:api',
  keySource: 'pasted',
  jwks,
  singleUse: false,
  ...over,
});

describe('Add Client with a federated credential', () => {
  it('creates the client with no secret, the credential and both audit events in one go', async () => {
    const input = newClientInput({ credential: 'federated', federated: { ...kubernetes(''), clientId: undefined } });
    const created = await actionsAs(t.admin).createClient(input);
    expect(created).toMatchObject({ ok: true, data: { secret: null, secretId: null, federatedCredentialId: expect.any(Number) } });
    if (!created.ok) return;
    expect(await h.db.select().from(clientSecrets).where(eq(clientSecrets.clientId, created.data.clientId))).toEqual([]);
    const [row] = await h.db.select().from(clientFederatedCredentials).where(eq(clientFederatedCredentials.clientId, created.data.clientId));
    expect(row).toMatchObject({ name: 'payments-api', subject: 'system:serviceaccount:payments:api', singleUse: false, maxTokenAgeSeconds: 3600 });
    expect(row.jwks?.keys.map((k) => k.kid)).toEqual(['cluster-1']);
    const actions = (await h.db.select().from(auditEvents).where(eq(auditEvents.targetId, created.data.clientId))).map((e) => e.action).sort();
    expect(actions).toEqual(['client.created', 'federated_credential.added']);
  });

  it('reports the credential\'s fields under federated.*, and writes nothing', async () => {
    const input = newClientInput({ credential: 'federated', federated: { ...kubernetes(''), subject: '', jwks: '{"keys":[{"kty":"RSA","d":"x","n":"y","e":"AQAB"}]}' } });
    const bad = await actionsAs(t.admin).createClient(input);
    expect(bad).toMatchObject({ ok: false, fieldErrors: { 'federated.subject': 'Enter the subject (sub).' } });
    const secretKey = await actionsAs(t.admin).createClient(newClientInput({ credential: 'federated', federated: { ...kubernetes(''), jwks: '{"keys":[{"kty":"RSA","d":"x","n":"y","e":"AQAB"}]}' } }));
    expect(secretKey).toMatchObject({ ok: false, fieldErrors: { 'federated.jwks': 'The JWK Set holds a private or secret key. Paste the public keys only: nothing was saved.' } });
  });
});

describe('federated credentials on a client', () => {
  it('adds up to 20, names unique per client, audited; Remove; other tenants and members are refused', async () => {
    const c = await actionsAs(t.admin).createClient(newClientInput());
    if (!c.ok) throw new Error('client');
    const clientId = c.data.clientId;
    for (let i = 0; i < MAX_FEDERATED_PER_CLIENT; i++) {
      expect((await fed(t.admin).addFederatedCredential(kubernetes(clientId, { name: `sa-${i}` }))).ok).toBe(true);
    }
    expect(await fed(t.admin).addFederatedCredential(kubernetes(clientId, { name: 'one-more' }))).toMatchObject({ ok: false, code: 'limit' });
    // The first one added (sa-0): sa-1 stays, so adding it again is refused.
    const [first] = await h.db.select().from(clientFederatedCredentials).where(eq(clientFederatedCredentials.clientId, clientId)).orderBy(clientFederatedCredentials.id).limit(1);
    expect(await fed(t.admin).removeFederatedCredential({ clientId, credentialId: first.id })).toMatchObject({ ok: true, data: { remaining: 19 } });
    expect(await fed(t.admin).addFederatedCredential(kubernetes(clientId, { name: 'sa-1' }))).toMatchObject({
      ok: false,
      fieldErrors: { name: 'This client already has a federated credential with this name.' },
    });
    const removed = await h.db.select().from(auditEvents).where(and(eq(auditEvents.targetId, clientId), eq(auditEvents.action, 'federated_credential.removed')));
    expect(removed).toHaveLength(1);

    const other = await createTestTenant(h.db, 'Federated other');
    expect(await fed(other.admin).addFederatedCredential(kubernetes(clientId, { name: 'x' }))).toMatchObject({ ok: false, code: 'not_found' });
    expect(await fed(other.admin).removeFederatedCredential({ clientId, credentialId: first.id + 1 })).toMatchObject({ ok: false, code: 'not_found' });
    expect(await fed(t.member).addFederatedCredential(kubernetes(clientId, { name: 'x' }))).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await fed(null).addFederatedCredential(kubernetes(clientId, { name: 'x' }))).toMatchObject({ ok: false, code: 'unauthenticated' });
  });

  it('validates globs, conditions and the GitHub owner at the field', async () => {
    const c = await actionsAs(t.admin).createClient(newClientInput());
    if (!c.ok) throw new Error('client');
    const gh = { clientId: c.data.clientId, preset: 'github_actions', name: 'gh', issuer: 'https://token.actions.githubusercontent.com', audience: 'a', keySource: 'pasted', jwks };
    expect(await fed(t.admin).addFederatedCredential({ ...gh, subjectOperator: 'glob', subject: 'repo:*' })).toMatchObject({
      ok: false,
      fieldErrors: { subject: expect.stringMatching(/^For GitHub Actions, start the subject with repo:<owner>\//) },
    });
    expect((await fed(t.admin).addFederatedCredential({ ...gh, subjectOperator: 'glob', subject: 'repo:acme/*:ref:refs/heads/main' })).ok).toBe(true);
    expect(await fed(t.admin).addFederatedCredential({ ...gh, subjectOperator: 'glob', subject: '**' })).toMatchObject({ ok: false, fieldErrors: { subject: expect.stringMatching(/only \* and \?/) } });
    const conditions = await fed(t.admin).addFederatedCredential({
      ...gh,
      name: 'gh-2',
      subject: 'repo:acme/api:ref:refs/heads/main',
      conditions: [
        { claim: 'aud', operator: 'equals', value: 'x' },
        { claim: 'ref', operator: 'one_of', value: ' , ' },
        { claim: 'bad name!', operator: 'equals', value: 'x' },
        { claim: 'environment', operator: 'glob', value: '*' },
      ],
    });
    expect(conditions).toMatchObject({
      ok: false,
      fieldErrors: {
        'conditions.0.claim': 'This claim is checked by the Issuer, Audience, Subject and token age fields.',
        'conditions.1.value': 'Enter one or more values, separated by commas.',
        'conditions.2.claim': 'Use a claim name of letters, digits and _ . : / - (at most 100), or a path to a nested claim such as /kubernetes.io/namespace.',
        'conditions.3.value': 'A glob of only * and ? would accept any value: give some literal text.',
      },
    });
  });
});

describe('"Clients may only use keys and federated credentials (no secrets)"', () => {
  it('refuses Add Secret and a Client Secret in Add Client, and still allows keys and federated credentials', async () => {
    const tenant = await createTestTenant(h.db, 'Secretless');
    const c = await actionsAs(tenant.admin).createClient(newClientInput());
    if (!c.ok) throw new Error('client');
    const saved = await policyAdminActions(async () => tenant.admin).updateCredentialPolicy({ limitLifetime: false, allowNeverExpires: true, secretlessClients: true });
    expect(saved).toMatchObject({ ok: true, data: { secretlessClients: true } });
    const a = actionsAs(tenant.admin);
    expect(await a.addSecret({ clientId: c.data.clientId, description: 'x', neverExpires: true })).toEqual({ ok: false, code: 'invalid', formError: SECRETS_NOT_ALLOWED });
    expect(await a.createClient(newClientInput())).toMatchObject({ ok: false, fieldErrors: { credential: SECRETS_NOT_ALLOWED } });
    expect((await a.createClient(newClientInput({ credential: 'federated', federated: kubernetes('') }))).ok).toBe(true);
    // A Hybrid client starts with a secret: refused, and nothing written. An Authorization Code client has none.
    const userClient = (clientType: string) =>
      newClientInput({ clientType, redirectUris: 'https://app.example.com/cb', postLogoutRedirectUris: '', allowedCorsOrigins: '', refreshTokenLifetime: '' });
    const hybrid = userClient('hybrid');
    expect(await a.createUserClient(hybrid)).toMatchObject({ ok: false, formError: SECRETS_NOT_ALLOWED });
    expect(await h.db.select().from(clients).where(eq(clients.id, hybrid.clientId))).toEqual([]);
    expect((await a.createUserClient(userClient('authorization_code'))).ok).toBe(true);
    // Another tenant is not affected.
    expect(await actionsAs(t.admin).createClient(newClientInput())).toMatchObject({ ok: true, data: { secret: expect.stringMatching(/^tscs_/) } });
  });
});

describe('Edit Federated Credential', () => {
  it('changes any field with the same checks as Add, audited with what changed; other tenants and members are refused', async () => {
    const c = await actionsAs(t.admin).createClient(newClientInput());
    if (!c.ok) throw new Error('client');
    const added = await fed(t.admin).addFederatedCredential(kubernetes(c.data.clientId));
    if (!added.ok) throw new Error('credential');
    const other = await fed(t.admin).addFederatedCredential(kubernetes(c.data.clientId, { name: 'billing-api' }));
    expect(other.ok).toBe(true);
    const id = added.data.credentialId;
    const edit = (over: Record<string, unknown>, user: TestTenant['admin'] | null = t.admin) =>
      fed(user).updateFederatedCredential({ ...kubernetes(c.data.clientId), credentialId: id, enabled: true, ...over });

    const saved = await edit({
      subjectOperator: 'glob',
      subject: 'system:serviceaccount:payments:*',
      conditions: [{ claim: '/kubernetes.io/serviceaccount/name', operator: 'one_of', value: 'api, worker' }],
      maxTokenAgeMinutes: '30',
      enabled: false,
    });
    expect(saved).toMatchObject({ ok: true, data: { changed: ['subject', 'subjectOperator', 'conditions', 'maxTokenAgeSeconds', 'enabled'] } });
    const [row] = await h.db.select().from(clientFederatedCredentials).where(eq(clientFederatedCredentials.id, id));
    expect(row).toMatchObject({
      subject: 'system:serviceaccount:payments:*',
      subjectOperator: 'glob',
      conditions: [{ claim: '/kubernetes.io/serviceaccount/name', operator: 'one_of', values: ['api', 'worker'] }],
      maxTokenAgeSeconds: 1800,
      enabled: false,
    });
    const [event] = await h.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.targetId, c.data.clientId), eq(auditEvents.action, 'federated_credential.updated')));
    expect(event.details).toMatchObject({
      changed: ['subject', 'subjectOperator', 'conditions', 'maxTokenAgeSeconds', 'enabled'],
      before: { subject: 'system:serviceaccount:payments:api', enabled: true },
      federatedCredential: { id, subject: 'system:serviceaccount:payments:*', enabled: false, keys: { pasted: ['cluster-1'] } },
    });

    // Nothing changed: no write, no audit event.
    expect(await edit({ subjectOperator: 'glob', subject: 'system:serviceaccount:payments:*', conditions: [{ claim: '/kubernetes.io/serviceaccount/name', operator: 'one_of', value: 'api,worker' }], maxTokenAgeMinutes: 30, enabled: false })).toMatchObject({ ok: true, data: { changed: [] } });
    const events = await h.db.select().from(auditEvents).where(and(eq(auditEvents.targetId, c.data.clientId), eq(auditEvents.action, 'federated_credential.updated')));
    expect(events).toHaveLength(1);

    // The same field checks as Add; a taken name; a private key; other tenants, members, unknown ids.
    expect(await edit({ name: 'billing-api' })).toMatchObject({ ok: false, fieldErrors: { name: 'This client already has a federated credential with this name.' } });
    expect(await edit({ conditions: [{ claim: '/kubernetes.io/', operator: 'equals', value: 'x' }], maxTokenAgeMinutes: '0' })).toMatchObject({
      ok: false,
      fieldErrors: { 'conditions.0.claim': expect.stringMatching(/^A path to a nested claim/), maxTokenAgeMinutes: 'Enter a whole number of minutes from 1 to 1440.' },
    });
    expect(await edit({ jwks: '{"keys":[{"kty":"RSA","d":"x","n":"y","e":"AQAB"}]}' })).toMatchObject({ ok: false, fieldErrors: { jwks: expect.stringMatching(/private or secret key/) } });
    const otherTenant = await createTestTenant(h.db, 'Federated edit other');
    expect(await edit({ name: 'stolen' }, otherTenant.admin)).toMatchObject({ ok: false, code: 'not_found' });
    expect(await edit({ name: 'stolen' }, t.member)).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await edit({ credentialId: 2 ** 31 - 1 })).toMatchObject({ ok: false, code: 'not_found' });
    expect((await h.db.select().from(clientFederatedCredentials).where(eq(clientFederatedCredentials.id, id)))[0].name).toBe('payments-api');
  });

  it('keeps a stored expiration that has passed, but refuses a new one in the past', async () => {
    const c = await actionsAs(t.admin).createClient(newClientInput());
    if (!c.ok) throw new Error('client');
    const added = await fed(t.admin).addFederatedCredential(kubernetes(c.data.clientId, { neverExpires: false, expiresAt: new Date(Date.now() + 3_600_000).toISOString() }));
    if (!added.ok) throw new Error('credential');
    const past = new Date(Date.now() - 86_400_000);
    await h.db.update(clientFederatedCredentials).set({ expiresAt: past }).where(eq(clientFederatedCredentials.id, added.data.credentialId));
    const base = { ...kubernetes(c.data.clientId), credentialId: added.data.credentialId, neverExpires: false, expiresAt: past.toISOString() };
    expect(await fed(t.admin).updateFederatedCredential({ ...base, name: 'renamed', currentExpiresAt: past.toISOString() })).toMatchObject({ ok: true, data: { changed: ['name'] } });
    expect(await fed(t.admin).updateFederatedCredential({ ...base, expiresAt: new Date(past.getTime() - 3_600_000).toISOString(), currentExpiresAt: past.toISOString() })).toMatchObject({
      ok: false,
      fieldErrors: { expiresAt: 'The expiration date must be in the future.' },
    });
  });
});

