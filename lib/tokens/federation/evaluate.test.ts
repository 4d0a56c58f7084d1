import { describe, expect, it } from 'vitest';
import { checkClaims, claimPath, claimsFailure, claimsHold, claimValue, decodeFederatedToken, type FederatedRule } from './evaluate';

const rule: FederatedRule = {
  id: 1,
  name: 'deploy',
  issuer: 'https://token.actions.githubusercontent.com',
  audience: 'https://console.example/identity',
  subject: 'repo:acme/*:ref:refs/heads/main',
  subjectOperator: 'glob',
  conditions: [
    { claim: 'repository_owner', operator: 'equals', values: ['acme'] },
    { claim: 'runner_environment', operator: 'one_of', values: ['github-hosted', 'self-hosted'] },
    { claim: 'groups', operator: 'glob', values: ['deploy-*'] },
  ],
  maxTokenAgeSeconds: 3600,
  singleUse: true,
  expiresAt: null,
};
const now = Date.now();
const t = Math.floor(now / 1000);
const good = {
  iss: rule.issuer,
  aud: [rule.audience, 'other'],
  sub: 'repo:acme/api:ref:refs/heads/main',
  iat: t - 10,
  nbf: t - 10,
  exp: t + 300,
  repository_owner: 'acme',
  runner_environment: 'self-hosted',
  groups: ['readers', 'deploy-prod'],
};

describe('claim checks', () => {
  it('the fast check agrees with the full one on every variant, and the failure names the check', () => {
    const variants: [Record<string, unknown>, string | null][] = [
      [good, null],
      [{ ...good, aud: rule.audience }, null],
      [{ ...good, iat: undefined, nbf: undefined }, null],
      [{ ...good, iss: 'https://gitlab.com' }, 'iss https://gitlab.com is not https://token.actions.githubusercontent.com'],
      [{ ...good, aud: 'x' }, 'aud x does not contain https://console.example/identity'],
      [{ ...good, aud: undefined }, 'aud is missing'],
      [{ ...good, exp: undefined }, 'exp is missing'],
      [{ ...good, exp: '9999999999' }, 'exp is missing'],
      [{ ...good, nbf: t + 600 }, expect.stringMatching(/^the token is not valid before /) as unknown as string],
      [{ ...good, iat: t + 600 }, expect.stringMatching(/^the token was issued in the future/) as unknown as string],
      [{ ...good, iat: t - 7200 }, 'the token is 120 minutes old (at most 60 allowed)'],
      [{ ...good, iat: undefined, exp: t + 7200 }, expect.stringMatching(/^the token has no iat and is valid for/) as unknown as string],
      [{ ...good, sub: 'repo:acme/api:ref:refs/heads/dev' }, 'sub repo:acme/api:ref:refs/heads/dev did not match repo:acme/*:ref:refs/heads/main'],
      [{ ...good, sub: 7 }, 'sub is not a string'],
      [Object.fromEntries(Object.entries(good).filter(([k]) => k !== 'repository_owner')), 'repository_owner is missing from the token'],
      [{ ...good, repository_owner: { a: 1 } }, 'repository_owner is not a string, number, boolean or list of them'],
      [{ ...good, runner_environment: 'elsewhere' }, 'runner_environment elsewhere is not one of github-hosted, self-hosted'],
      [{ ...good, groups: ['readers'] }, 'groups ["readers"] did not match deploy-*'],
    ];
    for (const [claims, failure] of variants) {
      const all = checkClaims(rule, claims, now);
      expect(claimsHold(rule, claims, now), JSON.stringify(claims)).toBe(all.every((c) => c.ok));
      expect(claimsFailure(rule, claims, now)).toEqual(failure);
    }
  });

  it('never accepts alg none, HMAC or a crit header, and says so', () => {
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    expect(decodeFederatedToken(`${b64({ alg: 'none' })}.${b64(good)}.`)).toEqual({ ok: false, reason: 'the token\'s algorithm none is not accepted (RS256, PS256, ES256, ES384, EdDSA)' });
    expect(decodeFederatedToken(`${b64({ alg: 'HS256' })}.${b64(good)}.AAAA`)).toMatchObject({ ok: false, reason: expect.stringMatching(/HS256 is not accepted/) });
    expect(decodeFederatedToken(`${b64({ alg: 'RS256', crit: ['x'] })}.${b64(good)}.AAAA`)).toEqual({ ok: false, reason: 'the token has a crit header' });
    expect(decodeFederatedToken(`${b64({ alg: 'RS256' })}.${b64(good)}.`)).toEqual({ ok: false, reason: 'the token has no signature' });
    expect(decodeFederatedToken('x'.repeat(20_000))).toMatchObject({ ok: false });
    expect(decodeFederatedToken(`${b64({ alg: 'RS256' })}.${b64(good)}.AAAA`)).toMatchObject({ ok: true });
  });
});

