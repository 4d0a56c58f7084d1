import ipaddr from 'ipaddr.js';

/**
 * Which addresses the server may connect to when it fetches a URL someone else chose (a client's JWKS URL, a
 * federated credential's issuer, later webhooks): public unicast only. The address is parsed by ipaddr.js (pinned),
 * so every spelling the URL parser or a resolver can produce is judged by its value, not its text: IPv4-mapped IPv6 in
 * hex or dotted form (::ffff:7f00:1, ::ffff:127.0.0.1), and IPv4 inside NAT64 (64:ff9b::/96, 64:ff9b:1::/48), 6to4
 * (2002::/16) and SIIT (::ffff:0:0/96) prefixes is unwrapped and checked as IPv4. Teredo and the IPv4-compatible ::/96
 * are refused outright; IPv6 must be global unicast (2000::/3).
 */

/** The reason an address is refused ("loopback", "private", ...), or null when it is a public unicast address. */
export function refusedAddressReason(address: string): string | null {
  const text = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  // Zone ids (fe80::1%eth0) are link-local by definition.
  if (text.includes('%')) return 'linkLocal';
  if (!ipaddr.isValid(text)) return 'invalid';
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(text);
  } catch {
    return 'invalid';
  }
  if (parsed.kind() === 'ipv6') {
    const v6 = parsed as ipaddr.IPv6;
    const embedded = embeddedIPv4(v6);
    if (embedded) return ipv4Reason(embedded);
    const range = v6.range();
    if (range !== 'unicast') return range;
    // Global unicast only: the IPv4-compatible ::/96 and everything outside 2000::/3 is not for us to reach.
    if (!v6.match(ipaddr.IPv6.parse('2000::'), 3)) return 'reserved';
    return null;
  }
  return ipv4Reason(parsed as ipaddr.IPv4);
}

function ipv4Reason(v4: ipaddr.IPv4): string | null {
  const range = v4.range();
  return range === 'unicast' ? null : range;
}

/** The IPv4 address an IPv6 address carries (mapped, SIIT, NAT64, 6to4), if any. */
function embeddedIPv4(v6: ipaddr.IPv6): ipaddr.IPv4 | null {
  const range = v6.range();
  const p = v6.parts;
  const fromLow = () => new ipaddr.IPv4([p[6] >> 8, p[6] & 0xff, p[7] >> 8, p[7] & 0xff]);
  if (range === 'ipv4Mapped' || range === 'rfc6145') return fromLow();
  // NAT64 well-known prefix /96; the local-use /48 (RFC 8215) puts it elsewhere by prefix length, so refuse that
  // as a whole: an address in it is never a public one of ours to fetch.
  if (range === 'rfc6052') return p[2] === 0 && p[3] === 0 && p[4] === 0 && p[5] === 0 ? fromLow() : new ipaddr.IPv4([0, 0, 0, 0]);
  if (range === '6to4') return new ipaddr.IPv4([p[1] >> 8, p[1] & 0xff, p[2] >> 8, p[2] & 0xff]);
  if (range === 'teredo') return new ipaddr.IPv4([0, 0, 0, 0]);
  return null;
}

export function isInternalAddress(address: string): boolean {
  return refusedAddressReason(address) !== null;
}

/** Loopback (127.0.0.0/8, ::1, and their IPv4-mapped forms): only for plain-http test and development fetches. */
export function isLoopbackAddress(address: string): boolean {
  const text = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  if (!ipaddr.isValid(text)) return false;
  const parsed = ipaddr.process(text);
  return parsed.range() === 'loopback';
}
