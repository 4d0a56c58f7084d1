import type { BasicCredentials } from '../client-auth';

/** Parameters we name in error messages; any other repeated name is reported without echoing it. */
const KNOWN = new Set([
  'grant_type', 'client_id', 'client_secret', 'scope', 'token', 'token_type_hint',
  'code', 'redirect_uri', 'code_verifier', 'refresh_token', 'response_type', 'state', 'nonce', 'code_challenge',
  'code_challenge_method', 'id_token_hint', 'post_logout_redirect_uri', 'resource',
]);

/** application/x-www-form-urlencoded decoding of one name or value; throws URIError on a bad %-escape. */
export function decodeFormComponent(value: string): string {
  const spaced = value.includes('+') ? value.replace(/\+/g, ' ') : value;
  return spaced.includes('%') ? decodeURIComponent(spaced) : spaced;
}

/**
 * Parse a form body per RFC 6749 3.1/3.2: a parameter sent twice is an error (except `resource`, RFC 8707), and a
 * parameter sent without a value is treated as if omitted.
 */
export function parseForm(body: string): { ok: true; form: Map<string, string> } | { ok: false; description: string } {
  const form = new Map<string, string>();
  const seen = new Set<string>();
  if (body === '') return { ok: true, form };
  for (const pair of body.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    let name: string;
    let value: string;
    try {
      name = decodeFormComponent(eq === -1 ? pair : pair.slice(0, eq));
      value = eq === -1 ? '' : decodeFormComponent(pair.slice(eq + 1));
    } catch {
      return { ok: false, description: 'The request body is not valid form encoding.' };
    }
    if (seen.has(name)) {
      // RFC 8707 2: resource may be repeated. Kept joined by spaces (no absolute URI holds one), and refused as
      // invalid_target where one resource is asked for (lib/tokens/resource.ts).
      if (name === 'resource') {
        if (value !== '') form.set(name, form.has(name) ? `${form.get(name)} ${value}` : value);
        continue;
      }
      return {
        ok: false,
        description: KNOWN.has(name) ? `The ${name} parameter is repeated.` : 'A parameter is repeated.',
      };
    }
    seen.add(name);
    if (value !== '') form.set(name, value);
  }
  return { ok: true, form };
}

const BASIC_RE = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i;

/**
 * RFC 6749 2.3.1 HTTP Basic: base64 of form-encoded client id, ":", form-encoded secret. null when there is no
 * Authorization header; 'malformed' for any other scheme or a header that does not decode.
 */
export function parseBasicAuthorization(header: string | undefined): BasicCredentials {
  if (header === undefined) return null;
  const m = BASIC_RE.exec(header);
  if (!m) return 'malformed';
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return 'malformed';
  try {
    const clientId = decodeFormComponent(decoded.slice(0, colon));
    const secret = decodeFormComponent(decoded.slice(colon + 1));
    return clientId && secret ? { clientId, secret } : 'malformed';
  } catch {
    return 'malformed';
  }
}
