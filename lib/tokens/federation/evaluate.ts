import type { FederatedCondition } from '../../db/schema/federated-credentials';
import { globMatch } from './glob';
import { parseJsonObject } from '../compact-jws';

/**
 * The checks of a federated credential against a platform token's claims, as plain data: the token endpoint stops at
 * the first that fails (and records why), "Test a token" shows them all. No I/O here; the signature is checked
 * separately (lib/tokens/federated-assertion.ts) because it needs the issuer's keys.
 */
export const FEDERATED_ALGS: readonly string[] = ['RS256', 'PS256', 'ES256', 'ES384', 'EdDSA'];
export const FEDERATED_TOKEN_MAX_LENGTH = 16_384;
export const FEDERATED_LEEWAY_SECONDS = 30;

/** A federated credential as the checks need it (from the database row or the token service's cache). */
export type FederatedRule = {
  id: number;
  name: string;
  issuer: string;
  audience: string;
  subject: string;
  subjectOperator: 'equals' | 'glob';
  conditions: FederatedCondition[];
  maxTokenAgeSeconds: number;
  singleUse: boolean;
  expiresAt: number | null;
};

export type CheckResult = { check: string; label: string; ok: boolean; detail: string };

export type DecodedToken = {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  signingInput: Buffer;
  signature: Buffer;
};

const B64URL = /^[A-Za-z0-9_-]+$/;


/** A compact JWS's parts, or why it is not one we would ever verify (never `none`, never HMAC, no `crit`). */
export function decodeFederatedToken(token: string): { ok: true; token: DecodedToken } | { ok: false; reason: string } {
  if (token.length > FEDERATED_TOKEN_MAX_LENGTH) return { ok: false, reason: `the token is longer than ${FEDERATED_TOKEN_MAX_LENGTH} characters` };
  const parts = token.split('.');
  // An empty signature part is parsed, so the answer can say "no signature" rather than "not a JWT".
  if (parts.length !== 3 || !parts.every((p, i) => B64URL.test(p) || (i === 2 && p === ''))) return { ok: false, reason: 'the token is not a signed JWT' };
  const header = parseJsonObject(parts[0]);
  const claims = parseJsonObject(parts[1]);
  if (!header || !claims) return { ok: false, reason: 'the token is not a signed JWT' };
  const alg = typeof header.alg === 'string' ? header.alg : '';
  if (!FEDERATED_ALGS.includes(alg)) return { ok: false, reason: `the token's algorithm ${shown(alg || 'none')} is not accepted (RS256, PS256, ES256, ES384, EdDSA)` };
  if (header.crit !== undefined) return { ok: false, reason: 'the token has a crit header' };
  if (!parts[2]) return { ok: false, reason: 'the token has no signature' };
  return {
    ok: true,
    token: { header, claims, signingInput: Buffer.from(`${parts[0]}.${parts[1]}`), signature: Buffer.from(parts[2], 'base64url') },
  };
}

/** A claim value as shown in a reason: at most 200 characters, one line. */
export function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  const line = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

/**
 * Where a condition's claim is in the token. A name is a top-level claim (`repository`, `ref`, even one with dots or
 * slashes such as `https://acme.example/groups`). A name starting with `/` is an RFC 6901 JSON Pointer into nested
 * claims, as Vault's JWT auth takes them: Kubernetes puts the namespace in `{"kubernetes.io": {"namespace": ...}}`,
 * whose key itself has a dot, so a dotted path (`kubernetes.io.namespace`) could not say where one key ends; the pointer
 * `/kubernetes.io/namespace` can (`~1` is a `/` inside a key, `~0` a `~`; a number indexes a list).
 */
export function claimPath(claim: string): readonly string[] {
  let path = paths.get(claim);
  if (!path) {
    path = claim.startsWith('/') ? claim.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')) : [claim];
    // Conditions come from a few hundred credentials at most; the bound keeps a stream of odd ones from growing it.
    if (paths.size >= 10_000) paths.clear();
    paths.set(claim, path);
  }
  return path;
}
const paths = new Map<string, readonly string[]>();

const hasOwn = (o: object, key: string) => Object.prototype.hasOwnProperty.call(o, key);

/** The value at the claim's path, or `undefined` when any step of it is missing (own properties only). */
export function claimValue(claims: Record<string, unknown>, claim: string): unknown {
  let value: unknown = claims;
  for (const key of claimPath(claim)) {
    if (Array.isArray(value)) {
      if (!/^(0|[1-9]\d{0,8})$/.test(key)) return undefined;
      value = value[Number(key)];
    } else if (value !== null && typeof value === 'object' && hasOwn(value, key)) {
      value = (value as Record<string, unknown>)[key];
    } else {
      return undefined;
    }
  }
  return value;
}