/* Real-shaped platform tokens: claim names and nesting as GitHub Actions and Kubernetes issue them. */
const githubClaims = {
  jti: 'example-id',
  sub: 'repo:acme/api:environment:production',
  environment: 'production',
  aud: 'https://console.example/identity',
  ref: 'refs/heads/main',
  sha: 'e0372f3c7d5b9b1c2a4f8e6d0b3a5c7e9f1d2b4a',
  repository: 'acme/api',
  repository_owner: 'acme',
  actor_id: '12',
  repository_visibility: 'private',
  repository_id: '74',
  repository_owner_id: '65',
  run_id: 'example-run-id',
  run_number: '10',
  run_attempt: '2',
  runner_environment: 'github-hosted',
  actor: 'octocat',
  workflow: 'example-workflow',
  head_ref: '',
  base_ref: '',
  event_name: 'workflow_dispatch',
  ref_type: 'branch',
  job_workflow_ref: 'acme/automation/.github/workflows/oidc.yml@refs/heads/main',
  iss: 'https://token.actions.githubusercontent.com',
  nbf: t - 20,
  exp: t + 280,
  iat: t - 20,
};
const kubernetesClaims = {
  aud: ['https://console.example/identity'],
  exp: t + 3600,
  iat: t - 5,
  iss: 'https://kubernetes.default.svc.cluster.local',
  jti: '6a0f3c2e-6a3d-4a4c-9b3e-5c7a1d2e3f40',
  'kubernetes.io': {
    namespace: 'payments',
    node: { name: 'node-1', uid: '9e1c2b7a-1f0d-4c1e-8d3a-2b4c6d8e0f12' },
    pod: { name: 'api-7d9f8b6c5-x2x4z', uid: '3b5d7f91-2c4e-4a6b-8d0f-1a3c5e7b9d21' },
    serviceaccount: { name: 'api', uid: 'c1d3e5f7-0a2b-4c6d-8e1f-3a5b7c9d1e23' },
    warnafter: t + 3000,
  },
  nbf: t - 5,
  sub: 'system:serviceaccount:payments:api',
};

