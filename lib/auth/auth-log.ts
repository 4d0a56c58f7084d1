import { redactCredentialParams } from '../http/credentials-in-query';
import { requestContext } from '../log/logger';

/**
 * Auth.js errors that say what a request got wrong, not what is wrong with this server: a form posted without its
 * CSRF token, an unknown /api/auth action or provider, a body that is not JSON, a refused or expired sign-in link.
 * Anyone can send such requests, so they are logged as warnings: an operator's alert on error lines is not set off by
 * a scanner. (Auth.js's own list of errors it shows to clients, plus the request-shape errors.)
 */
const CALLER_ERRORS = new Set([
  'MissingCSRF',
  'UnknownAction',
  'InvalidProvider',
  'InvalidCallbackUrl',
  'SyntaxError',
  'AccessDenied',
  'Verification',
  'OAuthAccountNotLinked',
  'AccountNotLinked',
  'WebAuthnVerificationError',
  // A session cookie that cannot be read (not a JWE at all, or sealed with a secret this server does not have: forged,
  // or left from before AUTH_SECRET changed): the request goes on signed out.
  'JWTSessionError',
]);

/**
 * Why a session cookie could not be read: the wrapped jose error's message (Auth.js keeps it as `cause.err`; its own
 * message is only a link to its docs). Only for JWTSessionError, whose causes are jose's fixed texts ("Invalid Compact
 * JWE", "no matching decryption secret"): other errors may wrap a database error whose message holds SQL.
 */
function causeOf(type: string, error: Error): string | undefined {
  if (type !== 'JWTSessionError') return undefined;
  const err = (error.cause as { err?: unknown } | undefined)?.err;
  return err instanceof Error ? err.message : undefined;
}

/** The last line logged and its request: Auth.js reads the session more than once per page, each time failing alike. */
let last: { requestId: string; line: string } | null = null;

/**
 * next-auth's `logger.error`: one line without a stack (for an unreadable session cookie, with the reason),
 * any credential in a quoted address redacted, once per request. Failed sign-ins (CredentialsSignin) are not logged
 * here: lib/auth/sign-in-steps.ts logs each once.
 */
export function logAuthError(error: Error) {
  const type = (error as { type?: string }).type ?? error.name;
  if (type === 'CredentialsSignin') return;
  const cause = causeOf(type, error);
  const message = error.message.split('\n')[0];
  const line = `[auth] ${type}: ${redactCredentialParams(cause ? `${cause.split('\n')[0]} (${message})` : message)}`;
  // The same line again for the same request says nothing new.
  const requestId = requestContext().getStore()?.requestId;
  if (requestId && last?.requestId === requestId && last.line === line) return;
  last = requestId ? { requestId, line } : null;
  if (CALLER_ERRORS.has(type)) console.warn(line);
  else console.error(line);
}
