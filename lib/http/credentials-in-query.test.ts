import { describe, expect, it } from 'vitest';
import {
  credentialQueryResponse,
  hasCredentialsInQuery,
  redactCredentialParams,
  withoutCredentialParams,
} from './credentials-in-query';

describe('credentials in a query string', () => {
  it.each([
    '/sign-in?email=admin%40example.com&password=hunter2',
    '/sign-in?PASSWORD=x',
    '/security/clients?secret=abc',
    '/identity/connect/token?grant_type=client_credentials&client_secret=abc',
    '/api/v1/Tenants/t/ClientCredentialClients?ClientSecret=abc',
    '/sign-in?pass%77ord=x', // a percent-encoded name
    '/account?newPassword=x;page=1',
    '/x?password', // no value still names one
  ])('finds one in %s', (url) => {
    expect(hasCredentialsInQuery(url)).toBe(true);
  });

  it.each([
    '/sign-in',
    '/sign-in?callbackUrl=%2Fsecurity%2Fclients',
    '/security/clients/abc?tab=secrets&add=secret',
    '/security/audit-log?client=secret-service', // a value, not a name
    '/security/clients?q=password',
    '/security/clients?q=%E0', // a broken escape in a value
  ])('lets %s through', (url) => {
    expect(hasCredentialsInQuery(url)).toBe(false);
    expect(credentialQueryResponse('GET', url)).toBeNull();
  });

  it('removes only the credential parameters', () => {
    expect(withoutCredentialParams('/sign-in?email=a%40b.c&password=x&callbackUrl=%2Fa')).toBe('/sign-in?email=a%40b.c&callbackUrl=%2Fa');
    expect(withoutCredentialParams('/sign-in?password=x')).toBe('/sign-in');
  });

  it('redirects a page to its clean address, without echoing the value', async () => {
    const res = credentialQueryResponse('GET', '/sign-in?email=a%40b.c&password=hunter2')!;
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/sign-in?email=a%40b.c');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.text()).toBe('');
  });

  it('answers the token service and the API with a 400 that names no value', async () => {
    const token = credentialQueryResponse('POST', '/identity/connect/token?client_secret=s3cr3t-value')!;
    expect(token.status).toBe(400);
    const body = await token.text();
    expect(JSON.parse(body)).toMatchObject({ error: 'invalid_request' });
    expect(body).not.toContain('s3cr3t-value');

    const api = credentialQueryResponse('GET', '/api/v1/Tenants/t/Roles?secret=s3cr3t-value')!;
    expect(api.status).toBe(400);
    const apiBody = await api.text();
    expect(JSON.parse(apiBody)).toMatchObject({ Error: 'Missing or invalid inputs.' });
    expect(apiBody).not.toContain('s3cr3t-value');

    const post = credentialQueryResponse('POST', '/sign-in?password=s3cr3t-value')!;
    expect(post.status).toBe(400);
    expect(await post.text()).not.toContain('s3cr3t-value');
  });

  it('redacts credential values in a log line', () => {
    expect(redactCredentialParams('UnknownAction: at /api/auth/x?email=a&password=hunter2&b=1')).toBe(
      'UnknownAction: at /api/auth/x?email=a&password=[redacted]&b=1',
    );
    expect(redactCredentialParams('GET /t?client_secret=abc def')).toBe('GET /t?client_secret=[redacted] def');
    expect(redactCredentialParams('nothing here ?q=1')).toBe('nothing here ?q=1');
  });
});