/** The string values a claim offers to a condition: a string, a number or boolean as text, or each of an array's. */
function claimStrings(value: unknown): string[] | null {
  if (typeof value === 'string') return [value];
  if (typeof value === 'number' || typeof value === 'boolean') return [String(value)];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) return value.map(String);
  return null;
}

function conditionHolds(condition: FederatedCondition, values: string[]): boolean {
  return values.some((v) =>
    condition.operator === 'equals'
      ? v === condition.values[0]
      : condition.operator === 'glob'
        ? globMatch(condition.values[0], v)
        : condition.values.includes(v),
  );
}

function conditionText(condition: FederatedCondition): string {
  return condition.operator === 'one_of' ? `one of ${condition.values.map(shown).join(', ')}` : shown(condition.values[0]);
}

export function checkCondition(condition: FederatedCondition, claims: Record<string, unknown>): CheckResult {
  const label = `${condition.claim} ${condition.operator === 'equals' ? 'equals' : condition.operator === 'glob' ? 'matches' : 'is'} ${conditionText(condition)}`;
  const base = { check: `claim:${condition.claim}`, label };
  const value = claimValue(claims, condition.claim);
  if (value === undefined) return { ...base, ok: false, detail: `${condition.claim} is missing from the token` };
  const values = claimStrings(value);
  if (!values) return { ...base, ok: false, detail: `${condition.claim} is not a string, number, boolean or list of them` };
  if (conditionHolds(condition, values)) return { ...base, ok: true, detail: `${condition.claim} ${shown(value)}` };
  const verb = condition.operator === 'equals' ? 'is not' : condition.operator === 'glob' ? 'did not match' : 'is not';
  return { ...base, ok: false, detail: `${condition.claim} ${shown(value)} ${verb} ${conditionText(condition)}` };
}

/** Every claim check of `rule` (issuer, audience, lifetime, age, subject, conditions), in that order. */
export function checkClaims(rule: FederatedRule, claims: Record<string, unknown>, nowMs: number): CheckResult[] {
  const now = Math.floor(nowMs / 1000);
  const out: CheckResult[] = [];
  const { iss, aud, exp, nbf, iat, sub } = claims;

  out.push(
    iss === rule.issuer
      ? { check: 'issuer', label: `iss is ${rule.issuer}`, ok: true, detail: `iss ${shown(iss)}` }
      : { check: 'issuer', label: `iss is ${rule.issuer}`, ok: false, detail: iss === undefined ? 'iss is missing' : `iss ${shown(iss)} is not ${rule.issuer}` },
  );

  const auds = Array.isArray(aud) ? aud : aud === undefined ? [] : [aud];
  out.push(
    auds.some((a) => a === rule.audience)
      ? { check: 'audience', label: `aud contains ${rule.audience}`, ok: true, detail: `aud ${shown(aud)}` }
      : {
          check: 'audience',
          label: `aud contains ${rule.audience}`,
          ok: false,
          detail: aud === undefined ? 'aud is missing' : `aud ${shown(aud)} does not contain ${rule.audience}`,
        },
  );

  const lifetime = { check: 'expiry', label: 'Not expired (exp)' };
  if (typeof exp !== 'number' || !Number.isFinite(exp)) out.push({ ...lifetime, ok: false, detail: 'exp is missing' });
  else if (exp <= now - FEDERATED_LEEWAY_SECONDS) out.push({ ...lifetime, ok: false, detail: `the token expired at ${isoOf(exp)}` });
  else out.push({ ...lifetime, ok: true, detail: `expires at ${isoOf(exp)}` });

  const notBefore = { check: 'not_before', label: 'Already valid (nbf, iat)' };
  if (nbf !== undefined && (typeof nbf !== 'number' || nbf > now + FEDERATED_LEEWAY_SECONDS)) {
    out.push({ ...notBefore, ok: false, detail: typeof nbf === 'number' ? `the token is not valid before ${isoOf(nbf)}` : 'nbf is not a number' });
  } else if (iat !== undefined && (typeof iat !== 'number' || iat > now + FEDERATED_LEEWAY_SECONDS)) {
    out.push({ ...notBefore, ok: false, detail: typeof iat === 'number' ? `the token was issued in the future (${isoOf(iat)})` : 'iat is not a number' });
  } else {
    out.push({ ...notBefore, ok: true, detail: typeof iat === 'number' ? `issued at ${isoOf(iat)}` : 'no iat or nbf' });
  }

  // Without iat, the token's remaining lifetime stands in: it cannot be used for longer than the maximum age either.
  const maxMinutes = Math.round(rule.maxTokenAgeSeconds / 60);
  const age = { check: 'age', label: `At most ${maxMinutes} ${maxMinutes === 1 ? 'minute' : 'minutes'} old` };
  if (typeof iat === 'number') {
    const seconds = now - iat;
    out.push(
      seconds > rule.maxTokenAgeSeconds + FEDERATED_LEEWAY_SECONDS
        ? { ...age, ok: false, detail: `the token is ${Math.floor(seconds / 60)} minutes old (at most ${maxMinutes} allowed)` }
        : { ...age, ok: true, detail: `${Math.max(0, Math.floor(seconds / 60))} minutes old` },
    );
  } else if (typeof exp === 'number' && exp - now > rule.maxTokenAgeSeconds + FEDERATED_LEEWAY_SECONDS) {
    out.push({ ...age, ok: false, detail: `the token has no iat and is valid for ${Math.floor((exp - now) / 60)} more minutes (at most ${maxMinutes} allowed)` });
  } else {
    out.push({ ...age, ok: true, detail: 'no iat; its remaining lifetime is within the maximum age' });
  }

  const subjectLabel = `sub ${rule.subjectOperator === 'glob' ? 'matches' : 'equals'} ${rule.subject}`;
  if (typeof sub !== 'string') {
    out.push({ check: 'subject', label: subjectLabel, ok: false, detail: sub === undefined ? 'sub is missing' : 'sub is not a string' });
  } else {
    const matched = rule.subjectOperator === 'glob' ? globMatch(rule.subject, sub) : sub === rule.subject;
    out.push({
      check: 'subject',
      label: subjectLabel,
      ok: matched,
      detail: matched ? `sub ${shown(sub)}` : `sub ${shown(sub)} ${rule.subjectOperator === 'glob' ? 'did not match' : 'is not'} ${rule.subject}`,
    });
  }

  for (const condition of rule.conditions) out.push(checkCondition(condition, claims));
  return out;
}

