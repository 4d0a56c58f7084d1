import type { AuditRow } from '@/lib/audit/queries';

/** Human labels for the actions this console records; other actions are shown as recorded. */
export const ACTION_LABELS: Record<string, string> = {
  'client.created': 'Client created',
  'client.updated': 'Client edited',
  'client.disabled': 'Client disabled',
  'client.enabled': 'Client enabled',
  'client.removed': 'Client removed',
  'secret.added': 'Secret added',
  'secret.updated': 'Secret edited',
  'secret.removed': 'Secret removed',
  'key.added': 'Key added',
  'key.removed': 'Key removed',
  'federated_credential.added': 'Federated credential added',
  'federated_credential.updated': 'Federated credential edited',
  'federated_credential.removed': 'Federated credential removed',
  'token.revoked': 'Token revoked',
  'api.created': 'API added',
  'api.updated': 'API edited',
  'api.removed': 'API removed',
  'device.approved': 'Device allowed',
  'device.denied': 'Device denied',
  'policy.updated': 'Credential policy changed',
  'mfa.totp_enrolled': 'Authenticator app set up',
  'mfa.totp_removed': 'Authenticator app removed',
  'mfa.passkey_added': 'Passkey added',
  'mfa.passkey_removed': 'Passkey removed',
  'mfa.recovery_codes_generated': 'Recovery codes generated',
  'mfa.recovery_code_used': 'Recovery code used to sign in',
  'mfa.verification_failed': 'Second factor refused at sign-in',
  'mfa.reset': 'Multi-factor authentication reset',
  'mfa.policy_updated': 'Multi-factor requirement changed',
};

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown) => (v === null || v === undefined || v === '' ? '—' : String(v));
const date = (v: unknown) => (typeof v === 'string' ? `${v.slice(0, 16).replace('T', ' ')} UTC` : 'never');
const list = (v: unknown) => (Array.isArray(v) && v.length ? v.map(String).join(', ') : 'none');

function secretPart(s: unknown): string {
  if (!isObj(s)) return '';
  const bits = [`secret ${str(s.hint)}`];
  if (s.description) bits.push(`“${String(s.description)}”`);
  if ('expiresAt' in s) bits.push(s.expiresAt ? `expires ${date(s.expiresAt)}` : 'never expires');
  return bits.join(', ');
}

