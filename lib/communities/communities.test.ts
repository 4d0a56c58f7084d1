import { randomUUID } from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '../db';
import { auditEvents, clientRoles, clients, communities, communityMembers, roles, userRoles } from '../db/schema';
import type { Actor } from '../actions/admin-action';
import type { TestTenant } from '../testing/db';
import { withTwoTenants } from '../testing/tenants-fixture';
import { assignableRoleIds, listCommunityRoles } from '../roles/queries';
import { createCommunity, listTenantCommunities, removeCommunity } from './communities';
import { communityAdminActions } from './admin-actions';
import { notifyClientChanged } from '../tokens/invalidation';

vi.mock('../tokens/invalidation', () => ({ notifyClientChanged: vi.fn(async () => {}), notifyAllClientsChanged: vi.fn(async () => {}) }));
const notified = () => vi.mocked(notifyClientChanged).mock.calls.map((c) => c[0]).sort();
beforeEach(() => vi.mocked(notifyClientChanged).mockClear());

let db: Db;
let t: TestTenant;
let other: TestTenant;
let actor: Actor;
let otherActor: Actor;

withTwoTenants('Communities', (s) => ({ db, t, other, actor, otherActor } = s));

// Community names are unique across every tenant (and every test file sharing a PostgreSQL database).
const unique = (label: string) => `${label} ${randomUUID().slice(0, 8)}`;

async function insertClient(tenantId: string, roleIds: string[]) {
  const [c] = await db
    .insert(clients)
    .values({ tenantId, name: unique('Client'), createdBy: 'test', updatedBy: 'test' })
    .returning();
  if (roleIds.length) await db.insert(clientRoles).values(roleIds.map((roleId) => ({ clientId: c.id, roleId })));
  return c;
}

async function create(a: Actor, name = unique('Plant')) {
  const r = await createCommunity(db, a, { name, description: 'Shared plant data' });
  if (!r.ok) throw new Error(`createCommunity failed: ${JSON.stringify(r)}`);
  return r.data;
}

describe('createCommunity', () => {
  it('creates the community administered by and including this tenant, with its Community Member role', async () => {
    const name = unique('Refinery');
    const c = await create(actor, name);
    expect(c.roleName).toBe(`${name} Community Member`);
    const [row] = await db.select().from(communities).where(eq(communities.id, c.id));
    expect(row).toMatchObject({ name, description: 'Shared plant data', adminTenantId: t.tenantId });
    expect(await db.select().from(communityMembers).where(eq(communityMembers.communityId, c.id))).toEqual([
      { communityId: c.id, tenantId: t.tenantId },
    ]);
    const [role] = await db.select().from(roles).where(eq(roles.id, c.roleId));
    expect(role).toMatchObject({ scope: 'community', communityId: c.id, tenantId: null, roleType: 'community_member' });
    const [event] = await db.select().from(auditEvents).where(eq(auditEvents.targetId, c.id));
    expect(event).toMatchObject({ action: 'community.created', tenantId: t.tenantId, actor: t.admin.email });
  });

  it("puts its role in the tenant's Community Roles, not in another tenant's", async () => {
    const c = await create(actor);
    expect((await listCommunityRoles(db, t.tenantId)).map((r) => r.id)).toContain(c.roleId);
    expect((await listCommunityRoles(db, other.tenantId)).map((r) => r.id)).not.toContain(c.roleId);
    expect(await assignableRoleIds(db, t.tenantId, [c.roleId])).toEqual(new Set([c.roleId]));
    expect(await assignableRoleIds(db, other.tenantId, [c.roleId])).toEqual(new Set());
    const listed = (await listTenantCommunities(db, t.tenantId)).find((x) => x.id === c.id);
    expect(listed).toMatchObject({ isAdmin: true, memberTenantCount: 1, clientCount: 0, userCount: 0 });
    expect(listed?.roles.map((r) => r.name)).toEqual([c.roleName]);
    expect((await listTenantCommunities(db, other.tenantId)).map((x) => x.id)).not.toContain(c.id);
  });

  it('refuses a duplicate name regardless of case, also when another tenant holds it, at the name field', async () => {
    const name = unique('Harbour');
    await create(actor, name);
    for (const [a, n] of [
      [actor, name.toUpperCase()],
      [otherActor, name.toLowerCase()],
    ] as const) {
      const r = await createCommunity(db, a, { name: n });
      expect(r).toMatchObject({ ok: false, code: 'conflict' });
      expect(!r.ok && r.fieldErrors?.name).toMatch(/already exists/);
      // The message does not say which tenant has it.
      expect(JSON.stringify(r)).not.toContain(t.tenantId);
    }
    expect(await db.select().from(communities).where(eq(communities.name, name.toLowerCase()))).toHaveLength(0);
  });

  it('flags a missing or too long name at the field', async () => {
    for (const name of ['', 'x'.repeat(81)]) {
      const r = await createCommunity(db, actor, { name });
      expect(!r.ok && r.fieldErrors?.name).toBeTruthy();
    }
  });
});

