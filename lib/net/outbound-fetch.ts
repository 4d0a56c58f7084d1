import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { isLoopbackAddress, refusedAddressReason } from './address';

/**
 * The one way the server fetches a URL that someone else chose (a client's JWKS URL, a federated credential's
 * issuer discovery and JWKS, later webhooks). Server-side request forgery rules, in one place:
 * - https only; plain http only to a loopback host when OUTBOUND_ALLOW_HTTP_LOOPBACK=1 or JWKS_URL_ALLOW_HTTP_LOOPBACK=1
 *   (tests and local development); no user name or password in the URL.
 * - The host is resolved once; if any of its addresses is not public unicast (lib/net/address.ts), nothing is
 *   connected. The connection then goes to the address that was checked (a `lookup` that answers with it), so a
 *   second DNS answer between check and connect cannot send it elsewhere. TLS (SNI, certificate) and Host still use
 *   the name.
 * - Every redirect hop is checked the same way before it is followed; a time limit covers all hops together; the
 *   body is capped and read only as far as the cap.
 */
export const OUTBOUND_TIMEOUT_MS = 3000;
export const OUTBOUND_MAX_BYTES = 64 * 1024;
export const OUTBOUND_URL_MAX = 2000;
const DEFAULT_MAX_REDIRECTS = 3;

export type OutboundOptions = {
  /** How messages name the URL: "The JWKS URL", "The issuer". */
  label: string;
  timeoutMs?: number;
  maxBytes?: number;
  maxRedirects?: number;
  /** 'same-origin': a redirect to another scheme, host or port is refused. 'checked': followed, checked like the first hop. */
  redirects?: 'same-origin' | 'checked';
  accept?: string;
};

export type OutboundFailure = {
  ok: false;
  /** For the administrator (a field message, a "last failure reason"): never the response body. */
  message: string;
  reason: 'url' | 'refused' | 'dns' | 'network' | 'timeout' | 'status' | 'size' | 'redirect' | 'format';
};
export type OutboundText = { ok: true; url: URL; status: number; contentType: string; body: string };

export const allowHttpLoopback = () =>
  process.env.OUTBOUND_ALLOW_HTTP_LOOPBACK === '1' || process.env.JWKS_URL_ALLOW_HTTP_LOOPBACK === '1';

const hostOf = (url: URL) => (url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname);

function isLoopbackHost(url: URL) {
  const host = hostOf(url);
  return host === 'localhost' || (isIP(host) !== 0 && isLoopbackAddress(host));
}

/** The URL as accepted for storing and fetching, or the message for the field. Nothing is resolved or fetched. */
export function checkOutboundUrl(raw: unknown, label: string, example: string): { ok: true; url: URL } | { ok: false; message: string } {
  if (typeof raw !== 'string' || !raw.trim()) return { ok: false, message: `Enter ${label.replace(/^The /, 'the ')}.` };
  const text = raw.trim();
  if (text.length > OUTBOUND_URL_MAX) return { ok: false, message: `Use a URL of at most ${OUTBOUND_URL_MAX} characters.` };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, message: `Enter a full URL, such as ${example}.` };
  }
  if (url.username || url.password) return { ok: false, message: 'The URL cannot contain a user name or password.' };
  if (url.hash) return { ok: false, message: 'The URL cannot contain a fragment (#...).' };
  if (url.protocol === 'https:') return { ok: true, url };
  if (url.protocol === 'http:' && allowHttpLoopback() && isLoopbackHost(url)) return { ok: true, url };
  return { ok: false, message: `${label} must use https.` };
}

type Resolved = { ok: true; address: string; family: 4 | 6 } | OutboundFailure;