/**
 * Whether every check of checkClaims holds, without building any message: the token endpoint's fast path (a busy
 * endpoint accepts far more tokens than it refuses). Must agree with checkClaims (evaluate.test.ts checks both).
 */
export function claimsHold(rule: FederatedRule, claims: Record<string, unknown>, nowMs: number): boolean {
  const now = Math.floor(nowMs / 1000);
  const { iss, aud, exp, nbf, iat, sub } = claims;
  if (iss !== rule.issuer) return false;
  if (!(Array.isArray(aud) ? aud.includes(rule.audience) : aud === rule.audience)) return false;
  if (typeof exp !== 'number' || !Number.isFinite(exp) || exp <= now - FEDERATED_LEEWAY_SECONDS) return false;
  if (nbf !== undefined && (typeof nbf !== 'number' || nbf > now + FEDERATED_LEEWAY_SECONDS)) return false;
  if (iat !== undefined && (typeof iat !== 'number' || iat > now + FEDERATED_LEEWAY_SECONDS)) return false;
  if (typeof iat === 'number' ? now - iat > rule.maxTokenAgeSeconds + FEDERATED_LEEWAY_SECONDS : exp - now > rule.maxTokenAgeSeconds + FEDERATED_LEEWAY_SECONDS) return false;
  if (typeof sub !== 'string' || !(rule.subjectOperator === 'glob' ? globMatch(rule.subject, sub) : sub === rule.subject)) return false;
  for (const condition of rule.conditions) {
    const values = claimStrings(claimValue(claims, condition.claim));
    if (!values || !conditionHolds(condition, values)) return false;
  }
  return true;
}

/** Why the claims fail `rule` (the first failing check's detail), or null when they all hold. */
export function claimsFailure(rule: FederatedRule, claims: Record<string, unknown>, nowMs: number): string | null {
  return claimsHold(rule, claims, nowMs) ? null : (firstFailure(checkClaims(rule, claims, nowMs)) ?? 'the claims did not hold');
}

/** The first failing check's detail, or null when every check holds. */
export function firstFailure(checks: CheckResult[]): string | null {
  return checks.find((c) => !c.ok)?.detail ?? null;
}

function isoOf(seconds: number): string {
  const d = new Date(seconds * 1000);
  return Number.isNaN(d.getTime()) ? String(seconds) : d.toISOString().replace('.000Z', 'Z');
}
