import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { parsePublicKey, type ParsedPublicKey } from './public-key';

/**
 * JWKS URLs: a client's keys fetched from its own endpoint. The console's server fetches a URL an administrator
 * typed, so it guards against server-side request forgery: https only (plain http only to a loopback address, and
 * only when JWKS_URL_ALLOW_HTTP_LOOPBACK=1, for tests and local development), no credentials in the URL, no private,
 * loopback or link-local address for https, redirects followed only to the same host, a timeout and a size cap.
 * Fetched sets are cached per URL for JWKS_CACHE_TTL_MS.
 */
export const JWKS_URL_MAX = 2000;
export const JWKS_TIMEOUT_MS = 3000;
export const JWKS_MAX_BYTES = 64 * 1024;
export const JWKS_CACHE_TTL_MS = 5 * 60_000;
/** A kid we do not know may be a key published since: re-fetch, but at most this often. */
const MISS_REFETCH_MS = 30_000;
const MAX_REDIRECTS = 3;
const MAX_KEYS = 20;

export type JwksFetchResult = { ok: true; keys: ParsedPublicKey[] } | { ok: false; message: string };

const allowLoopbackHttp = () => process.env.JWKS_URL_ALLOW_HTTP_LOOPBACK === '1';

function isLoopback(host: string) {
  const h = host.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\./.test(h);
}

/** Private, loopback, link-local, unspecified, CGNAT and multicast addresses: never fetched over https. */
export function isInternalAddress(address: string): boolean {
  const a = address.toLowerCase().replace(/^::ffff:/, '');
  if (isIP(a) === 4) {
    const [x, y] = a.split('.').map(Number);
    return (
      x === 0 || x === 10 || x === 127 || (x === 169 && y === 254) || (x === 172 && y >= 16 && y <= 31) ||
      (x === 192 && y === 168) || (x === 100 && y >= 64 && y <= 127) || x >= 224
    );
  }
  return a === '::' || a === '::1' || a.startsWith('fc') || a.startsWith('fd') || a.startsWith('fe80') || a.startsWith('ff');
}

/** The URL as accepted for storing, or the message for the field. */
export function checkJwksUrl(raw: unknown): { ok: true; url: URL } | { ok: false; message: string } {
  if (typeof raw !== 'string' || !raw.trim()) return { ok: false, message: 'Enter the JWKS URL.' };
  const text = raw.trim();
  if (text.length > JWKS_URL_MAX) return { ok: false, message: `Use a URL of at most ${JWKS_URL_MAX} characters.` };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, message: 'Enter a full URL, such as https://app.example.com/.well-known/jwks.json.' };
  }
  if (url.username || url.password) return { ok: false, message: 'The URL cannot contain a user name or password.' };
  if (url.hash) return { ok: false, message: 'The URL cannot contain a fragment (#...).' };
  if (url.protocol === 'https:') return { ok: true, url };
  if (url.protocol === 'http:' && allowLoopbackHttp() && isLoopback(url.hostname)) return { ok: true, url };
  return { ok: false, message: 'The JWKS URL must use https.' };
}

async function checkAddress(url: URL): Promise<string | null> {
  if (url.protocol === 'http:') return null; // loopback, allowed explicitly (checkJwksUrl)
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  } catch {
    return 'The JWKS URL\'s host name could not be resolved.';
  }
  return addresses.some(isInternalAddress) ? 'The JWKS URL points to a private or local network address.' : null;
}

async function readCapped(res: Response): Promise<string | null> {
  const declared = Number(res.headers.get('content-length') ?? '0');
  if (declared > JWKS_MAX_BYTES) return null;
  const reader = res.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > JWKS_MAX_BYTES) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Fetch and parse a JWKS (no cache). Only public signing keys of the accepted kinds are kept. */
