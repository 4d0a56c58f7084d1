import { randomUUID } from 'node:crypto';
import type { ActionResult } from '@/lib/actions/result';
import type { SessionUser } from '@/lib/auth/users';
import { clientAdminActions } from '@/lib/clients/admin-actions';
import { inDays, newClientInput } from '@/lib/clients/test-helpers';
import { communityAdminActions } from '@/lib/communities/admin-actions';
import { roleAdminActions } from '@/lib/roles/admin-actions';
import { userAdminActions } from '@/lib/users/admin-actions';
import type { Ctx } from './fixtures';
import { HUGE, SQLI, TRAVERSAL, XSS, type Case, type Category, type Expectation } from './support';

/*
 * Bad input to the console's server actions, called exactly as the pages call them: the bound actions of
 * lib/<domain>/admin-actions.ts (authenticate, Tenant Administrator, the form's zod schema, the domain write), with
 * a fake session user. Each must come back as a field or form error, never ok and never "something went wrong".
 */

type Who = 'admin' | 'member' | 'anonymous' | 'otherAdmin';

function userOf(ctx: Ctx, who: Who): SessionUser | null {
  if (who === 'admin') return ctx.a.admin;
  if (who === 'member') return ctx.a.member;
  if (who === 'otherAdmin') return ctx.b.admin;
  return null;
}

const actionsOf = (ctx: Ctx, who: Who) => {
  const getUser = async () => userOf(ctx, who);
  return {
    ...clientAdminActions(getUser),
    ...roleAdminActions(getUser),
    ...communityAdminActions(getUser),
    ...userAdminActions(getUser),
  };
};
type Actions = ReturnType<typeof actionsOf>;
type ActionName = keyof Actions;

function without<T extends Record<string, unknown>>(o: T, key: string): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...o };
  delete copy[key];
  return copy;
}

const guid = () => randomUUID();
const ROLE_LIST_201 = () => Array.from({ length: 201 }, () => guid());
const WHOLE_INPUTS: [string, unknown][] = [
  ['null', null],
  ['undefined', undefined],
  ['a string', 'name=x'],
  ['a number', 42],
  ['a boolean', true],
  ['an empty array', []],
];