/** What changed, as short lines. Reads only plain fields: audit events never hold secrets. */
export function auditChangeLines(row: Pick<AuditRow, 'action' | 'details'>): string[] {
  const d = row.details;
  const changes = isObj(d.changes) ? d.changes : {};
  switch (row.action) {
    case 'client.created':
      return [
        `Token Lifetime: ${str(d.tokenLifetime)} seconds`,
        `Roles: ${list(d.roles)}`,
        ...(Array.isArray(d.apiAccess) ? [`API access: ${list(d.apiAccess)}`] : []),
        ...(isObj(d.secret) ? [`First ${secretPart(d.secret)}`] : []),
        ...(d.enabled === false ? ['Added disabled'] : []),
      ];
    case 'client.updated': {
      const lines: string[] = [];
      if (isObj(changes.name)) lines.push(`Name: ${str(changes.name.from)} → ${str(changes.name.to)}`);
      if (isObj(changes.tokenLifetime)) {
        lines.push(`Token Lifetime: ${str(changes.tokenLifetime.from)} → ${str(changes.tokenLifetime.to)} seconds`);
      }
      if (isObj(changes.requireDpop)) lines.push(`Require DPoP: ${changes.requireDpop.to ? 'on' : 'off'}`);
      if (changes.rolesAdded) lines.push(`Roles added: ${list(changes.rolesAdded)}`);
      if (changes.rolesRemoved) lines.push(`Roles removed: ${list(changes.rolesRemoved)}`);
      if (isObj(changes.apiAccess)) lines.push(`API access: ${list(changes.apiAccess.from)} → ${list(changes.apiAccess.to)}`);
      return lines;
    }
    case 'api.created':
      return [`${str(d.name)}: ${str(d.identifier)}`, `Scopes: ${list(d.scopes)}`];
    case 'api.updated':
      return [
        `${str(d.name)}: ${str(d.identifier)}`,
        ...(isObj(changes.name) ? [`Name: ${str(changes.name.from)} → ${str(changes.name.to)}`] : []),
        ...(changes.scopesAdded ? [`Scopes added: ${list(changes.scopesAdded)}`] : []),
        ...(changes.scopesRemoved ? [`Scopes removed: ${list(changes.scopesRemoved)}`] : []),
      ];
    case 'api.removed':
      return [`${str(d.name)}: ${str(d.identifier)}`, `${str(d.clientCount)} client(s) lost access`];
    case 'device.approved':
    case 'device.denied':
      return [`Device Code client “${str(d.name)}”`, `Scope: ${str(d.scope)}`];
    case 'client.removed':
      return [`Removed with ${str(d.secretsRemoved)} secret(s)`, `Roles: ${list(d.roles)}`];
    case 'secret.added':
    case 'secret.removed':
      return [secretPart(d.secret)];
    case 'secret.updated': {
      const lines = [isObj(d.secret) ? `secret ${str(d.secret.hint)}` : ''];
      if (isObj(changes.description)) lines.push(`Description: ${str(changes.description.from)} → ${str(changes.description.to)}`);
      if (isObj(changes.expiresAt)) lines.push(`Expiration: ${date(changes.expiresAt.from)} → ${date(changes.expiresAt.to)}`);
      return lines.filter(Boolean);
    }
    case 'key.added':
    case 'key.removed': {
      const k = isObj(d.key) ? d.key : {};
      const what = k.jwksUrl ? `JWKS URL ${str(k.jwksUrl)}` : `key ${str(k.kid)} (${str(k.alg)})`;
      return [[what, k.description ? `“${String(k.description)}”` : ''].filter(Boolean).join(', ')];
    }
    case 'federated_credential.added':
    case 'federated_credential.removed': {
      const f = isObj(d.federatedCredential) ? d.federatedCredential : {};
      return [`“${str(f.name)}”: ${str(f.issuer)}`, `sub ${str(f.subject)}`];
    }
    case 'federated_credential.updated': {
      const f = isObj(d.federatedCredential) ? d.federatedCredential : {};
      return [`“${str(f.name)}”`, `Changed: ${list(d.changed)}`];
    }
    case 'policy.updated': {
      const to = isObj(changes.to) ? changes.to : {};
      return [
        `Maximum secret lifetime: ${to.maxSecretLifetimeDays === null ? 'no limit' : `${str(to.maxSecretLifetimeDays)} days`}`,
        `Never Expires allowed: ${to.allowNeverExpires ? 'yes' : 'no'}`,
      ];
    }
    case 'mfa.passkey_added':
    case 'mfa.passkey_removed':
      return [`Passkey “${str(d.passkey)}”`, ...(d.recoveryCodesRemoved ? ['Recovery codes removed with the last factor'] : [])];
    case 'mfa.totp_enrolled':
      return [];
    case 'mfa.totp_removed':
      return d.recoveryCodesRemoved ? ['Recovery codes removed with the last factor'] : [];
    case 'mfa.recovery_codes_generated':
      return [`${str(d.count)} new codes; earlier codes no longer work`];
    case 'mfa.recovery_code_used':
      return [`${str(d.remaining)} codes left`, `From ${str(d.address)}`];
    case 'mfa.verification_failed': {
      const methods: Record<string, string> = {
        authenticator_app: 'authenticator app code',
        recovery_code: 'recovery code',
        passkey: 'passkey',
        malformed_code: 'code in neither format',
      };
      return [`Method: ${methods[String(d.method)] ?? str(d.method)}`, `From ${str(d.address)}`];
    }
    case 'mfa.reset':
      return [
        `User: ${str(d.email)}`,
        `Removed: ${[d.authenticatorApp ? 'authenticator app' : '', Array.isArray(d.passkeys) && d.passkeys.length ? `passkeys ${list(d.passkeys)}` : '', d.recoveryCodes ? `${str(d.recoveryCodes)} recovery codes` : ''].filter(Boolean).join(', ') || 'nothing'}`,
        `Sessions ended: ${str(d.sessionsEnded)}`,
      ];
    case 'mfa.policy_updated': {
      const r = isObj(changes.requireAdminMfa) ? changes.requireAdminMfa : {};
      return [`Require multi-factor authentication for Tenant Administrators: ${r.to ? 'on' : 'off'}`];
    }
    case 'client.disabled':
    case 'client.enabled':
      return [];
    default:
      return Object.entries(d)
        .filter(([k]) => k !== 'via')
        .map(([k, v]) => `${k}: ${isObj(v) || Array.isArray(v) ? JSON.stringify(v) : str(v)}`);
  }
}
