import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../db';
import { userPasskeys } from '../../db/schema';
import { storeChallenge, takeChallenge } from './challenges';

/**
 * Passkeys (WebAuthn) with @simplewebauthn/server. The relying party is this console's public origin (AUTH_URL, or
 * the request's own origin; see lib/api/authorize.ts publicOrigin); its id is that origin's host name.
 * User verification (PIN or biometrics on the authenticator) is required, both to register and to sign in: that is
 * what lets a passkey stand alone as a multi-factor sign-in (something you have, verified by something you know or are).
 */
export const RP_NAME = 'Tenant Security Console';
export const MAX_PASSKEYS_PER_USER = 20;

export type RelyingParty = { rpID: string; origin: string };

export function relyingPartyFor(origin: string): RelyingParty {
  const url = new URL(origin);
  return { rpID: url.hostname, origin: url.origin };
}

export type PasskeyRow = {
  id: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  deviceType: string | null;
  backedUp: boolean;
};

export async function listPasskeys(db: Db, userId: string): Promise<PasskeyRow[]> {
  return db
    .select({
      id: userPasskeys.id,
      name: userPasskeys.name,
      createdAt: userPasskeys.createdAt,
      lastUsedAt: userPasskeys.lastUsedAt,
      deviceType: userPasskeys.deviceType,
      backedUp: userPasskeys.backedUp,
    })
    .from(userPasskeys)
    .where(eq(userPasskeys.userId, userId))
    .orderBy(asc(userPasskeys.createdAt));
}

function uuidBytes(id: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(id.replace(/-/g, ''), 'hex'));
}

/** Registration options for a signed-in user, with a stored single-use challenge. */
export async function beginPasskeyRegistration(
  db: Db,
  user: { id: string; email: string; name: string },
  rp: RelyingParty,
): Promise<{ stateId: string; options: PublicKeyCredentialCreationOptionsJSON }> {
  const existing = await db
    .select({ credentialId: userPasskeys.credentialId, transports: userPasskeys.transports })
    .from(userPasskeys)
    .where(eq(userPasskeys.userId, user.id));
  const options = await generateRegistrationOptions({
    rpName: RP_NAME,
    rpID: rp.rpID,
    userName: user.email,
    userDisplayName: user.name,
    userID: uuidBytes(user.id),
    attestationType: 'none',
    // The same authenticator twice would be one factor counted twice.
    excludeCredentials: existing.map((c) => ({ id: c.credentialId, transports: c.transports })),
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
  });
  const stateId = await storeChallenge(db, { purpose: 'register', userId: user.id, challenge: options.challenge });
  return { stateId, options };
}

export type RegistrationFailure = 'expired' | 'invalid' | 'duplicate' | 'limit';

