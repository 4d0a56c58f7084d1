import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { and, count, eq, gt } from 'drizzle-orm';
import type { Db } from '../db';
import { inTransaction } from '../db/transaction';
import { apiResources, clients, deviceAuthorizations, sessions, users } from '../db/schema';
import type { AuthClient } from '../tokens/client-store';
import type { OAuthError, OAuthErrorCode } from '../tokens/token-service';
import { recordAudit } from '../audit/audit';
import { deviceCodeKey, takeSignInAttempt } from '../auth/throttle';
import { OIDC_SCOPES, supportedScopes } from './authorize';
import { resolveResource } from '../tokens/resource';
import { hashOpaque, isWellFormedOpaque } from './tokens';
import {
  formatUserCode,
  normalizeUserCode,
  USER_CODE_ALPHABET,
  USER_CODE_FORMAT,
  USER_CODE_LENGTH,
  USER_CODE_UNKNOWN,
} from './device.schema';

/**
 * The OAuth 2.0 Device Authorization Grant (RFC 8628) for Device Code clients: a TV, a CLI or a device without a
 * browser asks POST /connect/deviceauthorization for a device code and a user code; the user opens /device in the
 * console on another screen, signs in, enters the user code and allows (or denies) the device; meanwhile the device
 * polls the token endpoint with grant_type=urn:ietf:params:oauth:grant-type:device_code and gets the same tokens an
 * Authorization Code client would.
 *
 * Both codes are stored as SHA-256 only. The device code is 256 random bits. The user code is 8 letters from
 * RFC 8628 6.1's 20 consonants (about 34.6 bits): short enough to type from a TV, and guessing it online is bounded by
 * its 10-minute life, the per-user throttle at /device (10 wrong codes per 15 minutes, shared through PostgreSQL),
 * and the fact that a guessed code only offers the guesser's own account to someone else's device.
 */
export const DEVICE_CODE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:device_code';
export const DEVICE_CODE_PREFIX = 'tsdc_';
export const DEVICE_CODE_LIFETIME_SECONDS = 600;
/** RFC 8628 3.2: the default minimum polling interval; slow_down adds 5 seconds each time (3.5). */
export const DEVICE_POLL_INTERVAL_SECONDS = 5;
export const DEVICE_VERIFICATION_PATH = '/device';
/** Live (unexpired) device requests one client may have at a time. */
export const MAX_PENDING_PER_CLIENT = 500;
export function generateDeviceCode(): string {
  return DEVICE_CODE_PREFIX + randomBytes(32).toString('base64url');
}

/** A user code as shown to people: XXXX-XXXX. */
export function generateUserCode(): string {
  let code = '';
  for (let i = 0; i < USER_CODE_LENGTH; i++) code += USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)];
  return formatUserCode(code);
}

const userCodeHash = (normalized: string) => hashOpaque(`user:${normalized}`);

export type DeviceAuthorizationBody = {
  device_code: string;
  user_code: string;
  verification_uri: string;
  expires_in: number;
  interval: number;
};

/**
 * RFC 8628 3.1 / 3.2 for an authenticated (public) Device Code client. `origin` is the console's public origin: the
 * verification page is there. No verification_uri_complete: a user code in a URL would land in browser history and
 * access logs, so the user types it (the page is one field).
 */
export async function startDeviceAuthorization(
  db: Db,
  client: AuthClient,
  scopeParam: string | undefined,
  resource: string | undefined,
  opts: { origin: string; accessTokenScopes: string[]; now: number },
): Promise<{ ok: true; body: DeviceAuthorizationBody } | { ok: false; error: OAuthError }> {
  let allowed = supportedScopes(opts.accessTokenScopes);
  // RFC 8707: the device's tokens for one of the tenant's APIs.
  if (resource !== undefined) {
    const target = resolveResource(client.apis, resource);
    if (!target.ok) return target;
    allowed = [...OIDC_SCOPES, ...target.scopes];
  }
  const scopes = [...new Set((scopeParam ?? '').split(' ').filter(Boolean))];
  if (scopes.some((s) => !allowed.includes(s))) {
    return { ok: false, error: { error: 'invalid_scope', description: `The requested scope is not available. Available: ${allowed.join(' ')}.` } };
  }
  // A public client id is no secret: cap the live requests one client can hold, so nobody can fill the table.
  const [{ pending }] = await db
    .select({ pending: count() })
    .from(deviceAuthorizations)
    .where(and(eq(deviceAuthorizations.clientId, client.id), gt(deviceAuthorizations.expiresAt, new Date(opts.now))));
  if (pending >= MAX_PENDING_PER_CLIENT) {
    // RFC 8628's slow_down is for polling; the device authorization endpoint answers with RFC 6749 5.2's codes.
    return { ok: false, error: { error: 'invalid_request', description: 'Too many device requests of this client are waiting. Try again in a few minutes.' } };
  }
  const deviceCode = generateDeviceCode();
  // A user code already in use (one in 2.5e10 per live code) is drawn again.
  for (let attempt = 0; attempt < 5; attempt++) {
    const userCode = generateUserCode();
    const inserted = await db
      .insert(deviceAuthorizations)
      .values({
        deviceCodeHash: hashOpaque(deviceCode),
        userCodeHash: userCodeHash(normalizeUserCode(userCode)!),
        clientId: client.id,
        scope: scopes.join(' '),
        resource: resource ?? null,
        interval: DEVICE_POLL_INTERVAL_SECONDS,
        expiresAt: new Date(opts.now + DEVICE_CODE_LIFETIME_SECONDS * 1000),
      })
      .onConflictDoNothing({ target: deviceAuthorizations.userCodeHash })
      .returning({ hash: deviceAuthorizations.deviceCodeHash });
    if (inserted.length) {
      return {
        ok: true,
        body: {
          device_code: deviceCode,
          user_code: userCode,
          verification_uri: opts.origin + DEVICE_VERIFICATION_PATH,
          expires_in: DEVICE_CODE_LIFETIME_SECONDS,
          interval: DEVICE_POLL_INTERVAL_SECONDS,
        },
      };
    }
  }
  throw new Error('could not draw a free user code');
}