/** Resolve once and check every address; the first one is where the connection goes. */
async function resolveChecked(url: URL, label: string): Promise<Resolved> {
  const host = hostOf(url);
  let addresses: { address: string; family: number }[];
  if (isIP(host)) {
    addresses = [{ address: host, family: isIP(host) }];
  } else {
    try {
      addresses = await dnsLookup(host, { all: true, verbatim: true });
    } catch {
      return { ok: false, reason: 'dns', message: `${label}'s host name could not be resolved.` };
    }
  }
  if (addresses.length === 0) return { ok: false, reason: 'dns', message: `${label}'s host name could not be resolved.` };
  // Plain http is allowed only to loopback (checkOutboundUrl), and then only loopback addresses are connected to.
  const refused =
    url.protocol === 'http:' ? addresses.some((a) => !isLoopbackAddress(a.address)) : addresses.some((a) => refusedAddressReason(a.address) !== null);
  if (refused) return { ok: false, reason: 'refused', message: `${label} points to a private or local network address.` };
  return { ok: true, address: addresses[0].address, family: addresses[0].family === 6 ? 6 : 4 };
}

/** A lookup that answers with the address already checked, whatever the name (no second resolution). */
function pinnedLookup(address: string, family: 4 | 6): LookupFunction {
  return ((_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  }) as unknown as LookupFunction;
}

type HopAnswer =
  | { kind: 'redirect'; location: string | null; status: number }
  | { kind: 'body'; status: number; contentType: string; body: string | null };

type RequestOptions = Required<Pick<OutboundOptions, 'accept'>> & {
  maxBytes: number;
  signal: AbortSignal;
  /** POST (webhooks): the body and its headers; GET otherwise. */
  post?: { body: string; headers: Record<string, string> };
};

