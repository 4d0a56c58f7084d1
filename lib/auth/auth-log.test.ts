import { afterEach, describe, expect, it, vi } from 'vitest';
import { requestContext } from '../log/logger';
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
    // A wrapped database error's message (SQL) is not repeated: only an unreadable session cookie's reason is.
    logAuthError(
      Object.assign(new Error('Read more at https://errors.authjs.dev#callbackrouteerror', { cause: { err: new Error('Failed query: select "password_hash" from "users"') } }), {
        type: 'CallbackRouteError',
      }),
    );
    expect(warn.mock.calls.map((c) => c[0])).toEqual([
      '[auth] MissingCSRF: CSRF token was missing during an action signout. Read more at https://errors.authjs.dev#missingcsrf',
      '[auth] UnknownAction: Cannot parse action at /api/auth/x',
      '[auth] SyntaxError: Unexpected end of JSON input',
    ]);
    expect(error.mock.calls.map((c) => c[0])).toEqual([
      '[auth] CallbackRouteError: Read more at https://errors.authjs.dev#callbackrouteerror',
      '[auth] CallbackRouteError: Read more at https://errors.authjs.dev#callbackrouteerror',
    ]);
  });

  it('logs a session cookie it cannot read (anyone can send one) as a warning naming why, once per request', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    // The shape Auth.js gives it (@auth/core errors.js, `new JWTSessionError(e)`): its own message is a link to its
    // docs, the reason is the wrapped error, kept as cause.err.
    const unreadable = (reason: string) =>
      Object.assign(new Error('Read more at https://errors.authjs.dev#jwtsessionerror', { cause: { err: new Error(reason) } }), {
        type: 'JWTSessionError',
      });
    requestContext().run({ requestId: 'request-1' }, () => {
      logAuthError(unreadable('Invalid Compact JWE'));
      logAuthError(unreadable('Invalid Compact JWE')); // the page's second read of the same cookie
    });
    requestContext().run({ requestId: 'request-2' }, () => logAuthError(unreadable('no matching decryption secret')));
    requestContext().run({ requestId: 'request-3' }, () => logAuthError(unreadable('no matching decryption secret')));
    expect(error).not.toHaveBeenCalled();
    expect(warn.mock.calls.map((c) => c[0])).toEqual([
      '[auth] JWTSessionError: Invalid Compact JWE (Read more at https://errors.authjs.dev#jwtsessionerror)',
      '[auth] JWTSessionError: no matching decryption secret (Read more at https://errors.authjs.dev#jwtsessionerror)',
      '[auth] JWTSessionError: no matching decryption secret (Read more at https://errors.authjs.dev#jwtsessionerror)',
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
