import { headers } from 'next/headers';
import { publicOrigin } from '../../http/public-origin';
import { relyingPartyFor, type RelyingParty } from './passkeys';

/**
 * The WebAuthn relying party of the current request: AUTH_URL when set, else the origin the browser used (see
 * publicOrigin). For server actions and pages only (reads next/headers); lib code takes a RelyingParty.
 */
export async function currentRelyingParty(): Promise<RelyingParty> {
  const h = await headers();
  const proto = h.get('x-forwarded-proto') === 'https' ? 'https' : 'http';
  return relyingPartyFor(publicOrigin(h as unknown as Headers, `${proto}://${h.get('host') ?? 'localhost'}/`));
}