/** Verify the authenticator's answer and store the passkey under `name` (in the caller's transaction). */
export async function finishPasskeyRegistration(
  tx: Db,
  userId: string,
  input: { stateId: string; name: string; response: RegistrationResponseJSON },
  rp: RelyingParty,
): Promise<{ ok: true; passkey: PasskeyRow } | { ok: false; reason: RegistrationFailure }> {
  const challenge = await takeChallenge(tx, input.stateId, 'register');
  if (!challenge || challenge.userId !== userId) return { ok: false, reason: 'expired' };
  let verified;
  try {
    verified = await verifyRegistrationResponse({
      response: input.response,
      expectedChallenge: challenge.challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpID,
      requireUserVerification: true,
    });
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  if (!verified.verified) return { ok: false, reason: 'invalid' };
  const count = await tx.$count(userPasskeys, eq(userPasskeys.userId, userId));
  if (count >= MAX_PASSKEYS_PER_USER) return { ok: false, reason: 'limit' };
  const { credential, credentialDeviceType, credentialBackedUp } = verified.registrationInfo;
  const [row] = await tx
    .insert(userPasskeys)
    .values({
      userId,
      name: input.name,
      credentialId: credential.id,
      publicKey: Buffer.from(credential.publicKey).toString('base64url'),
      counter: credential.counter,
      transports: credential.transports ?? [],
      deviceType: credentialDeviceType,
      backedUp: credentialBackedUp,
    })
    // The credential id is unique across the installation (a passkey sign-in finds its user by it).
    .onConflictDoNothing({ target: userPasskeys.credentialId })
    .returning();
  if (!row) return { ok: false, reason: 'duplicate' };
  return {
    ok: true,
    passkey: { id: row.id, name: row.name, createdAt: row.createdAt, lastUsedAt: null, deviceType: row.deviceType, backedUp: row.backedUp },
  };
}

/**
 * Sign-in options. With a user (the second step after a password): only that user's passkeys. Without (a passkey
 * alone): any discoverable credential for this site; the answer names its credential, which names the user.
 */
export async function beginPasskeyAuthentication(
  db: Db,
  userId: string | null,
  rp: RelyingParty,
): Promise<{ stateId: string; options: PublicKeyCredentialRequestOptionsJSON }> {
  const allow = userId
    ? await db
        .select({ credentialId: userPasskeys.credentialId, transports: userPasskeys.transports })
        .from(userPasskeys)
        .where(eq(userPasskeys.userId, userId))
    : [];
  const options = await generateAuthenticationOptions({
    rpID: rp.rpID,
    userVerification: 'required',
    allowCredentials: allow.map((c) => ({ id: c.credentialId, transports: c.transports })),
  });
  const stateId = await storeChallenge(db, { purpose: 'authenticate', userId, challenge: options.challenge });
  return { stateId, options };
}

/** RFC 8176: a synced (multi-device) passkey is a software key, a device-bound one a hardware key. */
export type PasskeyAmr = 'hwk' | 'swk';

/**
 * Verify a sign-in answer: the challenge (single use, unexpired, and for `userId` when the step was started for one
 * user), the credential, its signature and user verification, and a signature counter that moved forward (a cloned
 * authenticator shows up as a counter going back). Returns the user and what kind of key it was.
 */
export async function finishPasskeyAuthentication(
  db: Db,
  input: { stateId: string; response: AuthenticationResponseJSON },
  rp: RelyingParty,
  now = Date.now(),
): Promise<{ ok: true; userId: string; passkeyId: string; passkeyName: string; amr: PasskeyAmr } | { ok: false; reason: 'expired' | 'invalid'; userId?: string }> {
  const challenge = await takeChallenge(db, input.stateId, 'authenticate', now);
  if (!challenge) return { ok: false, reason: 'expired' };
  const [passkey] = await db.select().from(userPasskeys).where(eq(userPasskeys.credentialId, input.response.id)).limit(1);
  if (!passkey) return { ok: false, reason: 'invalid' };
  if (challenge.userId && passkey.userId !== challenge.userId) return { ok: false, reason: 'invalid', userId: challenge.userId };
  let verified;
  try {
    verified = await verifyAuthenticationResponse({
      response: input.response,
      expectedChallenge: challenge.challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpID,
      requireUserVerification: true,
      credential: {
        id: passkey.credentialId,
        publicKey: new Uint8Array(Buffer.from(passkey.publicKey, 'base64url')),
        counter: passkey.counter,
        transports: passkey.transports,
      },
    });
  } catch {
    return { ok: false, reason: 'invalid', userId: passkey.userId };
  }
  if (!verified.verified) return { ok: false, reason: 'invalid', userId: passkey.userId };
  const { newCounter, credentialDeviceType, credentialBackedUp } = verified.authenticationInfo;
  await db
    .update(userPasskeys)
    .set({ counter: newCounter, lastUsedAt: new Date(now), backedUp: credentialBackedUp, deviceType: credentialDeviceType })
    .where(and(eq(userPasskeys.id, passkey.id)));
  return {
    ok: true,
    userId: passkey.userId,
    passkeyId: passkey.id,
    passkeyName: passkey.name,
    amr: credentialDeviceType === 'multiDevice' ? 'swk' : 'hwk',
  };
}

/** Remove one of the user's passkeys; its name for the audit event, or null when it is not theirs (or gone). */
export async function removePasskey(db: Db, userId: string, passkeyId: string): Promise<string | null> {
  const [row] = await db
    .delete(userPasskeys)
    .where(and(eq(userPasskeys.id, passkeyId), eq(userPasskeys.userId, userId)))
    .returning({ name: userPasskeys.name });
  return row?.name ?? null;
}
