import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { accountCases } from './account-cases';
import { actionCases } from './action-cases';
import { apiCases } from './api-cases';
import { apisApiCases } from './apis-api-cases';
import { credentialCases } from './credential-cases';
import { deviceResourceCases } from './device-resource-cases';
import { dpopCases } from './dpop-cases';
import { federatedCases } from './federated-cases';
import { buildContext, type Ctx } from './fixtures';
import { identityCases } from './identity-cases';
import { mfaCases } from './mfa-cases';
import { notificationCases } from './notification-cases';
import { oidcCases } from './oidc-cases';
import { userClientApiCases } from './user-client-api-cases';
import {
  auditEventsAfter,
  differences,
  judge,
  listTables,
  snapshotter,
  type AuditRow,
  type Case,
  type Snapshot,
} from './support';

/*
 * The bad-input corpus (issue 8, item 3): several hundred malformed inputs to the console's server actions, the
 * token endpoint, introspection, discovery and the REST API. Every one must be refused with a 4xx or a field/form
 * error, never a 5xx or an exception, and must write nothing: the database (row counts of every table, and the
 * rows of the client, secret, role, user and community tables) is compared before and after each case.
 *
 * Two deliberate exceptions, both by design of the product:
 * - Introspection of a malformed, forged or foreign token by an authenticated caller answers 200 {"active":false}
 *   (RFC 7662 2.2), not a 4xx. These cases expect exactly that.
 * - The only rows a refused request may add are `client.auth_throttled` audit events: the token service audits the
 *   moment a client id starts being throttled after repeated failures (here: the `victim` client, once). A
 *   successful client authentication also stamps client_secrets.last_used_at, which is left out of the row hash.
 */

const ALL: Case<Ctx>[] = [...actionCases(), ...accountCases(), ...identityCases(), ...apiCases(), ...userClientApiCases(), ...credentialCases(), ...oidcCases(), ...federatedCases(), ...mfaCases(), ...notificationCases(), ...dpopCases(), ...deviceResourceCases(), ...apisApiCases()];
const BY_SURFACE = {
  'server actions': ALL.filter((c) => c.surface === 'action'),
  'token endpoint': ALL.filter((c) => c.surface === 'token'),
  introspection: ALL.filter((c) => c.surface === 'introspection'),
  revocation: ALL.filter((c) => c.surface === 'revocation'),
  'discovery and JWKS': ALL.filter((c) => c.surface === 'discovery'),
  'REST API': ALL.filter((c) => c.surface === 'api'),
  'sign-in endpoints (authorize, userinfo, end-session)': ALL.filter((c) => ['authorize', 'userinfo', 'end_session'].includes(c.surface)),
  'device authorization': ALL.filter((c) => c.surface === 'device_authorization'),
};

let ctx: Ctx;
let snapshot: () => Promise<Snapshot>;
let first: Snapshot;
const tally = { tried: 0, serverErrors: 0, refused: 0, inactive: 0 };
const byCategory = new Map<string, number>();
const allowedAudit: AuditRow[] = [];
/** Every console.error while a case runs: the product logs unexpected failures there (never for expected refusals). */
const errorLines: string[] = [];

beforeAll(async () => {
  ctx = await buildContext();
  snapshot = snapshotter(ctx.h, await listTables(ctx.h));
  first = await snapshot();
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    errorLines.push(args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ').slice(0, 300));
  });
}, 120_000);

afterAll(async () => {
  vi.restoreAllMocks();
  const categories = [...byCategory.entries()].sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ${n}`);
  console.log(
    `bad-input corpus: ${tally.tried} cases, ${tally.serverErrors} server errors ` +
      `(${tally.refused} refused with a 4xx or a field/form error, ${tally.inactive} forged or foreign tokens introspected as inactive)\n` +
      `  by surface: ${Object.entries(BY_SURFACE).map(([s, list]) => `${s} ${list.length}`).join(', ')}\n` +
      `  by category: ${categories.join(', ')}`,
  );
  await ctx?.close();
});

async function runCase(c: Case<Ctx>) {
  tally.tried += 1;
  byCategory.set(c.category, (byCategory.get(c.category) ?? 0) + 1);
  const before = await snapshot();
  errorLines.length = 0;
  let problems: string[];
  let serverError = false;
  try {
    const outcome = await c.run(ctx);
    ({ problems, serverError } = judge(outcome, c.expect));
  } catch (err) {
    serverError = true;
    problems = [`threw: ${(err as Error).message}`];
  }
  if (errorLines.length) {
    serverError = true;
    problems.push(...errorLines.map((l) => `logged an error: ${l}`));
  }
  const after = await snapshot();
  problems.push(...differences(before, after).map((d) => `wrote to the database: ${d}`));
  for (const event of await auditEventsAfter(ctx.h, before.lastAuditId)) {
    if (event.action === 'client.auth_throttled') allowedAudit.push(event);
    else problems.push(`wrote an audit event: ${event.action}`);
  }
  if (serverError) tally.serverErrors += 1;
  else if (problems.length === 0) {
    if (c.expect?.inactive) tally.inactive += 1;
    else tally.refused += 1;
  }
  expect(problems, `${c.surface} / ${c.category} / ${c.name}`).toEqual([]);
}

describe('bad-input corpus', () => {
  it('has at least 200 cases, each with a unique name', () => {
    expect(ALL.length).toBeGreaterThanOrEqual(200);
    const names = ALL.map((c) => `${c.surface}: ${c.name}`);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  for (const [surface, cases] of Object.entries(BY_SURFACE)) {
    describe(surface, () => {
      for (const c of cases) it(`${c.category}: ${c.name}`, () => runCase(c));
    });
  }

  it('nothing was half-written: the database is as it was before the first case', async () => {
    // The throttle's audit event is written right after the answer that triggered it: wait for it, not for a time.
    await vi.waitFor(async () => expect((await auditEventsAfter(ctx.h, first.lastAuditId)).length).toBeGreaterThanOrEqual(1));
    const last = await snapshot();
    expect(differences(first, last)).toEqual([]);
    const events = await auditEventsAfter(ctx.h, first.lastAuditId);
    // Exactly one: `victim` was throttled once; no other client reached 10 failures, and nothing else was audited.
    expect(events.map((e) => [e.action, e.target_id])).toEqual([['client.auth_throttled', ctx.clients.victim.clientId]]);
    expect(tally.serverErrors).toBe(0);
  });
});