function requestOnce(url: URL, pinned: { address: string; family: 4 | 6 }, options: RequestOptions): Promise<HopAnswer> {
  const client = url.protocol === 'https:' ? https : http;
  const host = hostOf(url);
  return new Promise((resolve, reject) => {
    const requestOptions: https.RequestOptions = {
      protocol: url.protocol,
      host,
      port: url.port || undefined,
      path: `${url.pathname}${url.search}`,
      method: options.post ? 'POST' : 'GET',
      headers: {
        Accept: options.accept,
        'User-Agent': 'tenant-security-console',
        'Accept-Encoding': 'identity',
        ...(options.post ? { ...options.post.headers, 'Content-Length': String(Buffer.byteLength(options.post.body)) } : {}),
      },
      // An IP literal is connected to as is (already checked); a name goes to the checked address.
      lookup: isIP(host) ? undefined : pinnedLookup(pinned.address, pinned.family),
      family: isIP(host) ? undefined : pinned.family,
      agent: false,
      signal: options.signal,
      // SNI and certificate checks against the name, as for any https request (an IP literal: no SNI).
      ...(url.protocol === 'https:' && !isIP(host) ? { servername: host } : {}),
    };
    const req = client.request(requestOptions, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400) {
        res.resume();
        resolve({ kind: 'redirect', status, location: typeof res.headers.location === 'string' ? res.headers.location : null });
        return;
      }
      const contentType = String(res.headers['content-type'] ?? '');
      const declared = Number(res.headers['content-length'] ?? '0');
      if (declared > options.maxBytes) {
        res.destroy();
        resolve({ kind: 'body', status, contentType, body: null });
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > options.maxBytes) {
          res.destroy();
          resolve({ kind: 'body', status, contentType, body: null });
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => resolve({ kind: 'body', status, contentType, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.post?.body);
  });
}

/** GET a URL under the rules above; the body as text when the answer is 2xx. Never throws. */
export async function fetchOutbound(raw: string | URL, options: OutboundOptions): Promise<OutboundText | OutboundFailure> {
  const { label } = options;
  const checked = checkOutboundUrl(String(raw), label, 'https://example.com/');
  if (!checked.ok) return { ok: false, reason: 'url', message: checked.message };
  let url = checked.url;
  const maxBytes = options.maxBytes ?? OUTBOUND_MAX_BYTES;
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const signal = AbortSignal.timeout(options.timeoutMs ?? OUTBOUND_TIMEOUT_MS);
  const accept = options.accept ?? 'application/json';
  try {
    for (let hop = 0; ; hop++) {
      const pinned = await resolveChecked(url, label);
      if (!pinned.ok) {
        return hop > 0 && pinned.reason === 'refused'
          ? { ok: false, reason: 'redirect', message: `${label} redirects to a private or local network address.` }
          : pinned;
      }
      if (signal.aborted) return { ok: false, reason: 'timeout', message: `${label} did not answer in time.` };
      const answer = await requestOnce(url, pinned, { accept, maxBytes, signal });
      if (answer.kind === 'redirect') {
        if (!answer.location || hop >= maxRedirects) return { ok: false, reason: 'redirect', message: `${label} redirects too often.` };
        let next: URL;
        try {
          next = new URL(answer.location, url);
        } catch {
          return { ok: false, reason: 'redirect', message: `${label} redirects to an invalid URL.` };
        }
        if (options.redirects !== 'checked' && (next.host !== url.host || next.protocol !== url.protocol)) {
          return { ok: false, reason: 'redirect', message: `${label} redirects to another host: give the final URL.` };
        }
        const again = checkOutboundUrl(next.toString(), label, 'https://example.com/');
        if (!again.ok) return { ok: false, reason: 'redirect', message: `${label} redirects to a URL that is not allowed: ${again.message}` };
        url = again.url;
        continue;
      }
      if (answer.body === null) return { ok: false, reason: 'size', message: `${label} answered with more than ${maxBytes / 1024} KiB.` };
      if (answer.status < 200 || answer.status >= 300) return { ok: false, reason: 'status', message: `${label} answered HTTP ${answer.status}.` };
      return { ok: true, url, status: answer.status, contentType: answer.contentType, body: answer.body };
    }
  } catch (err) {
    const name = (err as Error).name;
    if (name === 'TimeoutError' || name === 'AbortError' || signal.aborted) return { ok: false, reason: 'timeout', message: `${label} did not answer in time.` };
    return { ok: false, reason: 'network', message: `${label} could not be reached.` };
  }
}

/** fetchOutbound, then JSON.parse; a non-object answer is a 'format' failure. */
export async function fetchOutboundJson(
  raw: string | URL,
  options: OutboundOptions,
): Promise<{ ok: true; url: URL; value: Record<string, unknown> } | OutboundFailure> {
  const got = await fetchOutbound(raw, options);
  if (!got.ok) return got;
  let value: unknown;
  try {
    value = JSON.parse(got.body);
  } catch {
    return { ok: false, reason: 'format', message: `${options.label} did not answer with JSON.` };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, reason: 'format', message: `${options.label} did not answer with a JSON object.` };
  }
  return { ok: true, url: got.url, value: value as Record<string, unknown> };
}

export type OutboundPosted = { ok: true; status: number };

/**
 * POST a body to a URL under the same rules (webhooks). Redirects are not followed (a 3xx is a failure, as Standard
 * Webhooks receivers must answer 2xx). A non-2xx answer is a 'status' failure that carries the code.
 */
export async function postOutbound(
  raw: string | URL,
  options: { label: string; body: string; headers: Record<string, string>; timeoutMs?: number },
): Promise<OutboundPosted | (OutboundFailure & { status?: number })> {
  const { label } = options;
  const checked = checkOutboundUrl(String(raw), label, 'https://example.com/');
  if (!checked.ok) return { ok: false, reason: 'url', message: checked.message };
  const url = checked.url;
  const signal = AbortSignal.timeout(options.timeoutMs ?? OUTBOUND_TIMEOUT_MS);
  try {
    const pinned = await resolveChecked(url, label);
    if (!pinned.ok) return pinned;
    const answer = await requestOnce(url, pinned, {
      accept: '*/*',
      maxBytes: OUTBOUND_MAX_BYTES,
      signal,
      post: { body: options.body, headers: options.headers },
    });
    if (answer.kind === 'redirect') return { ok: false, reason: 'redirect', status: answer.status, message: `${label} answered with a redirect (HTTP ${answer.status}).` };
    if (answer.status < 200 || answer.status >= 300) return { ok: false, reason: 'status', status: answer.status, message: `${label} answered HTTP ${answer.status}.` };
    return { ok: true, status: answer.status };
  } catch (err) {
    const name = (err as Error).name;
    if (name === 'TimeoutError' || name === 'AbortError' || signal.aborted) return { ok: false, reason: 'timeout', message: `${label} did not answer in time.` };
    return { ok: false, reason: 'network', message: `${label} could not be reached.` };
  }
}