export async function fetchJwks(raw: string): Promise<JwksFetchResult> {
  const checked = checkJwksUrl(raw);
  if (!checked.ok) return checked;
  let url = checked.url;
  const signal = AbortSignal.timeout(JWKS_TIMEOUT_MS);
  try {
    for (let hop = 0; ; hop++) {
      const refused = await checkAddress(url);
      if (refused) return { ok: false, message: refused };
      const res = await fetch(url, { redirect: 'manual', signal, headers: { Accept: 'application/json, application/jwk-set+json' } });
      if (res.status >= 300 && res.status < 400) {
        await res.body?.cancel().catch(() => {});
        const location = res.headers.get('location');
        if (!location || hop >= MAX_REDIRECTS) return { ok: false, message: 'The JWKS URL redirects too often.' };
        const next = new URL(location, url);
        if (next.host !== url.host || next.protocol !== url.protocol) {
          return { ok: false, message: 'The JWKS URL redirects to another host: give the final URL.' };
        }
        url = next;
        continue;
      }
      if (!res.ok) {
        await res.body?.cancel().catch(() => {});
        return { ok: false, message: `The JWKS URL answered HTTP ${res.status}.` };
      }
      const text = await readCapped(res);
      if (text === null) return { ok: false, message: `The JWKS is larger than ${JWKS_MAX_BYTES / 1024} KiB.` };
      let doc: unknown;
      try {
        doc = JSON.parse(text);
      } catch {
        return { ok: false, message: 'The JWKS URL did not answer with JSON.' };
      }
      const list = (doc as { keys?: unknown })?.keys;
      if (!Array.isArray(list)) return { ok: false, message: 'The JWKS URL did not answer with a JWK Set ({"keys": [...]}).' };
      const keys: ParsedPublicKey[] = [];
      for (const item of list.slice(0, MAX_KEYS)) {
        // Keys for encryption, private keys and unsupported kinds are skipped, never used.
        const parsed = parsePublicKey(item);
        if (parsed.ok) keys.push(parsed.key);
      }
      if (keys.length === 0) return { ok: false, message: 'The JWK Set holds no usable public signing key.' };
      return { ok: true, keys };
    }
  } catch (err) {
    return {
      ok: false,
      message: (err as Error).name === 'TimeoutError' ? 'The JWKS URL did not answer in time.' : 'The JWKS URL could not be reached.',
    };
  }
}

type CacheEntry = { keys: ParsedPublicKey[]; fetchedAt: number; inflight: Promise<ParsedPublicKey[]> | null };
const cache = ((globalThis as Record<string, unknown>).__tscJwksUrlCache ??= new Map()) as Map<string, CacheEntry>;

/**
 * The keys of a JWKS URL for the token endpoint: from the cache while fresh; `wantKid` not among them re-fetches
 * (at most every MISS_REFETCH_MS). A failed fetch keeps the last good set until its TTL ends.
 */
export async function jwksKeys(url: string, wantKid?: string, now = Date.now()): Promise<ParsedPublicKey[]> {
  let entry = cache.get(url);
  const fresh = entry && now - entry.fetchedAt < JWKS_CACHE_TTL_MS;
  const missing = wantKid !== undefined && entry && !entry.keys.some((k) => k.kid === wantKid) && now - entry.fetchedAt >= MISS_REFETCH_MS;
  if (fresh && !missing) return entry!.keys;
  if (!entry) {
    entry = { keys: [], fetchedAt: 0, inflight: null };
    cache.set(url, entry);
    if (cache.size > 10_000) cache.delete(cache.keys().next().value!);
  }
  const e = entry;
  e.inflight ??= fetchJwks(url)
    .then((r) => {
      if (r.ok) {
        e.keys = r.keys;
        e.fetchedAt = Date.now();
      } else if (Date.now() - e.fetchedAt >= JWKS_CACHE_TTL_MS) {
        e.keys = [];
        e.fetchedAt = Date.now() - JWKS_CACHE_TTL_MS + MISS_REFETCH_MS;
      }
      return e.keys;
    })
    .finally(() => {
      e.inflight = null;
    });
  return e.inflight;
}

/** Tests: forget fetched sets. */
export function clearJwksCache() {
  cache.clear();
}
