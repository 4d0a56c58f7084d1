import { describe, expect, it } from 'vitest';
import { checkClaims, claimsFailure, claimsHold, decodeFederatedToken, type FederatedRule } from './evaluate';

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