/** The grant the device's token request gets, or the RFC 8628 3.5 error to answer with. */
export type DevicePoll =
  | { ok: true; userId: string; scope: string; authTime: Date; familyId: string; resource: string | null }
  | { ok: false; error: OAuthError };

const deviceError = (error: OAuthErrorCode, description: string): { ok: false; error: OAuthError } => ({ ok: false, error: { error, description } });

/**
 * One poll of the token endpoint (RFC 8628 3.4 / 3.5), in one transaction with the request's row locked: pending
 * (authorization_pending, or slow_down when it came sooner than the interval, which then grows by 5 s), denied
 * (access_denied), expired (expired_token), approved (the grant, once: the row becomes consumed), or anything else
 * (invalid_grant: unknown, another client's, or already used).
 */
export async function pollDeviceAuthorization(db: Db, client: AuthClient, deviceCode: string, now: number): Promise<DevicePoll> {
  const invalid = deviceError('invalid_grant', 'The device code is invalid, was issued to another client, or was already used.');
  if (!isWellFormedOpaque(deviceCode, DEVICE_CODE_PREFIX)) return invalid;
  const hash = hashOpaque(deviceCode);
  return inTransaction(db, async (tx) => {
    const [row] = await tx.select().from(deviceAuthorizations).where(eq(deviceAuthorizations.deviceCodeHash, hash)).for('update');
    if (!row || row.clientId !== client.id || row.status === 'consumed') return invalid;
    if (row.expiresAt.getTime() <= now) return deviceError('expired_token', 'The device code has expired. Start again.');
    if (row.status === 'denied') return deviceError('access_denied', 'The user denied the request.');
    if (row.status === 'approved' && row.userId && row.authTime) {
      await tx.update(deviceAuthorizations).set({ status: 'consumed', lastPolledAt: new Date(now) }).where(eq(deviceAuthorizations.deviceCodeHash, hash));
      return { ok: true, userId: row.userId, scope: row.scope, authTime: row.authTime, familyId: randomUUID(), resource: row.resource };
    }
    const tooSoon = row.lastPolledAt !== null && now - row.lastPolledAt.getTime() < row.interval * 1000;
    await tx
      .update(deviceAuthorizations)
      .set({ lastPolledAt: new Date(now), ...(tooSoon ? { interval: row.interval + 5 } : {}) })
      .where(eq(deviceAuthorizations.deviceCodeHash, hash));
    return tooSoon
      ? deviceError('slow_down', `Poll at most every ${row.interval + 5} seconds.`)
      : deviceError('authorization_pending', 'The user has not approved the request yet.');
  });
}

/** What /device shows for a user code the user typed, before they allow or deny it. */
/** `api`: the API (RFC 8707 resource) the device asks tokens for, so the user sees the audience they allow; null: the default. */
export type DeviceRequestView = { clientName: string; scopes: string[]; expiresAt: Date; api: { name: string; identifier: string } | null };

export type DeviceLookup = { ok: true; request: DeviceRequestView } | { ok: false; message: string; retryAfterSeconds?: number };


const tooMany = (seconds: number) => `Too many codes were tried. Try again in ${Math.ceil(seconds / 60)} minute(s).`;

/**
 * A pending, unexpired request of an enabled Device Code client of the user's own tenant. Every lookup of a
 * well-formed code counts against the user's throttle key first (a correct one included), and so does every Allow or
 * Deny (decideDeviceRequest), so at most 10 codes per 15 minutes can be tried by one account: 34.6 bits of code cannot be found that way.
 */