describe('nested claim paths (RFC 6901 JSON Pointer)', () => {
  const kubernetesRule = (conditions: FederatedRule['conditions']): FederatedRule => ({
    ...rule,
    issuer: 'https://kubernetes.default.svc.cluster.local',
    subject: 'system:serviceaccount:payments:*',
    conditions,
  });

  it('finds a Kubernetes token\'s namespace, service account and pod under "kubernetes.io", a key with a dot', () => {
    expect(claimPath('/kubernetes.io/serviceaccount/name')).toEqual(['kubernetes.io', 'serviceaccount', 'name']);
    expect(claimPath('kubernetes.io')).toEqual(['kubernetes.io']);
    expect(claimValue(kubernetesClaims, '/kubernetes.io/namespace')).toBe('payments');
    expect(claimValue(kubernetesClaims, '/kubernetes.io/serviceaccount/name')).toBe('api');
    // A dotted name is one top-level claim, never a path: nothing is called "kubernetes" here.
    expect(claimValue(kubernetesClaims, 'kubernetes.io.namespace')).toBeUndefined();
    expect(claimValue(kubernetesClaims, '/kubernetes/io/namespace')).toBeUndefined();

    const r = kubernetesRule([
      { claim: '/kubernetes.io/namespace', operator: 'equals', values: ['payments'] },
      { claim: '/kubernetes.io/serviceaccount/name', operator: 'one_of', values: ['api', 'worker'] },
      { claim: '/kubernetes.io/pod/name', operator: 'glob', values: ['api-*'] },
    ]);
    expect(claimsHold(r, kubernetesClaims, now)).toBe(true);
    expect(checkClaims(r, kubernetesClaims, now).slice(-3)).toEqual([
      { check: 'claim:/kubernetes.io/namespace', label: '/kubernetes.io/namespace equals payments', ok: true, detail: '/kubernetes.io/namespace payments' },
      { check: 'claim:/kubernetes.io/serviceaccount/name', label: '/kubernetes.io/serviceaccount/name is one of api, worker', ok: true, detail: '/kubernetes.io/serviceaccount/name api' },
      { check: 'claim:/kubernetes.io/pod/name', label: '/kubernetes.io/pod/name matches api-*', ok: true, detail: '/kubernetes.io/pod/name api-7d9f8b6c5-x2x4z' },
    ]);
  });

  it('says which nested condition failed, and the fast check agrees', () => {
    const other = { ...kubernetesClaims, 'kubernetes.io': { ...kubernetesClaims['kubernetes.io'], namespace: 'billing' } };
    const variants: [FederatedRule['conditions'][number], Record<string, unknown>, string | null][] = [
      [{ claim: '/kubernetes.io/namespace', operator: 'equals', values: ['payments'] }, other, '/kubernetes.io/namespace billing is not payments'],
      [{ claim: '/kubernetes.io/serviceaccount/name', operator: 'equals', values: ['worker'] }, kubernetesClaims, '/kubernetes.io/serviceaccount/name api is not worker'],
      [{ claim: '/kubernetes.io/serviceaccount', operator: 'equals', values: ['api'] }, kubernetesClaims, '/kubernetes.io/serviceaccount is not a string, number, boolean or list of them'],
      [{ claim: '/kubernetes.io/pod/name/x', operator: 'equals', values: ['x'] }, kubernetesClaims, '/kubernetes.io/pod/name/x is missing from the token'],
      [{ claim: '/kubernetes.io/namespace', operator: 'equals', values: ['payments'] }, { ...kubernetesClaims, 'kubernetes.io': undefined }, '/kubernetes.io/namespace is missing from the token'],
      // Only the token's own keys: never an object's inherited properties.
      [{ claim: '/kubernetes.io/constructor', operator: 'glob', values: ['f*'] }, kubernetesClaims, '/kubernetes.io/constructor is missing from the token'],
      [{ claim: 'constructor', operator: 'glob', values: ['f*'] }, kubernetesClaims, 'constructor is missing from the token'],
    ];
    for (const [condition, claims, failure] of variants) {
      const r = kubernetesRule([condition]);
      expect(claimsHold(r, claims, now), condition.claim).toBe(failure === null);
      expect(claimsFailure(r, claims, now)).toBe(failure);
    }
  });

  it('escapes ~1 (a slash) and ~0 (a tilde) inside a name, and indexes lists by number', () => {
    const claims = { 'https://acme.example/roles': ['reader', 'deployer'], 'a/b': { 'c~d': 'yes' }, groups: [{ name: 'ops' }] };
    expect(claimPath('/a~1b/c~0d')).toEqual(['a/b', 'c~d']);
    expect(claimValue(claims, '/a~1b/c~0d')).toBe('yes');
    expect(claimValue(claims, 'https://acme.example/roles')).toEqual(['reader', 'deployer']);
    expect(claimValue(claims, '/https:~1~1acme.example~1roles/1')).toBe('deployer');
    expect(claimValue(claims, '/groups/0/name')).toBe('ops');
    expect(claimValue(claims, '/groups/01/name')).toBeUndefined();
    expect(claimValue(claims, '/groups/length')).toBeUndefined();
  });

  it('a GitHub Actions token (top-level claims only) holds with the preset\'s conditions', () => {
    const r: FederatedRule = {
      ...rule,
      subject: 'repo:acme/api:environment:production',
      subjectOperator: 'equals',
      conditions: [
        { claim: 'repository', operator: 'equals', values: ['acme/api'] },
        { claim: 'environment', operator: 'one_of', values: ['staging', 'production'] },
        { claim: 'job_workflow_ref', operator: 'glob', values: ['acme/automation/.github/workflows/oidc.yml@*'] },
        { claim: '/ref', operator: 'equals', values: ['refs/heads/main'] },
      ],
    };
    expect(checkClaims(r, githubClaims, now).filter((c) => !c.ok)).toEqual([]);
    expect(claimsHold(r, githubClaims, now)).toBe(true);
    expect(claimsFailure(r, { ...githubClaims, job_workflow_ref: 'evil/fork/.github/workflows/oidc.yml@refs/heads/main' }, now)).toBe(
      'job_workflow_ref evil/fork/.github/workflows/oidc.yml@refs/heads/main did not match acme/automation/.github/workflows/oidc.yml@*',
    );
  });
});
