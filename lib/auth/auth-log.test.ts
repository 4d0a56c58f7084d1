import { afterEach, describe, expect, it, vi } from 'vitest';
import { logAuthError } from './auth-log';

const authError = (type: string, message: string) => Object.assign(new Error(message), { type });

afterEach(() => vi.restoreAllMocks());

describe('logAuthError', () => {
  it('logs what a caller got wrong as a warning, a server-side failure as an error, each one line without a stack', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    logAuthError(authError('MissingCSRF', 'CSRF token was missing during an action signout. Read more at https://errors.authjs.dev#missingcsrf'));
    logAuthError(authError('UnknownAction', 'Cannot parse action at /api/auth/x'));
    logAuthError(new SyntaxError('Unexpected end of JSON input'));
    logAuthError(authError('CallbackRouteError', 'Read more at https://errors.authjs.dev#callbackrouteerror\n    at authorize (stack)'));
    logAuthError(authError('JWTSessionError', 'no matching decryption secret'));
    expect(warn.mock.calls.map((c) => c[0])).toEqual([
      '[auth] MissingCSRF: CSRF token was missing during an action signout. Read more at https://errors.authjs.dev#missingcsrf',
      '[auth] UnknownAction: Cannot parse action at /api/auth/x',
      '[auth] SyntaxError: Unexpected end of JSON input',
    ]);
    expect(error.mock.calls.map((c) => c[0])).toEqual([
      '[auth] CallbackRouteError: Read more at https://errors.authjs.dev#callbackrouteerror',
      '[auth] JWTSessionError: no matching decryption secret',
    ]);
  });

  it('does not log failed sign-ins (logged once elsewhere), and redacts a password in a quoted address', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    logAuthError(authError('CredentialsSignin', 'Read more'));
    logAuthError(authError('InvalidCallbackUrl', 'Invalid callback URL. Received: /x?password=hunter2'));
    expect(error).not.toHaveBeenCalled();
    expect(warn.mock.calls).toEqual([['[auth] InvalidCallbackUrl: Invalid callback URL. Received: /x?password=[redacted]']]);
  });
});
