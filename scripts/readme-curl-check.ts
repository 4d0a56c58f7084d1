/**
 * Runs the README's REST API curl example (the ```sh block between <!-- api-curl-example:start --> and
 * <!-- api-curl-example:end -->) against a running server, so the README cannot drift from the API.
 *
 *   BASE=http://localhost:3000 npx tsx scripts/readme-curl-check.ts
 *
 * Settings (environment):
 *   BASE                              the running server (default http://localhost:3000)
 *   CLIENT_ID, CLIENT_SECRET, TENANT_ID   a Tenant Administrator client to run the example with; when left out, the
 *                                     script signs in as ADMIN_EMAIL / ADMIN_PASSWORD (the first-start administrator),
 *                                     adds such a client through the API with that session, and removes it afterwards
 *   README                            the file to read (default README.md)
 * Needs bash, curl and jq. Exits non-zero if any step of the example fails (every curl there uses --fail-with-body),
 * or if the example leaves its client behind.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { CookieJar, signInOverHttp } from '../lib/testing/http-sign-in';

const BASE = (process.env.BASE || 'http://localhost:3000').replace(/\/+$/, '');
const README = process.env.README || 'README.md';
const START = '<!-- api-curl-example:start -->';
const END = '<!-- api-curl-example:end -->';
/** The example's own settings, which the check supplies instead. */
const SETTINGS = ['BASE', 'TENANT_ID', 'CLIENT_ID', 'CLIENT_SECRET'];

function fail(message: string): never {
  console.error(`readme-curl-check: ${message}`);
  process.exit(1);
}

function exampleScript(): string {
  const text = fs.readFileSync(README, 'utf8');
  const from = text.indexOf(START);
  const to = text.indexOf(END, from);
  if (from < 0 || to < 0) fail(`${README} has no ${START} ... ${END} section.`);
  const blocks = [...text.slice(from, to).matchAll(/```(?:sh|bash)\n([\s\S]*?)```/g)].map((m) => m[1]);
  if (blocks.length === 0) fail(`the section in ${README} has no sh code block.`);
  const settingLine = new RegExp(`^(${SETTINGS.join('|')})=`);
  return blocks
    .join('\n')
    .split('\n')
    .filter((line) => !settingLine.test(line))
    .join('\n');
}

type Session = { jar: CookieJar; tenantId: string };

async function signIn(email: string, password: string): Promise<Session> {
  // The sign-in page's form, posted as a browser without JavaScript does (lib/testing/http-sign-in.ts).
  const jar = await signInOverHttp(BASE, email, password).catch((err: Error) => fail(`${err.message} (check ADMIN_EMAIL / ADMIN_PASSWORD).`));
  const session = (await (await fetch(`${BASE}/api/auth/session`, { headers: { Cookie: jar.header() } })).json()) as {
    user?: { tenantId?: string };
  } | null;
  if (!session?.user?.tenantId) fail(`signing in as ${email} failed (check ADMIN_EMAIL / ADMIN_PASSWORD).`);
  return { jar, tenantId: session.user.tenantId };
}

/** A same-origin API call with the console session (the Origin header is what the API's cross-site check wants). */
async function sessionCall(s: Session, method: string, path: string, body?: unknown) {
  const res = await fetch(`${BASE}/api/v1/Tenants/${s.tenantId}${path}`, {
    method,
    headers: {
      Cookie: s.jar.header(),
      Origin: BASE,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as unknown) : null };
}

async function bootstrapClient(s: Session) {
  const roles = await sessionCall(s, 'GET', '/Roles?count=1000');
  const admin = (roles.json as { Id: string; RoleType: string }[] | null)?.find((r) => r.RoleType === 'tenant_administrator');
  if (roles.status !== 200 || !admin) fail(`could not read the tenant's roles (${roles.status}).`);
  const created = await sessionCall(s, 'POST', '/ClientCredentialClients', {
    Name: `README check ${new Date().toISOString()}`,
    RoleIds: [admin.Id],
    AccessTokenLifetime: 300,
    SecretExpirationDate: new Date(Date.now() + 3_600_000).toISOString(),
  });
  if (created.status !== 201) fail(`could not add the check's client (${created.status}): ${JSON.stringify(created.json)}`);
  const c = created.json as { Id: string; ClientSecret: string };
  return { clientId: c.Id, secret: c.ClientSecret };
}

/** Id -> Name of the tenant's client-credentials clients, read with the example's own credentials. */
async function clientIds(clientId: string, secret: string, tenantId: string): Promise<Map<string, string>> {
  const tokenRes = await fetch(`${BASE}/identity/connect/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret }),
  });
  if (tokenRes.status !== 200) fail(`the token endpoint refused CLIENT_ID/CLIENT_SECRET (${tokenRes.status}).`);
  const { access_token: token } = (await tokenRes.json()) as { access_token: string };
  const ids = new Map<string, string>();
  for (let skip = 0; ; skip += 1000) {
    const res = await fetch(`${BASE}/api/v1/Tenants/${tenantId}/ClientCredentialClients?skip=${skip}&count=1000`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    if (res.status !== 200) fail(`listing the clients answered ${res.status}.`);
    const page = (await res.json()) as { Id: string; Name: string }[];
    for (const c of page) ids.set(c.Id, c.Name);
    if (page.length < 1000) return ids;
  }
}

async function main() {
  const script = exampleScript();
  let clientId = process.env.CLIENT_ID;
  let secret = process.env.CLIENT_SECRET;
  let tenantId = process.env.TENANT_ID;
  let session: Session | null = null;
  if (!clientId || !secret || !tenantId) {
    session = await signIn(process.env.ADMIN_EMAIL || 'admin@example.com', process.env.ADMIN_PASSWORD || fail('set ADMIN_PASSWORD, or CLIENT_ID, CLIENT_SECRET and TENANT_ID.'));
    tenantId = session.tenantId;
    ({ clientId, secret } = await bootstrapClient(session));
    console.log(`readme-curl-check: using a temporary Tenant Administrator client ${clientId}`);
  }

  const before = await clientIds(clientId, secret, tenantId);
  const run = spawnSync('bash', ['-euo', 'pipefail', '-c', script], {
    env: { ...process.env, BASE, TENANT_ID: tenantId, CLIENT_ID: clientId, CLIENT_SECRET: secret },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  process.stdout.write(run.stdout);
  process.stderr.write(run.stderr);

  let problem = run.status === 0 ? null : `the example failed (exit ${run.status}).`;
  if (!problem && run.stdout.trim().split('\n').pop() !== '404') problem = 'the example did not end with the removed client answering 404.';
  // Clients added meanwhile by anyone else using the tenant (the e2e specs run beside this check) are not the example's:
  // only new clients named as the example names them count.
  const left = [...(await clientIds(clientId, secret, tenantId))]
    .filter(([id, name]) => !before.has(id) && script.includes(name))
    .map(([id]) => id);
  if (!problem && left.length) problem = `the example left ${left.length} client(s) behind: ${left.join(', ')}.`;
  if (session) {
    const removed = await sessionCall(session, 'DELETE', `/ClientCredentialClients/${clientId}`);
    if (removed.status !== 204) console.error(`readme-curl-check: removing the temporary client answered ${removed.status}.`);
  }
  if (problem) fail(problem);
  console.log('readme-curl-check: the README example ran end to end.');
}

main().catch((err) => fail((err as Error).message));
