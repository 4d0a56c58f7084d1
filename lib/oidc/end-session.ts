import type { AuthClient } from '../tokens/client-store';
import type { VerificationKey } from '../tokens/jwt';
import { userFlowClient } from './authorize';
import type { BrowserSession } from './browser-session';
import type { SignIn } from './grant-store';
import { verifyIdTokenHint } from './id-token';

export type EndSessionOutcome =
  | { type: 'error_page'; status: number; error: string; description: string }
  /** No proof the request comes from the user's application: ask the user (the page posts back with confirm=1). */
  | { type: 'confirm'; params: Record<string, string>; postLogoutRedirectUri: string | null }
  /**
   * End the session, revoke the refresh tokens issued under `signIns` (lib/oidc/grant-store.ts revokeSignIns), then
   * redirect to the registered post-logout URI or show the signed-out page.
   */
  | { type: 'sign_out'; location: string | null; signIns: SignIn[] };

/**
 * /connect/endsession (OpenID Connect RP-Initiated Logout 1.0). The session ends without a question when the request
 * carries a valid id_token_hint for the signed-in user, or is the user's confirmation posted from our own page
 * (`sameOriginPost`: Origin header is ours). post_logout_redirect_uri must be registered exactly for the client.
 *
 * A logged-out application must not keep refreshing: the refresh tokens issued under the browser session that ends
 * (its user and auth_time) are revoked, for every client that session signed in to, and so are those of the sign-in
 * the id_token_hint names (its sub and auth_time), which covers an application whose tokens came from an earlier
 * session of the same browser (before a prompt=login, say) or whose session cookie is gone already. The same user's
 * sign-ins elsewhere (other browsers, devices) keep their tokens.
 */
export async function endSession(
  params: Map<string, string>,
  session: BrowserSession | null,
  issuer: string,
  sameOriginPost: boolean,
  deps: { getClient: (clientId: string) => Promise<AuthClient | null>; keyFor: (kid: string) => VerificationKey | undefined },
): Promise<EndSessionOutcome> {
  const page = (error: string, description: string): EndSessionOutcome => ({ type: 'error_page', status: 400, error, description });
  const hintValue = params.get('id_token_hint');
  const hint = hintValue ? verifyIdTokenHint(hintValue, issuer, deps.keyFor) : null;
  if (hintValue && !hint) return page('invalid_request', 'The id_token_hint is not a valid ID token from this server.');
  const clientIdParam = params.get('client_id')?.toLowerCase();
  if (hint && clientIdParam && clientIdParam !== hint.aud) {
    return page('invalid_request', 'The client_id does not match the id_token_hint.');
  }
  const postLogout = params.get('post_logout_redirect_uri') ?? null;
  if (postLogout) {
    const client = await userFlowClient(deps.getClient, clientIdParam ?? hint?.aud);
    if (!client || !client.postLogoutRedirectUris.includes(postLogout)) {
      return page('invalid_request', 'The post_logout_redirect_uri is not registered for this application.');
    }
  }
  const state = params.get('state');
  let location: string | null = null;
  if (postLogout) {
    const url = new URL(postLogout);
    if (state) url.searchParams.set('state', state);
    location = url.toString();
  }
  const proven = (hint && (!session || session.userId === hint.sub)) || (sameOriginPost && params.get('confirm') === '1');
  if (session && !proven) {
    const keep: Record<string, string> = {};
    for (const name of ['id_token_hint', 'client_id', 'post_logout_redirect_uri', 'state']) {
      const v = params.get(name);
      if (v !== undefined) keep[name] = v;
    }
    return { type: 'confirm', params: keep, postLogoutRedirectUri: postLogout };
  }
  const signIns: SignIn[] = [];
  if (session) signIns.push({ userId: session.userId, authTime: session.authTime });
  if (hint && hint.authTime !== null && (!session || session.userId === hint.sub)) signIns.push({ userId: hint.sub, authTime: hint.authTime });
  return { type: 'sign_out', location, signIns };
}
