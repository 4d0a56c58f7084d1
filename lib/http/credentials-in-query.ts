import { apiError } from './api-answers';

/**
 * Credentials never travel in a URL: addresses end up in the address bar, the browser history, Referer headers and
 * every proxy's access log (RFC 6749 §2.3.1 forbids client_secret there too). A form submitted natively as GET
 * before the page hydrated is the usual way one arrives. server.ts answers such a request before anything else
 * sees it, and never echoes the value.
 */
const CREDENTIAL_PARAM = /password|passwd|secret/i;

function queryOf(url: string): string {
  const q = url.indexOf('?');
  if (q === -1) return '';
  const hash = url.indexOf('#', q);
  return url.slice(q + 1, hash === -1 ? undefined : hash);
}

function paramNames(query: string): string[] {
  const names: string[] = [];
  for (const part of query.split(/[&;]/)) {
    if (!part) continue;
    const raw = part.split('=', 1)[0].replace(/\+/g, ' ');
    let name = raw;
    try {
      name = decodeURIComponent(raw);
    } catch {
      // A broken escape: judge the raw text.
    }
    names.push(name);
  }
  return names;
}

/** Whether the query string of a request target (path?query) names a password or a secret. */
export function hasCredentialsInQuery(url: string | undefined): boolean {
  if (!url) return false;
  const query = queryOf(url);
  return query !== '' && paramNames(query).some((n) => CREDENTIAL_PARAM.test(n));
}

/** The same target without the credential parameters (the others keep their order and encoding). */
export function withoutCredentialParams(url: string): string {
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  const kept = queryOf(url)
    .split(/[&;]/)
    .filter((part) => part && !paramNames(part).some((n) => CREDENTIAL_PARAM.test(n)));
  return kept.length ? `${path}?${kept.join('&')}` : path;
}

/**
 * The answer to a request whose query string carries credentials, or null for any other request.
 * A page fetched with GET/HEAD is redirected (303) to its clean address, so the history entry and the address bar
 * hold no password; API and token-service requests and other methods get a 400 that names no value.
 */
export function credentialQueryResponse(method: string | undefined, url: string | undefined): Response | null {
  if (!url || !hasCredentialsInQuery(url)) return null;
  const noStore = { 'Cache-Control': 'no-store' };
  const message = 'Passwords and secrets are not accepted in the address (query string).';
  if (url.startsWith('/api/')) {
    return apiError(400, message, { resolution: 'Send credentials in the request body or the Authorization header.' });
  }
  if (url.startsWith('/identity/')) {
    return Response.json(
      { error: 'invalid_request', error_description: `${message} Send client credentials with HTTP Basic or in the form body.` },
      { status: 400, headers: noStore },
    );
  }
  if (method === 'GET' || method === 'HEAD') {
    return new Response(null, { status: 303, headers: { ...noStore, Location: withoutCredentialParams(url) } });
  }
  return new Response(`Bad Request: ${message}\n`, {
    status: 400,
    headers: { ...noStore, 'Content-Type': 'text/plain; charset=utf-8' },
  });
}

/** For log lines that may quote an address: the value of every credential parameter replaced. */
export function redactCredentialParams(text: string): string {
  return text.replace(/([?&;][^=&;\s#"'<>]*(?:password|passwd|secret)[^=&;\s#"'<>]*=)[^&;\s#"'<>]*/gi, '$1[redacted]');
}
