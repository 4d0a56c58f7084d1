import { it } from 'vitest';
import { createTestDb, createTestTenant } from '@/lib/testing/db';
import { actionsAs, newClientInput } from '@/lib/clients/test-helpers';
import { roleAdminActions } from '@/lib/roles/admin-actions';
import { userAdminActions } from '@/lib/users/admin-actions';
import { communityAdminActions } from '@/lib/communities/admin-actions';
it('probe', { timeout: 200000 }, async () => {
  const h = await createTestDb();
  const t = await createTestTenant(h.db);
  const a = actionsAs(t.admin);
  const get = async () => t.admin;
  for (const name of ['\ud800', 'a\udc00b', '\u202eevil', '\u200b\u200b', '😀', 'e\u0301']) {
    console.log(JSON.stringify(name), JSON.stringify(await a.createClient(newClientInput({ name }))).slice(0, 200));
    console.log('role', JSON.stringify(await roleAdminActions(get).createRole({ name: name + 'r', description: name })).slice(0, 200));
    console.log('user', JSON.stringify(await userAdminActions(get).inviteUser({ email: 'x' + Math.random() + '@example.com', name })).slice(0, 200));
    console.log('comm', JSON.stringify(await communityAdminActions(get).createCommunity({ name: name + Math.random(), description: '' })).slice(0, 200));
    console.log('desc', JSON.stringify(await a.createClient(newClientInput({ description: name }))).slice(0, 200));
  }
  await h.close();
});
