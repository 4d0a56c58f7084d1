import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db';
import { clients } from '../db/schema';
import { isClientIdFormat } from '../tokens/client-store';
import { OIDC_PATHS } from './paths';
import { REAUTH_PARAM } from './reauth';

const AUTHORIZE_PATH = '/identity' + OIDC_PATHS.authorize;

/**
 * True when an application asked for a fresh sign-in (prompt=login, max_age): authorize sent the user here with a
 * REAUTH_PARAM marker, so the sign-in page shows its form even to a signed-in user instead of going straight back.
 * Only whether the marker is there is looked at: authorize itself checks it (lib/oidc/reauth.ts).
 */
export function requiresFreshSignIn(callbackUrl: string): boolean {
  let url: URL;
  try {
    url = new URL(callbackUrl, 'http://localhost');
  } catch {
    return false;
  }
  return url.pathname === AUTHORIZE_PATH && url.searchParams.has(REAUTH_PARAM);
}

/**
 * The name of the application a user signs in to, when the sign-in page was reached from /connect/authorize of an
 * enabled Authorization Code or Hybrid client; null otherwise (the console's own sign-in).
 */
export async function applicationForCallback(db: Db, callbackUrl: string): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(callbackUrl, 'http://localhost');
  } catch {
    return null;
  }
  if (url.pathname !== AUTHORIZE_PATH) return null;
  const clientId = url.searchParams.get('client_id');
  if (!clientId || !isClientIdFormat(clientId)) return null;
  const [client] = await db
    .select({ name: clients.name })
    .from(clients)
    .where(
      and(
        eq(clients.id, clientId.toLowerCase()),
        eq(clients.enabled, true),
        inArray(clients.clientType, ['authorization_code', 'hybrid']),
      ),
    );
  return client?.name ?? null;
}