export async function findDeviceRequest(
  db: Db,
  user: { id: string; tenantId: string },
  typed: string,
  now = new Date(),
): Promise<DeviceLookup> {
  const code = normalizeUserCode(typed);
  if (!code) return { ok: false, message: USER_CODE_FORMAT };
  const verdict = await takeSignInAttempt(db, [deviceCodeKey(user.id)], now);
  if (!verdict.allowed) {
    return { ok: false, message: tooMany(verdict.retryAfterSeconds), retryAfterSeconds: verdict.retryAfterSeconds };
  }
  const [row] = await db
    .select({
      clientName: clients.name,
      scope: deviceAuthorizations.scope,
      expiresAt: deviceAuthorizations.expiresAt,
      resource: deviceAuthorizations.resource,
      apiName: apiResources.name,
    })
    .from(deviceAuthorizations)
    .innerJoin(clients, eq(clients.id, deviceAuthorizations.clientId))
    .leftJoin(apiResources, and(eq(apiResources.identifier, deviceAuthorizations.resource), eq(apiResources.tenantId, clients.tenantId)))
    .where(
      and(
        eq(deviceAuthorizations.userCodeHash, userCodeHash(code)),
        eq(deviceAuthorizations.status, 'pending'),
        gt(deviceAuthorizations.expiresAt, now),
        eq(clients.tenantId, user.tenantId),
        eq(clients.enabled, true),
        eq(clients.clientType, 'device_code'),
      ),
    );
  if (!row) return { ok: false, message: USER_CODE_UNKNOWN };
  const api = row.resource ? { name: row.apiName ?? row.resource, identifier: row.resource } : null;
  return { ok: true, request: { clientName: row.clientName, scopes: row.scope.split(' ').filter(Boolean), expiresAt: row.expiresAt, api } };
}

/**
 * Allow or deny: the pending request becomes approved (with the user and the auth_time of their console session,
 * which OpenID Connect's auth_time and logout go by) or denied, once, in one statement; audited as
 * device.approved / device.denied in the user's tenant. A code that is no longer pending, expired, of another tenant
 * or of a disabled client changes nothing.
 */
export async function decideDeviceRequest(
  db: Db,
  user: { id: string; tenantId: string; email: string },
  sessionId: string,
  typed: string,
  allow: boolean,
  now = new Date(),
): Promise<{ ok: true; clientName: string } | { ok: false; message: string }> {
  const code = normalizeUserCode(typed);
  if (!code) return { ok: false, message: USER_CODE_FORMAT };
  // Counted like a lookup: calling Allow directly with guessed codes is bounded by the same budget.
  const verdict = await takeSignInAttempt(db, [deviceCodeKey(user.id)], now);
  if (!verdict.allowed) return { ok: false, message: tooMany(verdict.retryAfterSeconds) };
  return inTransaction(db, async (tx) => {
    const [session] = await tx.select({ createdAt: sessions.createdAt, userId: sessions.userId }).from(sessions).where(eq(sessions.id, sessionId));
    if (!session || session.userId !== user.id) return { ok: false as const, message: 'Your session has ended. Sign in again.' };
    const [member] = await tx.select({ tenantId: users.tenantId }).from(users).where(eq(users.id, user.id));
    if (!member || member.tenantId !== user.tenantId) return { ok: false as const, message: USER_CODE_UNKNOWN };
    const [row] = await tx
      .update(deviceAuthorizations)
      .set(
        // auth_time in whole seconds, as every sign-in is recorded: logout (revokeSignIns) finds the device's grants by it.
        allow
          ? { status: 'approved', userId: user.id, authTime: new Date(Math.floor(session.createdAt.getTime() / 1000) * 1000) }
          : { status: 'denied', userId: user.id },
      )
      .from(clients)
      .where(
        and(
          eq(deviceAuthorizations.userCodeHash, userCodeHash(code)),
          eq(deviceAuthorizations.status, 'pending'),
          gt(deviceAuthorizations.expiresAt, now),
          eq(clients.id, deviceAuthorizations.clientId),
          eq(clients.tenantId, user.tenantId),
          eq(clients.enabled, true),
          eq(clients.clientType, 'device_code'),
        ),
      )
      .returning({ clientId: clients.id, clientName: clients.name, scope: deviceAuthorizations.scope });
    if (!row) return { ok: false as const, message: USER_CODE_UNKNOWN };
    await recordAudit(
      tx,
      { tenantId: user.tenantId, label: user.email, type: 'user', via: 'console' },
      {
        action: allow ? 'device.approved' : 'device.denied',
        targetType: 'client',
        targetId: row.clientId,
        details: { name: row.clientName, scope: row.scope },
      },
    );
    return { ok: true as const, clientName: row.clientName };
  });
}
