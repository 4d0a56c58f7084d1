import { z } from 'zod';

/**
 * Redirect URLs, post-logout redirect URLs and CORS origins of Authorization Code and Hybrid clients.
 * Matching is exact (string equality), so what is stored is what the client must send, byte for byte; only the port
 * of an http loopback IP literal may differ (RFC 8252 7.3, lib/oidc/authorize.ts redirectUriAllowed).
 * https only, except loopback (127.0.0.1, [::1], localhost) over http for native apps (RFC 8252 7.3 and 8.3).
 */
export const MAX_URIS = 20;
export const URI_MAX_LENGTH = 2000;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname.toLowerCase());
}

/** Why `value` cannot be a redirect URL, or null when it can. */
export function redirectUriProblem(value: string): string | null {
  if (value.length > URI_MAX_LENGTH) return `Use at most ${URI_MAX_LENGTH} characters.`;
  if (/[\s\u0000-\u001f\u007f-\u009f]/.test(value)) return 'A URL cannot contain spaces or control characters.';
  // A lone surrogate is not text (PostgreSQL refuses it in the audit event's jsonb); zero-width and direction
  // characters make one URL look like another, and an exact match must be checkable by eye.
  if (/\p{Cs}/u.test(value)) return 'A URL cannot contain a broken character (for example half of an emoji).';
  if (/\p{Cf}/u.test(value)) return 'A URL cannot contain invisible formatting characters (such as zero-width spaces).';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'Enter an absolute URL such as https://app.example.com/callback.';
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    return 'Use https (http only for loopback addresses such as http://127.0.0.1).';
  }
  if (value.includes('#')) return 'A redirect URL cannot have a fragment (#).';
  if (url.username || url.password) return 'A redirect URL cannot contain a user name or password.';
  return null;
}

/** Why `value` cannot be an allowed CORS origin (scheme, host and optional port, nothing else), or null. */
export function corsOriginProblem(value: string): string | null {
  const problem = redirectUriProblem(value);
  if (problem) return problem;
  const url = new URL(value);
  if (url.origin !== value) return 'Enter an origin only: scheme, host and optional port, such as https://app.example.com.';
  return null;
}

/** A list of URLs from the form (one per line, or an array from the API): trimmed, blank lines dropped, no duplicates. */
function uriListField(problemOf: (v: string) => string | null, label: string) {
  return z
    .union([z.string(), z.array(z.string())], { error: `Enter the ${label}, one per line.` })
    .optional()
    .transform((v, ctx) => {
      const items = (Array.isArray(v) ? v : (v ?? '').split(/\r?\n/)).map((s) => s.trim()).filter(Boolean);
      const unique = [...new Set(items)];
      if (unique.length > MAX_URIS) {
        ctx.addIssue({ code: 'custom', message: `Enter at most ${MAX_URIS} ${label}.` });
        return z.NEVER;
      }
      for (const item of unique) {
        const problem = problemOf(item);
        if (problem) {
          ctx.addIssue({ code: 'custom', message: `${item.length > 80 ? item.slice(0, 80) + '…' : item}: ${problem}` });
          return z.NEVER;
        }
      }
      return unique;
    });
}

export const REDIRECT_URIS_REQUIRED = 'Enter at least one Redirect URL.';
/** Redirect URLs, possibly none (a Device Code client has none: the schemas require one for the other types). */
export const redirectUriListField = uriListField(redirectUriProblem, 'Redirect URLs');
export const redirectUrisField = redirectUriListField.refine((v) => v.length > 0, REDIRECT_URIS_REQUIRED);
export const postLogoutRedirectUrisField = uriListField(redirectUriProblem, 'Post Logout Redirect URLs');
export const corsOriginsField = uriListField(corsOriginProblem, 'Allowed CORS Origins');