describe('removeCommunity', () => {
  it("takes its roles off every member tenant's clients and users, with an audit event in each tenant", async () => {
    const c = await create(actor);
    // Another tenant joins (there is no UI for joining yet: membership is written directly).
    await db.insert(communityMembers).values({ communityId: c.id, tenantId: other.tenantId });
    const mine = await insertClient(t.tenantId, [c.roleId]);
    const theirs = await insertClient(other.tenantId, [c.roleId]);
    await db.insert(userRoles).values({ userId: t.member.id, roleId: c.roleId });

    const listed = (await listTenantCommunities(db, other.tenantId)).find((x) => x.id === c.id);
    expect(listed).toMatchObject({ isAdmin: false, memberTenantCount: 2, clientCount: 2, userCount: 1 });

    const r = await removeCommunity(db, actor, { id: c.id });
    expect(r).toEqual({ ok: true, data: { name: c.name, clientCount: 2, userCount: 1 } });
    expect(await db.select().from(communities).where(eq(communities.id, c.id))).toHaveLength(0);
    expect(await db.select().from(roles).where(eq(roles.id, c.roleId))).toHaveLength(0);
    expect(await db.select().from(clientRoles).where(inArray(clientRoles.clientId, [mine.id, theirs.id]))).toHaveLength(0);
    expect(await db.select().from(userRoles).where(eq(userRoles.roleId, c.roleId))).toHaveLength(0);
    expect(notified()).toEqual([mine.id, theirs.id].sort());
    const versions = await db.select({ v: clients.version }).from(clients).where(inArray(clients.id, [mine.id, theirs.id]));
    expect(versions.map((x) => x.v)).toEqual([2, 2]);
    const events = await db.select().from(auditEvents).where(eq(auditEvents.targetId, c.id));
    const removed = events.filter((e) => e.action === 'community.removed');
    expect(removed.map((e) => e.tenantId).sort()).toEqual([t.tenantId, other.tenantId].sort());
    expect(removed.find((e) => e.tenantId === t.tenantId)?.details).toMatchObject({ name: c.name, clientCount: 2, userCount: 1 });
    expect(await listCommunityRoles(db, other.tenantId)).not.toContainEqual(expect.objectContaining({ id: c.roleId }));
  });

  it('lets only the administrative tenant remove it', async () => {
    const c = await create(actor);
    await db.insert(communityMembers).values({ communityId: c.id, tenantId: other.tenantId });
    expect(await removeCommunity(db, otherActor, { id: c.id })).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await db.select().from(communities).where(eq(communities.id, c.id))).toHaveLength(1);
  });

  it("refuses a community the tenant is not in exactly like an unknown id", async () => {
    const c = await create(actor);
    const cross = await removeCommunity(db, otherActor, { id: c.id });
    const unknown = await removeCommunity(db, otherActor, { id: randomUUID() });
    expect(cross).toEqual(unknown);
    expect(cross).toMatchObject({ ok: false, code: 'not_found' });
    expect(await db.select().from(communities).where(eq(communities.id, c.id))).toHaveLength(1);
  });

  it('as a server action: Tenant Administrator only, id validated', async () => {
    const c = await create(actor);
    const action = (user: TestTenant['admin']) => communityAdminActions(async () => user).removeCommunity;
    expect(await action(t.member)({ id: c.id })).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await communityAdminActions(async () => t.member).createCommunity({ name: unique('No') })).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    expect(await action(t.admin)({ id: 'not-a-uuid' })).toMatchObject({ ok: false, code: 'invalid' });
    expect(await action(t.admin)({ id: c.id })).toMatchObject({ ok: true });
  });
});
