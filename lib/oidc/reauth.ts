import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/**
 * prompt=login and max_age (OpenID Connect Core 3.1.2.1) send a signed-in user to the sign-in page again. The
 * authorize request the sign-in page returns to carries this parameter: the time (seconds) the user was sent to sign
 * in, with a MAC over it and the client id. On the way back, a session whose auth_time is at or after that time counts
 * as the fresh sign-in the application asked for, so the second pass issues a code instead of looping (with max_age=0
 * a session signed in one second ago would otherwise be "too old" forever).
 *
 * The MAC (HMAC-SHA-256 under a key derived from AUTH_SECRET) stops a crafted link from lowering the bar with a time
 * of its own; it only ever relaxes a requirement the application itself asked for, and only for REAUTH_WINDOW_SECONDS.
 */
export const REAUTH_PARAM = 'tsc_reauth';
/** How long the sign-in page may take: after this, the user is sent to sign in again. */
export const REAUTH_WINDOW_SECONDS = 15 * 60;

const VALUE_RE = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/;

function key(): Buffer | null {
  const secret = process.env.AUTH_SECRET;
  return secret ? Buffer.from(hkdfSync('sha256', secret, '', 'tsc oidc reauth v1', 32)) : null;
}

function mac(k: Buffer, clientId: string, at: number): string {
  return createHmac('sha256', k).update(`${clientId}\n${at}`).digest('base64url');
}

export function reauthMarker(clientId: string, atSeconds: number): string | null {
  const k = key();
  return k ? `${atSeconds}.${mac(k, clientId, atSeconds)}` : null;
}

/** The time the marker names, when it is ours, for this client, and recent; otherwise null. */
export function verifyReauthMarker(value: string | undefined, clientId: string, nowSeconds: number): number | null {
  const m = value ? VALUE_RE.exec(value) : null;
  const k = key();
  if (!m || !k) return null;
  const at = Number(m[1]);
  if (at > nowSeconds + 5 || nowSeconds - at > REAUTH_WINDOW_SECONDS) return null;
  const expected = Buffer.from(mac(k, clientId, at));
  const presented = Buffer.from(m[2]);
  return expected.length === presented.length && timingSafeEqual(expected, presented) ? at : null;
}