export function actionCases(): Case<Ctx>[] {
  const cases: Case<Ctx>[] = [];
  const add = (
    category: Category,
    name: string,
    action: ActionName,
    input: (ctx: Ctx) => unknown,
    expect?: Expectation,
    who: Who = 'admin',
  ) =>
    cases.push({
      surface: 'action',
      category,
      name: `${action}: ${name}`,
      expect,
      run: async (ctx) => {
        const fn = actionsOf(ctx, who)[action] as (raw: unknown) => Promise<ActionResult<unknown>>;
        return { kind: 'action', result: await fn(input(ctx)) };
      },
    });

  /* ---- createClient: one bad field in an otherwise valid Add Client submission ---- */
  const create = (category: Category, name: string, change: (ctx: Ctx) => Record<string, unknown>, expect?: Expectation) =>
    add(category, name, 'createClient', (ctx) => ({ ...newClientInput(), ...change(ctx) }), expect);
  const createWithout = (field: string) =>
    add('missing field', `${field} left out`, 'createClient', () => without(newClientInput(), field), { field });

  for (const [name, value] of WHOLE_INPUTS) add('wrong type', `the input is ${name}`, 'createClient', () => value);
  add('array for object', 'the input is an array of a valid input', 'createClient', () => [newClientInput()]);

  createWithout('name');
  create('missing field', 'name empty', () => ({ name: '' }), { field: 'name' });
  create('missing field', 'name only spaces and an ideographic space', () => ({ name: '  \u3000 ' }), { field: 'name' });
  create('wrong type', 'name null', () => ({ name: null }), { field: 'name' });
  create('wrong type', 'name a number', () => ({ name: 42 }), { field: 'name' });
  create('wrong type', 'name an object', () => ({ name: { first: 'x' } }), { field: 'name' });
  create('array for object', 'name an array', () => ({ name: ['Client'] }), { field: 'name' });
  create('wrong type', 'name a boolean', () => ({ name: true }), { field: 'name' });
  create('huge string', 'name of 101 characters', () => ({ name: 'x'.repeat(101) }), { field: 'name' });
  create('huge string', 'name of 1 MB', () => ({ name: HUGE }), { field: 'name' });
  create('unicode', 'name of 101 emoji', () => ({ name: '😀'.repeat(101) }), { field: 'name' });
  create('unicode', 'name with 100 combining accents', () => ({ name: 'e' + '\u0301'.repeat(100) }), { field: 'name' });
  create('control character', 'name with a null character', () => ({ name: 'a\u0000b' }), { field: 'name' });
  create('control character', 'name with a line break', () => ({ name: 'line\nbreak' }), { field: 'name' });
  create('control character', 'name with a tab', () => ({ name: 'tab\there' }), { field: 'name' });
  // API Access in Add Client: another tenant's or an unknown API, a list of the wrong shape, Chosen scopes with none.
  create('non-guid id', 'apiAccess naming an unknown API', () => ({ apiAccess: [{ apiId: guid(), scopes: null }] }), { field: 'apiAccess' });
  create('sql/html metacharacters', 'apiAccess with an API id of SQL', () => ({ apiAccess: [{ apiId: SQLI, scopes: null }] }), { field: 'apiAccess.0.apiId' });
  create('wrong type', 'apiAccess a string', () => ({ apiAccess: 'all' }), { field: 'apiAccess' });
  create('array for object', 'apiAccess entries as arrays', () => ({ apiAccess: [[guid(), null]] }), { field: 'apiAccess.0' });
  create('rule', 'apiAccess with Chosen scopes and none chosen', () => ({ apiAccess: [{ apiId: guid(), scopes: [] }] }), { field: 'apiAccess.0.scopes' });
  create('huge string', 'apiAccess with a scope of 1 MB', () => ({ apiAccess: [{ apiId: guid(), scopes: [HUGE] }] }), { field: 'apiAccess.0.scopes.0' });
  create('control character', 'name with an ANSI escape', () => ({ name: '\u001b[31mred' }), { field: 'name' });
  create('control character', 'name with DEL', () => ({ name: 'del\u007f' }), { field: 'name' });
  create('control character', 'name with C1 NEL', () => ({ name: 'nel\u0085' }), { field: 'name' });
  create('unicode', 'name with a lone high surrogate', () => ({ name: 'half \ud83d' }), { field: 'name' });
  create('unicode', 'name with a lone low surrogate', () => ({ name: 'ab\ude00' }), { field: 'name' });
  create('unicode', 'name with a reversed surrogate pair', () => ({ name: '\ude00\ud83d' }), { field: 'name' });

  const lifetimes: [Category, string, unknown][] = [
    ['bad number', '-1', -1],
    ['bad number', '0', 0],
    ['bad number', '59 (below the minimum)', 59],
    ['bad number', '3601 (above the maximum)', 3601],
    ['bad number', '60.5', 60.5],
    ['bad number', '"60.5"', '60.5'],
    ['bad number', 'NaN', NaN],
    ['bad number', 'Infinity', Infinity],
    ['bad number', '-Infinity', -Infinity],
    ['bad number', '"1e3"', '1e3'],
    ['bad number', '2^53', 2 ** 53],
    ['bad number', '"0x3c"', '0x3c'],
    ['wrong type', '"3600abc"', '3600abc'],
    ['unicode', 'Arabic-Indic digits', '٣٦٠٠'],
    ['unicode', 'full-width digits', '３６００'],
    ['wrong type', 'a boolean', true],
    ['wrong type', 'an object', { seconds: 3600 }],
    ['array for object', 'an array', [3600]],
    ['control character', 'digits and a null character', '3600\u0000'],
    ['sql/html metacharacters', 'SQL', '3600; DROP TABLE clients'],
  ];
  for (const [category, name, value] of lifetimes) {
    create(category, `tokenLifetime ${name}`, () => ({ tokenLifetime: value }), { field: 'tokenLifetime' });
  }

  create('wrong type', 'roleIds a string', (ctx) => ({ roleIds: ctx.roles.customA }), { field: 'roleIds' });
  create('wrong type', 'roleIds an object', (ctx) => ({ roleIds: { 0: ctx.roles.customA } }), { field: 'roleIds' });
  create('wrong type', 'roleIds of numbers', () => ({ roleIds: [42] }), { field: 'roleIds.0' });
  create('wrong type', 'roleIds with null', () => ({ roleIds: [null] }), { field: 'roleIds.0' });
  create('non-guid id', 'roleIds not GUIDs', () => ({ roleIds: ['tenant_administrator'] }), { field: 'roleIds' });
  create('other tenant', 'roleIds: a custom role of another tenant', (ctx) => ({ roleIds: [ctx.roles.customB] }), { field: 'roleIds' });
  create('other tenant', 'roleIds: another tenant\'s Tenant Administrator', (ctx) => ({ roleIds: [ctx.b.roleId('tenant_administrator')] }), {
    field: 'roleIds',
  });
  create('other tenant', 'roleIds: own role and another tenant\'s', (ctx) => ({ roleIds: [ctx.roles.customA, ctx.roles.customB] }), {
    field: 'roleIds',
  });
  create('other tenant', 'roleIds: a community role of a community the tenant is not in', (ctx) => ({ roleIds: [ctx.roles.onlyB.role.id] }), {
    field: 'roleIds',
  });
  create('non-guid id', 'roleIds: an unknown GUID', () => ({ roleIds: [guid()] }), { field: 'roleIds' });
  create('huge string', 'roleIds: 201 GUIDs', () => ({ roleIds: ROLE_LIST_201() }), { field: 'roleIds' });
  create('sql/html metacharacters', 'roleIds: SQL', () => ({ roleIds: [SQLI] }), { field: 'roleIds' });
  create('path traversal', 'roleIds: a path', () => ({ roleIds: [TRAVERSAL] }), { field: 'roleIds' });
  create('unicode', 'roleIds: a GUID with a zero-width space', (ctx) => ({ roleIds: [ctx.roles.customA + '\u200b'] }), { field: 'roleIds' });
  create('unicode', 'roleIds: a GUID with full-width digits', (ctx) => ({ roleIds: [ctx.roles.customA.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)))] }), {
    field: 'roleIds',
  });

  create('non-guid id', 'clientId not a GUID', () => ({ clientId: 'my-client' }), { field: 'clientId' });
  create('wrong type', 'clientId a number', () => ({ clientId: 42 }), { field: 'clientId' });
  create('sql/html metacharacters', 'clientId SQL', () => ({ clientId: SQLI }), { field: 'clientId' });
  create('sql/html metacharacters', 'clientId HTML', () => ({ clientId: XSS }), { field: 'clientId' });
  create('path traversal', 'clientId a path', () => ({ clientId: TRAVERSAL }), { field: 'clientId' });
  create('other tenant', 'clientId of another tenant\'s client', (ctx) => ({ clientId: ctx.clients.clientB.clientId }), {
    code: 'conflict',
    field: 'clientId',
  });
  create('rule', 'clientId of an existing client (a replay)', (ctx) => ({ clientId: ctx.clients.target.clientId }), {
    code: 'conflict',
    field: 'clientId',
  });
  create('control character', 'clientId with a trailing null character', () => ({ clientId: guid() + '\u0000' }), { field: 'clientId' });
  create('unicode', 'clientId with a zero-width joiner', () => ({ clientId: guid().replace('-', '-\u200d') }), { field: 'clientId' });
  create('unicode', 'clientId with a right-to-left override', () => ({ clientId: '\u202e' + guid() }), { field: 'clientId' });
  create('non-guid id', 'clientId in braces', () => ({ clientId: `{${guid()}}` }), { field: 'clientId' });
  create('non-guid id', 'clientId without hyphens', () => ({ clientId: guid().replace(/-/g, '') }), { field: 'clientId' });

  create('huge string', 'description of 201 characters', () => ({ description: 'd'.repeat(201) }), { field: 'description' });
  create('huge string', 'description of 1 MB', () => ({ description: HUGE }), { field: 'description' });
  create('control character', 'description with a null character', () => ({ description: 'x\u0000' }), { field: 'description' });
  create('unicode', 'description with a lone surrogate', () => ({ description: 'key \ud800' }), { field: 'description' });
  create('wrong type', 'description a number', () => ({ description: 7 }), { field: 'description' });
  create('wrong type', 'description null', () => ({ description: null }), { field: 'description' });

  create('wrong type', 'neverExpires the string "true"', () => ({ neverExpires: 'true', expiresAt: null }), { field: 'neverExpires' });
  create('wrong type', 'neverExpires 1', () => ({ neverExpires: 1, expiresAt: null }), { field: 'neverExpires' });
  create('bad date', 'expiresAt not a date', () => ({ expiresAt: 'next tuesday' }), { field: 'expiresAt' });
  create('bad date', 'expiresAt in the past', () => ({ expiresAt: inDays(-1) }), { field: 'expiresAt' });
  create('bad date', 'expiresAt month 13', () => ({ expiresAt: '2099-13-01T00:00:00Z' }), { field: 'expiresAt' });
  create('wrong type', 'expiresAt a number', () => ({ expiresAt: 4102444800000 }), { field: 'expiresAt' });
  create('wrong type', 'expiresAt an object', () => ({ expiresAt: { year: 2099 } }), { field: 'expiresAt' });
  create('missing field', 'expiresAt empty and not Never Expires', () => ({ expiresAt: '' }), { field: 'expiresAt' });
  create('missing field', 'expiresAt null and not Never Expires', () => ({ expiresAt: null }), { field: 'expiresAt' });
  create('huge string', 'expiresAt of 1 MB', () => ({ expiresAt: HUGE }), { field: 'expiresAt' });
  create('bad date', 'expiresAt an invalid Date object', () => ({ expiresAt: new Date('garbage') }), { field: 'expiresAt' });

  /* ---- updateClient / setClientEnabled / removeClient ---- */
  const editOf = (ctx: Ctx) => ({ clientId: ctx.clients.target.clientId, version: 1, name: 'Renamed', tokenLifetime: '', roleIds: [] });
  const edit = (category: Category, name: string, change: (ctx: Ctx) => Record<string, unknown>, expect?: Expectation) =>
    add(category, name, 'updateClient', (ctx) => ({ ...editOf(ctx), ...change(ctx) }), expect);
  edit('other tenant', 'another tenant\'s client', (ctx) => ({ clientId: ctx.clients.clientB.clientId }), { code: 'not_found' });
  edit('non-guid id', 'an unknown client', () => ({ clientId: guid() }), { code: 'not_found' });
  edit('sql/html metacharacters', 'clientId SQL', () => ({ clientId: SQLI }), { field: 'clientId' });
  edit('path traversal', 'clientId a path', () => ({ clientId: '../' + guid() }), { field: 'clientId' });
  edit('wrong type', 'version a word', () => ({ version: 'latest' }), { field: 'version' });
  edit('bad number', 'version 0', () => ({ version: 0 }), { field: 'version' });
  edit('bad number', 'version -1', () => ({ version: -1 }), { field: 'version' });
  edit('bad number', 'version 1.5', () => ({ version: 1.5 }), { field: 'version' });
  edit('bad number', 'version Infinity', () => ({ version: Infinity }), { field: 'version' });
  edit('rule', 'a stale version', () => ({ version: 99 }), { code: 'conflict' });
  edit('array for object', 'version an empty array', () => ({ version: [] }), { field: 'version' });
  edit('missing field', 'name empty', () => ({ name: '' }), { field: 'name' });
  edit('unicode', 'name with a lone surrogate', () => ({ name: '\udbff' }), { field: 'name' });
  edit('other tenant', 'roleIds: another tenant\'s role', (ctx) => ({ roleIds: [ctx.roles.customB] }), { field: 'roleIds' });
  edit('non-guid id', 'apiAccess naming an unknown API', () => ({ apiAccess: [{ apiId: guid(), scopes: null }] }), { field: 'apiAccess' });
  edit('wrong type', 'apiAccess null', () => ({ apiAccess: null }), { field: 'apiAccess' });
  edit('rule', 'apiAccess naming one API twice', () => {
    const apiId = guid();
    return { apiAccess: [{ apiId, scopes: null }, { apiId, scopes: null }] };
  }, { field: 'apiAccess' });
  add('missing field', 'clientId left out', 'updateClient', (ctx) => without(editOf(ctx), 'clientId'), { field: 'clientId' });

  const enable = (category: Category, name: string, input: (ctx: Ctx) => unknown, expect?: Expectation) =>
    add(category, name, 'setClientEnabled', input, expect);
  enable('wrong type', 'enabled the string "false"', (ctx) => ({ clientId: ctx.clients.target.clientId, enabled: 'false' }), { field: 'enabled' });
  enable('wrong type', 'enabled 0', (ctx) => ({ clientId: ctx.clients.target.clientId, enabled: 0 }), { field: 'enabled' });
  enable('wrong type', 'enabled null', (ctx) => ({ clientId: ctx.clients.target.clientId, enabled: null }), { field: 'enabled' });
  enable('missing field', 'enabled left out', (ctx) => ({ clientId: ctx.clients.target.clientId }), { field: 'enabled' });
  enable('other tenant', 'another tenant\'s client', (ctx) => ({ clientId: ctx.clients.clientB.clientId, enabled: false }), { code: 'not_found' });
  enable('wrong type', 'clientId a number', () => ({ clientId: 1, enabled: false }), { field: 'clientId' });

  const remove = (category: Category, name: string, input: (ctx: Ctx) => unknown, expect?: Expectation) =>
    add(category, name, 'removeClient', input, expect);
  remove('other tenant', 'another tenant\'s client', (ctx) => ({ clientId: ctx.clients.clientB.clientId }), { code: 'not_found' });
  remove('non-guid id', 'an unknown client', () => ({ clientId: guid() }), { code: 'not_found' });
  remove('non-guid id', 'clientId "*"', () => ({ clientId: '*' }), { field: 'clientId' });
  remove('missing field', 'an empty object', () => ({}), { field: 'clientId' });
  remove('wrong type', 'null', () => null);
  remove('array for object', 'an array of the client id', (ctx) => [ctx.clients.target.clientId]);
  remove('array for object', 'clientId an array', (ctx) => ({ clientId: [ctx.clients.target.clientId] }), { field: 'clientId' });
  remove('sql/html metacharacters', 'clientId with SQL after a valid id', (ctx) => ({ clientId: `${ctx.clients.target.clientId}' OR '1'='1` }), {
    field: 'clientId',
  });

  /* ---- secrets ---- */
  const addSecretOf = (ctx: Ctx) => ({ clientId: ctx.clients.target.clientId, description: 'new', neverExpires: false, expiresAt: inDays(30) });
  add('other tenant', 'another tenant\'s client', 'addSecret', (ctx) => ({ ...addSecretOf(ctx), clientId: ctx.clients.clientB.clientId }), {
    code: 'not_found',
  });
  add('rule', 'a client with 10 secrets already', 'addSecret', (ctx) => ({ ...addSecretOf(ctx), clientId: ctx.clients.full.clientId }), {
    code: 'limit',
  });
  add('huge string', 'description of 201 characters', 'addSecret', (ctx) => ({ ...addSecretOf(ctx), description: 'd'.repeat(201) }), {
    field: 'description',
  });
  add('bad date', 'expiresAt in the past', 'addSecret', (ctx) => ({ ...addSecretOf(ctx), expiresAt: '2001-01-01T00:00:00Z' }), {
    field: 'expiresAt',
  });
  add('wrong type', 'neverExpires "yes"', 'addSecret', (ctx) => ({ ...addSecretOf(ctx), neverExpires: 'yes' }), { field: 'neverExpires' });
  add('missing field', 'clientId left out', 'addSecret', (ctx) => without(addSecretOf(ctx), 'clientId'), { field: 'clientId' });

  const editSecretOf = (ctx: Ctx) => ({
    clientId: ctx.clients.target.clientId,
    secretId: ctx.clients.target.secrets[0].id,
    description: 'changed',
    neverExpires: true,
    expiresAt: null,
  });
  const editSecret = (category: Category, name: string, change: (ctx: Ctx) => Record<string, unknown>, expect?: Expectation) =>
    add(category, name, 'updateSecret', (ctx) => ({ ...editSecretOf(ctx), ...change(ctx) }), expect);
  editSecret('other tenant', 'another tenant\'s secret under an own client', (ctx) => ({ secretId: ctx.clients.clientB.secrets[0].id }), {
    code: 'not_found',
  });
  editSecret(
    'other tenant',
    'another tenant\'s client and secret',
    (ctx) => ({ clientId: ctx.clients.clientB.clientId, secretId: ctx.clients.clientB.secrets[0].id }),
    { code: 'not_found' },
  );
  const secretIds: [Category, string, unknown][] = [
    ['bad number', '-1', -1],
    ['bad number', '0', 0],
    ['bad number', '1.5', 1.5],
    ['wrong type', '"abc"', 'abc'],
    ['bad number', '2^31', 2 ** 31],
    ['bad number', 'NaN', NaN],
    ['bad number', '"Infinity"', 'Infinity'],
    ['sql/html metacharacters', 'SQL', '1 OR 1=1'],
  ];
  for (const [category, name, secretId] of secretIds) editSecret(category, `secretId ${name}`, () => ({ secretId }), { field: 'secretId' });
  editSecret('non-guid id', 'a secret id that does not exist', () => ({ secretId: 2 ** 31 - 1 }), { code: 'not_found' });
  editSecret('huge string', 'description of 1 MB', () => ({ description: HUGE }), { field: 'description' });
  editSecret('unicode', 'description with a lone surrogate', () => ({ description: '\udfff' }), { field: 'description' });

  const removeSecretOf = (ctx: Ctx) => ({ clientId: ctx.clients.target.clientId, secretId: ctx.clients.target.secrets[0].id });
  add('other tenant', 'another tenant\'s client and secret', 'removeSecret', (ctx) => ({
    clientId: ctx.clients.clientB.clientId,
    secretId: ctx.clients.clientB.secrets[0].id,
  }), { code: 'not_found' });
  add('other tenant', 'another tenant\'s secret under an own client', 'removeSecret', (ctx) => ({
    ...removeSecretOf(ctx),
    secretId: ctx.clients.clientB.secrets[0].id,
  }), { code: 'not_found' });
  add('bad number', 'secretId 0', 'removeSecret', (ctx) => ({ ...removeSecretOf(ctx), secretId: 0 }), { field: 'secretId' });
  add('wrong type', 'secretId an object', 'removeSecret', (ctx) => ({ ...removeSecretOf(ctx), secretId: { id: 1 } }), { field: 'secretId' });
  add('missing field', 'secretId left out', 'removeSecret', (ctx) => without(removeSecretOf(ctx), 'secretId'), { field: 'secretId' });

  /* ---- who may call: a Tenant Member, nobody, and another tenant's administrator ---- */
  const clientCalls: [ActionName, (ctx: Ctx) => unknown][] = [
    ['createClient', () => newClientInput()],
    ['updateClient', editOf],
    ['setClientEnabled', (ctx) => ({ clientId: ctx.clients.target.clientId, enabled: false })],
    ['removeClient', (ctx) => ({ clientId: ctx.clients.target.clientId })],
    ['addSecret', addSecretOf],
    ['updateSecret', editSecretOf],
    ['removeSecret', removeSecretOf],
  ];
  for (const [action, input] of clientCalls) {
    add('not allowed', 'as a Tenant Member', action, input, { code: 'forbidden' }, 'member');
    add('not allowed', 'signed out', action, input, { code: 'unauthenticated' }, 'anonymous');
    if (action !== 'createClient') add('other tenant', 'as another tenant\'s administrator', action, input, { code: 'not_found' }, 'otherAdmin');
  }
  add('other tenant', 'as another tenant\'s administrator, with this tenant\'s role', 'createClient', (ctx) => ({
    ...newClientInput(),
    roleIds: [ctx.roles.customA],
  }), { field: 'roleIds' }, 'otherAdmin');

  /* ---- roles ---- */
  const role = (category: Category, name: string, input: (ctx: Ctx) => unknown, expect?: Expectation, who: Who = 'admin') =>
    add(category, name, 'createRole', input, expect, who);
  role('missing field', 'name empty', () => ({ name: '' }), { field: 'name' });
  role('missing field', 'name left out', () => ({ description: 'x' }), { field: 'name' });
  role('huge string', 'name of 101 characters', () => ({ name: 'r'.repeat(101) }), { field: 'name' });
  role('huge string', 'name of 1 MB', () => ({ name: HUGE }), { field: 'name' });
  role('control character', 'name with a null character', () => ({ name: 'a\u0000' }), { field: 'name' });
  role('unicode', 'name with a right-to-left override', () => ({ name: 'admin\u202etxt.exe' }), { field: 'name' });
  role('unicode', 'name with a zero-width space', () => ({ name: 'Tenant\u200bAdministrator' }), { field: 'name' });
  role('unicode', 'name with a lone surrogate', () => ({ name: 'x\ud800' }), { field: 'name' });
  role('wrong type', 'name a number', () => ({ name: 42 }), { field: 'name' });
  role('wrong type', 'name null', () => ({ name: null }), { field: 'name' });
  role('rule', 'the name of a built-in role', () => ({ name: 'Tenant Administrator' }), { code: 'conflict', field: 'name' });
  role('rule', 'an existing name in other case', () => ({ name: 'CUSTOM A' }), { code: 'conflict', field: 'name' });
  role('huge string', 'description of 501 characters', () => ({ name: 'Fine', description: 'd'.repeat(501) }), { field: 'description' });
  role('control character', 'description with a null character', () => ({ name: 'Fine', description: 'a\u0000' }), { field: 'description' });
  role('unicode', 'description with a right-to-left override', () => ({ name: 'Fine', description: '\u202e' }), { field: 'description' });
  role('unicode', 'description with a lone surrogate', () => ({ name: 'Fine', description: '\udc00' }), { field: 'description' });
  role('wrong type', 'the input is null', () => null);
  role('array for object', 'the input is an array', () => [{ name: 'Fine' }]);
  role('not allowed', 'as a Tenant Member', () => ({ name: 'Fine' }), { code: 'forbidden' }, 'member');
  role('not allowed', 'signed out', () => ({ name: 'Fine' }), { code: 'unauthenticated' }, 'anonymous');

  const editRole = (category: Category, name: string, input: (ctx: Ctx) => unknown, expect?: Expectation, who: Who = 'admin') =>
    add(category, name, 'updateRole', input, expect, who);
  editRole('other tenant', 'another tenant\'s role', (ctx) => ({ id: ctx.roles.customB, name: 'Mine now' }), { code: 'not_found' });
  editRole('rule', 'a built-in role', (ctx) => ({ id: ctx.a.roleId('tenant_administrator'), name: 'Owner' }), { code: 'forbidden' });
  editRole('non-guid id', 'id not a GUID', () => ({ id: 'custom-a', name: 'X' }), { field: 'id' });
  editRole('sql/html metacharacters', 'id SQL', () => ({ id: SQLI, name: 'X' }), { field: 'id' });
  editRole('missing field', 'name empty', (ctx) => ({ id: ctx.roles.customA, name: '' }), { field: 'name' });
  editRole('unicode', 'name with a right-to-left override', (ctx) => ({ id: ctx.roles.customA, name: '\u202eA' }), { field: 'name' });
  editRole('rule', 'rename to a built-in role\'s name', (ctx) => ({ id: ctx.roles.customA, name: 'tenant member' }), { code: 'conflict', field: 'name' });
  editRole('not allowed', 'as a Tenant Member', (ctx) => ({ id: ctx.roles.customA, name: 'X' }), { code: 'forbidden' }, 'member');

  const removeRole = (category: Category, name: string, input: (ctx: Ctx) => unknown, expect?: Expectation, who: Who = 'admin') =>
    add(category, name, 'removeRole', input, expect, who);
  removeRole('other tenant', 'another tenant\'s role', (ctx) => ({ id: ctx.roles.customB }), { code: 'not_found' });
  removeRole('rule', 'a built-in role', (ctx) => ({ id: ctx.a.roleId('tenant_member') }), { code: 'forbidden' });
  removeRole('path traversal', 'id a path', () => ({ id: TRAVERSAL }), { field: 'id' });
  removeRole('other tenant', 'a community role', (ctx) => ({ id: ctx.roles.sharedWithA.role.id }), { code: 'not_found' });
  removeRole('not allowed', 'signed out', (ctx) => ({ id: ctx.roles.customA }), { code: 'unauthenticated' }, 'anonymous');

  /* ---- communities ---- */
  const community = (category: Category, name: string, input: (ctx: Ctx) => unknown, expect?: Expectation, who: Who = 'admin') =>
    add(category, name, 'createCommunity', input, expect, who);
  community('huge string', 'name of 81 characters', () => ({ name: 'c'.repeat(81) }), { field: 'name' });
  community('missing field', 'name empty', () => ({ name: '' }), { field: 'name' });
  community('control character', 'name with a null character', () => ({ name: 'c\u0000' }), { field: 'name' });
  community('unicode', 'name with a directional isolate', () => ({ name: '\u2066Plant\u2069' }), { field: 'name' });
  // Inside the name: trim() removes a leading U+FEFF.
  community('unicode', 'name with a byte order mark inside', () => ({ name: 'Pl\ufeffant' }), { field: 'name' });
  community('unicode', 'name with a lone surrogate', () => ({ name: 'Plant \ud83d' }), { field: 'name' });
  community('wrong type', 'name a number', () => ({ name: 7 }), { field: 'name' });
  community('other tenant', 'the name of another tenant\'s community, in other case', (ctx) => ({ name: ctx.roles.onlyB.community.name.toUpperCase() }), {
    code: 'conflict',
    field: 'name',
  });
  community('huge string', 'description of 501 characters', () => ({ name: 'Plant', description: 'd'.repeat(501) }), { field: 'description' });
  community('not allowed', 'as a Tenant Member', () => ({ name: 'Plant' }), { code: 'forbidden' }, 'member');

  const removeCommunity = (category: Category, name: string, input: (ctx: Ctx) => unknown, expect?: Expectation, who: Who = 'admin') =>
    add(category, name, 'removeCommunity', input, expect, who);
  removeCommunity('other tenant', 'a community the tenant is not in', (ctx) => ({ id: ctx.roles.onlyB.community.id }), { code: 'not_found' });
  removeCommunity('other tenant', 'a community another tenant administers', (ctx) => ({ id: ctx.roles.sharedWithA.community.id }), {
    code: 'forbidden',
  });
  removeCommunity('non-guid id', 'id not a GUID', () => ({ id: 'plant' }), { field: 'id' });
  removeCommunity('non-guid id', 'an unknown id', () => ({ id: guid() }), { code: 'not_found' });
  removeCommunity('not allowed', 'signed out', (ctx) => ({ id: ctx.roles.sharedWithA.community.id }), { code: 'unauthenticated' }, 'anonymous');

  /* ---- users ---- */
  const invite = (category: Category, name: string, input: (ctx: Ctx) => unknown, expect?: Expectation, who: Who = 'admin') =>
    add(category, name, 'inviteUser', input, expect, who);
  const person = (email: string, extra: Record<string, unknown> = {}) => ({ email, name: 'Pat', roleIds: [], ...extra });
  invite('wrong type', 'email not an email', () => person('not-an-email'), { field: 'email' });
  invite('missing field', 'email empty', () => person(''), { field: 'email' });
  invite('sql/html metacharacters', 'email SQL', () => person(`${SQLI}@example.com`), { field: 'email' });
  invite('sql/html metacharacters', 'email HTML', () => person('<script>@example.com'), { field: 'email' });
  invite('wrong type', 'email without a domain dot', () => person('pat@localhost'), { field: 'email' });
  invite('huge string', 'email of 1 MB', () => person(`${HUGE}@example.com`), { field: 'email' });
  invite('control character', 'email with a null character', () => person('pat\u0000@example.com'), { field: 'email' });
  invite('control character', 'email with a line break (header injection)', () => person('pat@example.com\nBcc: x@example.com'), { field: 'email' });
  invite('unicode', 'email with a zero-width space', () => person('pat@exa\u200bmple.com'), { field: 'email' });
  invite('unicode', 'email with a Cyrillic look-alike', () => person('pаt@example.com'), { field: 'email' });
  invite('other tenant', 'the email of another tenant\'s user, in other case', (ctx) => person(ctx.b.admin.email.toUpperCase()), {
    code: 'conflict',
    field: 'email',
  });
  invite('missing field', 'name empty', () => person('pat@example.com', { name: '' }), { field: 'name' });
  invite('unicode', 'name with a right-to-left override', () => person('pat@example.com', { name: 'Pat\u202e' }), { field: 'name' });
  invite('huge string', 'name of 101 characters', () => person('pat@example.com', { name: 'n'.repeat(101) }), { field: 'name' });
  invite('other tenant', 'roleIds: another tenant\'s role', (ctx) => person('pat@example.com', { roleIds: [ctx.roles.customB] }), {
    field: 'roleIds',
  });
  invite('non-guid id', 'roleIds not GUIDs', () => person('pat@example.com', { roleIds: ['admin'] }), { field: 'roleIds.0' });
  invite('wrong type', 'roleIds a string', (ctx) => person('pat@example.com', { roleIds: ctx.roles.customA }), { field: 'roleIds' });
  invite('wrong type', 'the input is null', () => null);
  invite('not allowed', 'as a Tenant Member', () => person('pat@example.com'), { code: 'forbidden' }, 'member');
  invite('not allowed', 'signed out', () => person('pat@example.com'), { code: 'unauthenticated' }, 'anonymous');

  const setRoles = (category: Category, name: string, input: (ctx: Ctx) => unknown, expect?: Expectation, who: Who = 'admin') =>
    add(category, name, 'setUserRoles', input, expect, who);
  setRoles('other tenant', 'another tenant\'s user', (ctx) => ({ userId: ctx.b.admin.id, roleIds: [ctx.b.roleId('tenant_member')] }), {
    code: 'not_found',
  });
  setRoles('rule', 'without Tenant Member', (ctx) => ({ userId: ctx.a.member.id, roleIds: [] }), { field: 'roleIds' });
  setRoles('rule', 'the last Tenant Administrator losing the role', (ctx) => ({
    userId: ctx.a.admin.id,
    roleIds: [ctx.a.roleId('tenant_member')],
  }), { code: 'conflict' });
  setRoles('other tenant', 'roleIds: another tenant\'s role', (ctx) => ({
    userId: ctx.a.member.id,
    roleIds: [ctx.a.roleId('tenant_member'), ctx.roles.customB],
  }), { field: 'roleIds' });
  setRoles('non-guid id', 'userId not a GUID', () => ({ userId: 'pat', roleIds: [] }), { field: 'userId' });
  setRoles('wrong type', 'roleIds an object', (ctx) => ({ userId: ctx.a.member.id, roleIds: { member: true } }), { field: 'roleIds' });
  setRoles('not allowed', 'as a Tenant Member', (ctx) => ({ userId: ctx.a.member.id, roleIds: [ctx.a.roleId('tenant_member')] }), {
    code: 'forbidden',
  }, 'member');

  const removeUser = (category: Category, name: string, input: (ctx: Ctx) => unknown, expect?: Expectation, who: Who = 'admin') =>
    add(category, name, 'removeUser', input, expect, who);
  removeUser('rule', 'yourself', (ctx) => ({ userId: ctx.a.admin.id }), { code: 'forbidden' });
  removeUser('other tenant', 'another tenant\'s user', (ctx) => ({ userId: ctx.b.admin.id }), { code: 'not_found' });
  removeUser('non-guid id', 'userId not a GUID', () => ({ userId: 'x' }), { field: 'userId' });
  removeUser('non-guid id', 'an unknown user', () => ({ userId: guid() }), { code: 'not_found' });
  removeUser('not allowed', 'signed out', (ctx) => ({ userId: ctx.a.member.id }), { code: 'unauthenticated' }, 'anonymous');

  return cases;
}
