import { randomUUID } from 'node:crypto';
import type { ActionResult } from '@/lib/actions/result';
import type { SessionUser } from '@/lib/auth/users';
import { accountMfaActions } from '@/lib/auth/mfa/account-actions';
import { mfaAdminActions } from '@/lib/auth/mfa/admin-actions';
import { relyingPartyFor } from '@/lib/auth/mfa/passkeys';
import { policyAdminActions } from '@/lib/policy/admin-actions';
import type { Ctx } from './fixtures';
import { HUGE, SQLI, XSS, type Case, type Category, type Expectation } from './support';

/*
 * Bad input to the multi-factor authentication actions (Account > Multi-factor authentication, Security > Users
 * Reset MFA, Security > Settings), called as the pages call them. Inputs are refused by the schema or by the rules
 * before anything is checked against a password or a code, so nothing (not even a throttle count) is written.
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
  const rp = async () => relyingPartyFor('http://localhost:3000');
  const none = { end: async () => [] as string[], forget: () => {} };
  return {
    ...accountMfaActions(getUser, rp),
    ...mfaAdminActions(getUser, none),
    updateMfaPolicy: policyAdminActions(getUser).updateMfaPolicy,
  };
};
type ActionName = keyof ReturnType<typeof actionsOf>;

const WHOLE_INPUTS: [string, unknown][] = [
  ['null', null],
  ['a string', 'code=123456'],
  ['a number', 42],
  ['a boolean', true],
  ['an empty array', []],
];

const forgedRegistration = () => ({
  id: 'AAAA',
  rawId: 'AAAA',
  type: 'public-key',
  response: { clientDataJSON: 'e30', attestationObject: 'oA' },
  clientExtensionResults: {},
});

export function mfaCases(): Case<Ctx>[] {
  const cases: Case<Ctx>[] = [];
  const add = (category: Category, name: string, action: ActionName, input: (ctx: Ctx) => unknown, expect?: Expectation, who: Who = 'admin') =>
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

  /* ---- confirmTotp: the 6-digit code ---- */
  for (const [name, value] of WHOLE_INPUTS) add('wrong type', `the input is ${name}`, 'confirmTotp', () => value);
  const codes: [Category, string, unknown][] = [
    ['missing field', 'empty', ''],
    ['wrong type', 'a number', 123456],
    ['wrong type', 'null', null],
    ['array for object', 'an array', ['123456']],
    ['bad number', 'five digits', '12345'],
    ['bad number', 'seven digits', '1234567'],
    ['unicode', 'full-width digits', '１２３４５６'],
    ['unicode', 'Arabic-Indic digits', '١٢٣٤٥٦'],
    ['control character', 'digits and a null character', '123\u0000456'],
    ['huge string', '1 MB', HUGE],
    ['sql/html metacharacters', 'SQL', SQLI],
    ['sql/html metacharacters', 'HTML', XSS],
  ];
  for (const [category, name, value] of codes) add(category, `code ${name}`, 'confirmTotp', () => ({ code: value }), { field: 'code' });
  add('missing field', 'code left out', 'confirmTotp', () => ({}), { field: 'code' });
  add('not allowed', 'signed out', 'confirmTotp', () => ({ code: '123456' }), { code: 'unauthenticated' }, 'anonymous');
  // A well-formed code with no enrolment pending: refused at the field, nothing written.
  add('wrong type', 'a code with nothing to confirm', 'confirmTotp', () => ({ code: '123456' }), { field: 'code' });

  /* ---- beginTotp / beginPasskey take nothing ---- */
  for (const action of ['beginTotp', 'beginPasskey'] as const) {
    add('wrong type', 'a string', action, () => 'x');
    add('wrong type', 'an object with a field', action, () => ({ userId: randomUUID() }));
    add('array for object', 'an array', action, () => [{}]);
    add('not allowed', 'signed out', action, () => undefined, { code: 'unauthenticated' }, 'anonymous');
  }

  /* ---- proofs: removeTotp, regenerateRecoveryCodes, removePasskey ---- */
  for (const action of ['removeTotp', 'regenerateRecoveryCodes'] as const) {
    for (const [name, value] of WHOLE_INPUTS) add('wrong type', `the input is ${name}`, action, () => value);
    add('missing field', 'proof left out', action, () => ({}), { field: 'proof' });
    add('missing field', 'proof empty', action, () => ({ proof: '' }), { field: 'proof' });
    add('wrong type', 'proof a number', action, () => ({ proof: 123456 }), { field: 'proof' });
    add('huge string', 'proof of 1 MB', action, () => ({ proof: HUGE }), { field: 'proof' });
    add('not allowed', 'signed out', action, () => ({ proof: 'x' }), { code: 'unauthenticated' }, 'anonymous');
  }
  add('non-guid id', 'passkeyId not a GUID', 'removePasskey', () => ({ passkeyId: '1', proof: 'x' }), { field: 'passkeyId' });
  add('sql/html metacharacters', 'passkeyId SQL', 'removePasskey', () => ({ passkeyId: SQLI, proof: 'x' }), { field: 'passkeyId' });
  add('missing field', 'passkeyId left out', 'removePasskey', () => ({ proof: 'x' }), { field: 'passkeyId' });
  add('missing field', 'proof left out', 'removePasskey', () => ({ passkeyId: randomUUID() }), { field: 'proof' });

  /* ---- addPasskey: the name and the browser's answer ---- */
  const passkey = (ctx: Ctx, change: Record<string, unknown>) => ({ stateId: 'x'.repeat(43), name: 'Laptop', response: forgedRegistration(), ...change });
  for (const [name, value] of WHOLE_INPUTS) add('wrong type', `the input is ${name}`, 'addPasskey', () => value);
  add('missing field', 'name empty', 'addPasskey', (ctx) => passkey(ctx, { name: '' }), { field: 'name' });
  add('missing field', 'name only spaces', 'addPasskey', (ctx) => passkey(ctx, { name: '   ' }), { field: 'name' });
  add('huge string', 'name of 61 characters', 'addPasskey', (ctx) => passkey(ctx, { name: 'x'.repeat(61) }), { field: 'name' });
  add('control character', 'name with a line break', 'addPasskey', (ctx) => passkey(ctx, { name: 'a\nb' }), { field: 'name' });
  add('control character', 'name with a null character', 'addPasskey', (ctx) => passkey(ctx, { name: 'a\u0000b' }), { field: 'name' });
  add('wrong type', 'name a number', 'addPasskey', (ctx) => passkey(ctx, { name: 7 }), { field: 'name' });
  add('missing field', 'stateId left out', 'addPasskey', (ctx) => passkey(ctx, { stateId: undefined }), { field: 'stateId' });
  add('huge string', 'stateId of 1 MB', 'addPasskey', (ctx) => passkey(ctx, { stateId: HUGE }), { field: 'stateId' });
  add('wrong type', 'response a string', 'addPasskey', (ctx) => passkey(ctx, { response: 'credential' }), { field: 'response' });
  add('wrong type', 'response of another type', 'addPasskey', (ctx) => passkey(ctx, { response: { ...forgedRegistration(), type: 'password' } }), {
    field: 'response.type',
  });
  add('huge string', 'attestationObject of 1 MB', 'addPasskey', (ctx) =>
    passkey(ctx, { response: { ...forgedRegistration(), response: { clientDataJSON: 'e30', attestationObject: HUGE } } }),
  );
  add('invalid encoding', 'id not base64url', 'addPasskey', (ctx) => passkey(ctx, { response: { ...forgedRegistration(), id: 'a+b/c=' } }), {
    field: 'response.id',
  });
  // Well-formed but answering no challenge of ours: refused, nothing stored.
  add('bearer token', 'a forged answer to an unknown challenge', 'addPasskey', (ctx) => passkey(ctx, {}));
  add('not allowed', 'signed out', 'addPasskey', (ctx) => passkey(ctx, {}), { code: 'unauthenticated' }, 'anonymous');

  /* ---- resetUserMfa (Security > Users) ---- */
  for (const [name, value] of WHOLE_INPUTS) add('wrong type', `the input is ${name}`, 'resetUserMfa', () => value);
  add('non-guid id', 'userId not a GUID', 'resetUserMfa', () => ({ userId: 'admin' }), { field: 'userId' });
  add('missing field', 'userId left out', 'resetUserMfa', () => ({}), { field: 'userId' });
  add('other tenant', "another tenant's user", 'resetUserMfa', (ctx) => ({ userId: ctx.b.admin.id }), { code: 'not_found' });
  add('other tenant', 'an unknown user', 'resetUserMfa', () => ({ userId: randomUUID() }), { code: 'not_found' });
  add('not allowed', 'oneself', 'resetUserMfa', (ctx) => ({ userId: ctx.a.admin.id }));
  add('not allowed', 'a Tenant Member', 'resetUserMfa', (ctx) => ({ userId: ctx.a.admin.id }), { code: 'forbidden' }, 'member');
  add('not allowed', 'signed out', 'resetUserMfa', (ctx) => ({ userId: ctx.a.member.id }), { code: 'unauthenticated' }, 'anonymous');

  /* ---- updateMfaPolicy (Security > Settings) ---- */
  for (const [name, value] of WHOLE_INPUTS) add('wrong type', `the input is ${name}`, 'updateMfaPolicy', () => value);
  add('wrong type', 'requireAdminMfa "true"', 'updateMfaPolicy', () => ({ requireAdminMfa: 'true' }), { field: 'requireAdminMfa' });
  add('wrong type', 'requireAdminMfa 1', 'updateMfaPolicy', () => ({ requireAdminMfa: 1 }), { field: 'requireAdminMfa' });
  add('missing field', 'requireAdminMfa left out', 'updateMfaPolicy', () => ({}), { field: 'requireAdminMfa' });
  add('not allowed', 'a Tenant Member', 'updateMfaPolicy', () => ({ requireAdminMfa: false }), { code: 'forbidden' }, 'member');
  add('not allowed', 'signed out', 'updateMfaPolicy', () => ({ requireAdminMfa: false }), { code: 'unauthenticated' }, 'anonymous');

  return cases;
}
