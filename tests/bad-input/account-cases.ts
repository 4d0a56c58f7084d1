import { randomUUID } from 'node:crypto';
import type { ActionResult } from '@/lib/actions/result';
import type { CurrentSession } from '@/lib/actions/user-action';
import type { SessionUser } from '@/lib/auth/users';
import { sessionPolicyAdminActions } from '@/lib/auth/session-policy';
import { accountActions } from '@/lib/users/account-actions';
import { userAdminActions } from '@/lib/users/admin-actions';
import { chooseOwnPassword } from '@/lib/users/passwords';
import type { Ctx } from './fixtures';
import { HUGE, SQLI, XSS, type Case, type Category, type Expectation } from './support';

/*
 * Bad input to the sign-in and password actions (issue 21): /account (Change password, Sign out of a session, Sign
 * out everywhere else), "Choose your password" at sign-in (its domain write, after the pending-cookie check), and
 * Security > Users (Reset password, Sign out all sessions, Clear lock). Each must be a field or form error: never ok,
 * never "something went wrong", nothing written.
 */

type Who = 'admin' | 'member' | 'anonymous';
const userOf = (ctx: Ctx, who: Who): SessionUser | null => (who === 'admin' ? ctx.a.admin : who === 'member' ? ctx.a.member : null);
/** The caller's session id: a row need not exist for these refusals (nothing gets as far as the sessions table). */
const SESSION_ID = randomUUID();

const WHOLE_INPUTS: [string, unknown][] = [
  ['null', null],
  ['undefined', undefined],
  ['a string', 'x=1'],
  ['a number', 42],
  ['an array', []],
];

