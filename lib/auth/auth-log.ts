import { redactCredentialParams } from '../http/credentials-in-query';

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
]);

/**
 * next-auth's `logger.error`: one line without a stack, any credential in a quoted address redacted. Failed sign-ins
 * (CredentialsSignin) are not logged here: lib/auth/sign-in-steps.ts logs each once.
 */
export function logAuthError(error: Error) {
  const type = (error as { type?: string }).type ?? error.name;
  if (type === 'CredentialsSignin') return;
  const line = `[auth] ${type}: ${redactCredentialParams(error.message.split('\n')[0])}`;
  if (CALLER_ERRORS.has(type)) console.warn(line);
  else console.error(line);
}
