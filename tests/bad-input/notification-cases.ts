import { randomUUID } from 'node:crypto';
import type { ActionResult } from '@/lib/actions/result';
import type { SessionUser } from '@/lib/auth/users';
import { notificationAdminActions } from '@/lib/notifications/admin-actions';
import type { Ctx } from './fixtures';
import { HUGE, send, SQLI, TRAVERSAL, XSS, type Case, type Category, type Expectation, type HttpAnswer } from './support';

/*
 * Bad input to Security > Notifications (server actions) and the REST API's NotificationChannels: webhook URLs that
 * are not https or not URLs, recipients that are not addresses, unknown event types, thresholds out of range.
 */
type Who = 'admin' | 'member';
const userOf = (ctx: Ctx, who: Who): SessionUser => (who === 'admin' ? ctx.a.admin : ctx.a.member);

export function notificationCases(): Case<Ctx>[] {
  const cases: Case<Ctx>[] = [];
  const action = (
    category: Category,
    name: string,
    run: (a: ReturnType<typeof notificationAdminActions>) => Promise<ActionResult<unknown>>,
    expect?: Expectation,
    who: Who = 'admin',
  ) =>
    cases.push({
      surface: 'action',
      category,
      name,
      expect,
      run: async (ctx) => ({ kind: 'action', result: await run(notificationAdminActions(async () => userOf(ctx, who))) }),
    });

  const hook = { kind: 'webhook', name: 'Pager', url: 'https://hooks.example.com/x', eventTypes: ['secret.expiring'] };
  const add = (category: Category, name: string, change: Record<string, unknown>, expect?: Expectation, who: Who = 'admin') =>
    action(category, `createChannel: ${name}`, (a) => a.createChannel({ ...hook, ...change }), expect, who);
  add('rule', 'a webhook over http', { url: 'http://hooks.example.com/x' }, { field: 'url' });
  add('path traversal', 'a file: URL', { url: `file://${TRAVERSAL}` }, { field: 'url' });
  add('wrong type', 'a URL that is not a URL', { url: 'hooks' }, { field: 'url' });
  add('rule', 'a URL with a password', { url: 'https://user:pw@hooks.example.com/' }, { field: 'url' });
  add('huge string', 'a URL of 1 MB', { url: `https://a.example/${HUGE}` }, { field: 'url' });
  add('wrong type', 'url a number', { url: 42 }, { field: 'url' });
  add('missing field', 'no URL', { url: undefined }, { field: 'url' });
  add('wrong type', 'kind "pigeon"', { kind: 'pigeon' }, { field: 'kind' });
  add('missing field', 'no events', { eventTypes: [] }, { field: 'eventTypes' });
  add('wrong type', 'an unknown event type', { eventTypes: ['secret.stolen'] }, { field: 'eventTypes.0' });
  add('wrong type', 'eventTypes a string', { eventTypes: 'secret.expiring' }, { field: 'eventTypes' });
  add('sql/html metacharacters', 'a name with HTML and SQL and NUL', { name: `${XSS}\u0000${SQLI}` }, { field: 'name' });
  add('unicode', 'a name of a lone surrogate', { name: '\ud800' }, { field: 'name' });
  add('huge string', 'a name of 1 MB', { name: HUGE }, { field: 'name' });
  add('missing field', 'an email channel without recipients', { kind: 'email', emailAdmins: false, emailAddresses: '' }, { field: 'emailAddresses' });
  add('rule', 'an email address that is not one', { kind: 'email', emailAddresses: `ops@example.test\n${XSS}` }, { field: 'emailAddresses' });
  add('huge string', '21 email addresses', { kind: 'email', emailAddresses: Array.from({ length: 21 }, (_, i) => `a${i}@example.test`) }, { field: 'emailAddresses' });
  add('wrong type', 'emailAdmins "yes"', { kind: 'email', emailAdmins: 'yes' }, { field: 'emailAdmins' });
  add('not allowed', 'as a Tenant Member', {}, { code: 'forbidden' }, 'member');
  action('non-guid id', 'updateChannel: channelId SQL', (a) => a.updateChannel({ ...hook, channelId: SQLI }), { field: 'channelId' });
  action('other tenant', 'updateChannel: an unknown channel', (a) => a.updateChannel({ ...hook, channelId: randomUUID() }), { code: 'not_found' });
  action('non-guid id', 'removeChannel: channelId "abc"', (a) => a.removeChannel({ channelId: 'abc' }), { field: 'channelId' });
  action('other tenant', 'removeChannel: an unknown channel', (a) => a.removeChannel({ channelId: randomUUID() }), { code: 'not_found' });
  action('other tenant', 'sendTestEvent: an unknown channel', (a) => a.sendTestEvent({ channelId: randomUUID() }), { code: 'not_found' });
  action('bad number', 'resendDelivery: id -1', (a) => a.resendDelivery({ deliveryId: -1 }), { field: 'deliveryId' });
  action('bad number', 'resendDelivery: id 1e400', (a) => a.resendDelivery({ deliveryId: '1e400' }), { field: 'deliveryId' });
  action('other tenant', 'resendDelivery: an unknown delivery', (a) => a.resendDelivery({ deliveryId: 2 ** 40 }), { code: 'not_found' });
  const thresholds = (category: Category, name: string, change: Record<string, unknown>, field: string) =>
    action(category, `updateThresholds: ${name}`, (a) => a.updateThresholds({ unusedDays: 90, failureSpikeCount: 20, failureSpikeMinutes: 5, ...change }), { field });
  thresholds('bad number', 'unusedDays 0', { unusedDays: 0 }, 'unusedDays');
  thresholds('bad number', 'unusedDays 1.5', { unusedDays: '1.5' }, 'unusedDays');
  thresholds('unicode', 'failureSpikeCount in full-width digits', { failureSpikeCount: '２０' }, 'failureSpikeCount');
  thresholds('bad number', 'failureSpikeMinutes 1441', { failureSpikeMinutes: 1441 }, 'failureSpikeMinutes');
  thresholds('wrong type', 'failureSpikeMinutes an object', { failureSpikeMinutes: { n: 5 } }, 'failureSpikeMinutes');

  const path = (ctx: Ctx) => `/api/v1/Tenants/${ctx.a.tenantId}/NotificationChannels`;
  const api = (category: Category, name: string, run: (ctx: Ctx) => Promise<HttpAnswer>, expect: Expectation) =>
    cases.push({ surface: 'api', category, name, expect, run: async (ctx) => ({ kind: 'http', answer: await run(ctx) }) });
  const call = (ctx: Ctx, p: string, init: { method?: string; json?: unknown } = {}) =>
    send(ctx.api + p, {
      method: init.method ?? 'GET',
      headers: { Authorization: `Bearer ${ctx.tokens.a}`, ...(init.json !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      body: init.json !== undefined ? JSON.stringify(init.json) : undefined,
    });
  const base = { Type: 'Webhook', Name: 'Pager', Url: 'https://hooks.example.com/x', EventTypes: ['secret.expired'] };
  const post = (category: Category, name: string, body: unknown, expect: Expectation = { status: 400 }) =>
    api(category, `POST notification channel: ${name}`, (ctx) => call(ctx, path(ctx), { method: 'POST', json: body }), expect);
  post('rule', 'Url over http', { ...base, Url: 'http://hooks.example.com/' });
  post('wrong type', 'Url an object', { ...base, Url: { href: 'https://a.example' } });
  post('wrong type', 'Type "Sms"', { ...base, Type: 'Sms' });
  post('rule', 'Email without SMTP configured', { ...base, Type: 'Email', EmailTenantAdministrators: true });
  post('wrong type', 'EventTypes an object', { ...base, EventTypes: { a: 1 } });
  post('array for object', 'the body an array', [base]);
  post('unicode', 'a Name of only a zero-width space', { ...base, Name: '\u200b' });
  post('oversized body', 'a Name over 32 KiB', { ...base, Name: 'n'.repeat(40_000) }, { status: 413 });
  api('non-guid id', 'GET notification channel: id "abc"', (ctx) => call(ctx, `${path(ctx)}/abc`), { status: 404 });
  api('other tenant', 'PUT notification channel: an unknown id', (ctx) => call(ctx, `${path(ctx)}/${randomUUID()}`, { method: 'PUT', json: base }), { status: 404 });
  api('method', 'PATCH notification channels', (ctx) => call(ctx, path(ctx), { method: 'PATCH', json: {} }), { status: 405 });

  /* ---- Leaked-secret reports (no authentication; nothing is written for a refused report) ---- */
  const reportCase = (category: Category, name: string, init: { method?: string; type?: string; body?: string }, status: number) =>
    cases.push({
      surface: 'token',
      category,
      name: `secret report: ${name}`,
      expect: { status },
      run: async (ctx) => ({
        kind: 'http',
        answer: await send(`${ctx.identity}/identity/connect/secret-report`, {
          method: init.method ?? 'POST',
          headers: { 'Content-Type': init.type ?? 'application/json' },
          body: init.body,
        }),
      }),
    });
  reportCase('method', 'GET', { method: 'GET' }, 405);
  reportCase('content type', 'form-encoded', { type: 'application/x-www-form-urlencoded', body: 'token=tscs_x' }, 415);
  reportCase('invalid encoding', 'JSON cut short', { body: '[{"token":' }, 400);
  reportCase('array for object', 'an object, not a list', { body: '{"token":"tscs_x"}' }, 400);
  reportCase('wrong type', 'token a number', { body: '[{"token":42}]' }, 400);
  reportCase('huge string', '101 candidates', { body: JSON.stringify(Array.from({ length: 101 }, () => ({ token: 'x' }))) }, 400);
  reportCase('oversized body', 'a body over 64 KiB', { body: JSON.stringify([{ token: HUGE.slice(0, 70_000) }]) }, 413);
  return cases;
}