export function accountCases(): Case<Ctx>[] {
  const cases: Case<Ctx>[] = [];
  const push = (category: Category, name: string, expect: Expectation | undefined, call: (ctx: Ctx) => Promise<ActionResult<unknown>>) =>
    cases.push({ surface: 'action', category, name, expect, run: async (ctx) => ({ kind: 'action', result: await call(ctx) }) });

  const account = (ctx: Ctx, who: Who) => {
    const user = userOf(ctx, who);
    const session: CurrentSession | null = user ? { user, sessionId: SESSION_ID } : null;
    return accountActions(async () => session, async () => '203.0.113.21');
  };
  const admin = (ctx: Ctx, who: Who) => userAdminActions(async () => userOf(ctx, who));

  /* ---- Change password ---- */
  const valid = { currentPassword: 'correct horse battery staple', newPassword: 'a different long passphrase', confirmPassword: 'a different long passphrase' };
  const change = (category: Category, name: string, input: unknown, expect?: Expectation, who: Who = 'member') =>
    push(category, `changePassword: ${name}`, expect, (ctx) => account(ctx, who).changePassword(input));
  for (const [name, value] of WHOLE_INPUTS) change('wrong type', `the input is ${name}`, value);
  change('missing field', 'currentPassword left out', { ...valid, currentPassword: undefined }, { field: 'currentPassword' });
  change('missing field', 'currentPassword empty', { ...valid, currentPassword: '' }, { field: 'currentPassword' });
  change('huge string', 'currentPassword of 1 MB', { ...valid, currentPassword: HUGE }, { field: 'currentPassword' });
  change('wrong type', 'currentPassword a number', { ...valid, currentPassword: 12345678 }, { field: 'currentPassword' });
  change('missing field', 'newPassword empty', { ...valid, newPassword: '', confirmPassword: '' }, { field: 'newPassword' });
  change('rule', 'newPassword of 11 characters', { ...valid, newPassword: 'elevenchars', confirmPassword: 'elevenchars' }, { field: 'newPassword' });
  change('rule', 'newPassword a common password', { ...valid, newPassword: 'qwertyuiop123', confirmPassword: 'qwertyuiop123' }, { field: 'newPassword' });
  change('rule', 'newPassword a common password with digits and symbols added', { ...valid, newPassword: '2024Sunshine!!', confirmPassword: '2024Sunshine!!' }, { field: 'newPassword' });
  change('rule', 'newPassword one character repeated', { ...valid, newPassword: 'zzzzzzzzzzzzzzzz', confirmPassword: 'zzzzzzzzzzzzzzzz' }, { field: 'newPassword' });
  change('huge string', 'newPassword of 1 MB', { ...valid, newPassword: HUGE, confirmPassword: HUGE }, { field: 'newPassword' });
  change('unicode', 'newPassword of 129 emoji', { ...valid, newPassword: '🔑'.repeat(129), confirmPassword: '🔑'.repeat(129) }, { field: 'newPassword' });
  change('wrong type', 'newPassword an array', { ...valid, newPassword: ['a different long passphrase'] }, { field: 'newPassword' });
  change('rule', 'confirmPassword different', { ...valid, confirmPassword: 'a different long passphrasE' }, { field: 'confirmPassword' });
  change('rule', 'newPassword the same as the current one', { ...valid, newPassword: valid.currentPassword, confirmPassword: valid.currentPassword }, { field: 'newPassword' });
  change('sql/html metacharacters', 'SQL and HTML in every field (confirmation differs)', { currentPassword: SQLI, newPassword: XSS, confirmPassword: SQLI }, { field: 'confirmPassword' });
  change('not allowed', 'signed out', valid, { code: 'unauthenticated' }, 'anonymous');

  /* ---- Sign out of one session; everywhere else ---- */
  const endOne = (category: Category, name: string, input: (ctx: Ctx) => unknown, expect?: Expectation, who: Who = 'member') =>
    push(category, `endSession: ${name}`, expect, (ctx) => account(ctx, who).endSession(input(ctx)));
  for (const [name, value] of WHOLE_INPUTS) endOne('wrong type', `the input is ${name}`, () => value);
  endOne('non-guid id', 'sessionId not a GUID', () => ({ sessionId: 'current' }), { field: 'sessionId' });
  endOne('huge string', 'sessionId of 1 MB', () => ({ sessionId: HUGE }), { field: 'sessionId' });
  endOne('wrong type', 'sessionId a number', () => ({ sessionId: 1 }), { field: 'sessionId' });
  endOne('non-guid id', 'an unknown session', () => ({ sessionId: randomUUID() }), { code: 'not_found' });
  endOne('rule', 'the session in use (Sign out does that)', () => ({ sessionId: SESSION_ID }), { code: 'invalid' });
  endOne('not allowed', 'signed out', () => ({ sessionId: randomUUID() }), { code: 'unauthenticated' }, 'anonymous');
  const endOthers = (category: Category, name: string, input: unknown, expect?: Expectation, who: Who = 'member') =>
    push(category, `endOtherSessions: ${name}`, expect, (ctx) => account(ctx, who).endOtherSessions(input));
  endOthers('wrong type', 'the input is null', null);
  endOthers('wrong type', 'the input is a string', 'all');
  endOthers('other tenant', 'a userId smuggled in', { userId: randomUUID() });
  endOthers('not allowed', 'signed out', {}, { code: 'unauthenticated' }, 'anonymous');

  /* ---- Choose your password (its domain write; the action checks the pending cookie first) ---- */
  const choose = (category: Category, name: string, input: unknown, expect?: Expectation) =>
    push(category, `choosePassword: ${name}`, expect, async (ctx) => chooseOwnPassword(ctx.h.db, ctx.a.member.id, input));
  for (const [name, value] of WHOLE_INPUTS) choose('wrong type', `the input is ${name}`, value);
  choose('missing field', 'newPassword left out', { confirmPassword: 'a long enough passphrase' }, { field: 'newPassword' });
  choose('rule', 'newPassword too common', { newPassword: 'iloveyou1234', confirmPassword: 'iloveyou1234' }, { field: 'newPassword' });
  choose('rule', 'confirmPassword different', { newPassword: 'a long enough passphrase', confirmPassword: 'a long enough passphras' }, { field: 'confirmPassword' });
  choose('huge string', 'newPassword of 1 MB', { newPassword: HUGE, confirmPassword: HUGE }, { field: 'newPassword' });
  choose('rule', 'the password the user was given', { newPassword: 'correct horse battery staple', confirmPassword: 'correct horse battery staple' }, { field: 'newPassword' });

  /* ---- Security > Users: Reset password, Sign out all sessions, Clear lock ---- */
  for (const action of ['resetPassword', 'endUserSessions', 'clearSignInLock'] as const) {
    const run = (category: Category, name: string, input: (ctx: Ctx) => unknown, expect?: Expectation, who: Who = 'admin') =>
      push(category, `${action}: ${name}`, expect, (ctx) => admin(ctx, who)[action](input(ctx)));
    for (const [name, value] of WHOLE_INPUTS) run('wrong type', `the input is ${name}`, () => value);
    run('non-guid id', 'userId not a GUID', () => ({ userId: 'admin' }), { field: 'userId' });
    run('huge string', 'userId of 1 MB', () => ({ userId: HUGE }), { field: 'userId' });
    run('non-guid id', 'an unknown user', () => ({ userId: randomUUID() }), { code: 'not_found' });
    run('other tenant', "another tenant's user", (ctx) => ({ userId: ctx.b.admin.id }), { code: 'not_found' });
    run('not allowed', 'as a Tenant Member', (ctx) => ({ userId: ctx.a.admin.id }), { code: 'forbidden' }, 'member');
    run('not allowed', 'signed out', (ctx) => ({ userId: ctx.a.member.id }), { code: 'unauthenticated' }, 'anonymous');
  }
  push('rule', 'resetPassword: your own (Change password is for that)', { code: 'forbidden' }, (ctx) => admin(ctx, 'admin').resetPassword({ userId: ctx.a.admin.id }));

  /* ---- Security > Settings: Console Sessions ---- */
  const policy = (category: Category, name: string, input: unknown, expect?: Expectation, who: Who = 'admin') =>
    push(category, `updateSessionPolicy: ${name}`, expect, (ctx) => sessionPolicyAdminActions(async () => userOf(ctx, who)).updateSessionPolicy(input));
  const okPolicy = { idleMinutes: '30', maxHours: '12' };
  for (const [name, value] of WHOLE_INPUTS) policy('wrong type', `the input is ${name}`, value);
  for (const [category, name, value] of [
    ['bad number', '4 (below the minimum)', '4'],
    ['bad number', '1441 (above the maximum)', 1441],
    ['bad number', '-30', '-30'],
    ['bad number', '30.5', 30.5],
    ['bad number', 'NaN', NaN],
    ['bad number', 'Infinity', Infinity],
    ['bad number', '"1e2"', '1e2'],
    ['bad number', '"0x1e"', '0x1e'],
    ['unicode', 'full-width digits', '３０'],
    ['wrong type', 'a boolean', true],
    ['wrong type', 'null', null],
    ['array for object', 'an array', [30]],
    ['huge string', '1 MB of digits', '9'.repeat(1024 * 1024)],
    ['sql/html metacharacters', 'SQL', '30; DROP TABLE sessions'],
  ] as [Category, string, unknown][]) {
    policy(category, `idleMinutes ${name}`, { ...okPolicy, idleMinutes: value }, { field: 'idleMinutes' });
  }
  policy('bad number', 'maxHours 0', { ...okPolicy, maxHours: 0 }, { field: 'maxHours' });
  policy('bad number', 'maxHours 721', { ...okPolicy, maxHours: '721' }, { field: 'maxHours' });
  policy('missing field', 'maxHours left out', { idleMinutes: '30' }, { field: 'maxHours' });
  policy('not allowed', 'as a Tenant Member', okPolicy, { code: 'forbidden' }, 'member');
  policy('not allowed', 'signed out', okPolicy, { code: 'unauthenticated' }, 'anonymous');

  return cases;
}
