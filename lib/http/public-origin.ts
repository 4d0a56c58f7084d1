import { tokenSettingsFromEnv, type TokenSettings } from '../tokens/config';

export type OriginSettings = Pick<TokenSettings, 'publicUrl' | 'trustProxy'>;

/** The first of a header's comma-separated values. */
export function firstValue(value: string | null): string | undefined {
  return value?.split(',')[0].trim() || undefined;
}

/**
 * The public origin as the token endpoint computes it (lib/identity/http.ts), so `iss` matches: AUTH_URL when set,
 * else the scheme and Host of the request (X-Forwarded-* behind TRUST_PROXY). `fallbackUrl` gives the scheme (and
 * host, if there is no Host header): a request's URL, or for a page `http://{host}`.
 */
export function publicOrigin(headers: Headers, fallbackUrl: string, s: OriginSettings = tokenSettingsFromEnv()): string {
  if (s.publicUrl) return s.publicUrl;
  const url = new URL(fallbackUrl);
  const forwardedProto = s.trustProxy ? firstValue(headers.get('x-forwarded-proto')) : undefined;
  const proto = forwardedProto === 'https' || forwardedProto === 'http' ? forwardedProto : url.protocol.replace(':', '');
  const host = (s.trustProxy && firstValue(headers.get('x-forwarded-host'))) || headers.get('host') || url.host;
  return `${proto}://${host}`;
}
