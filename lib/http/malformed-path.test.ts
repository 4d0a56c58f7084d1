import { describe, expect, it } from 'vitest';
import { isMalformedPath, isMalformedRouterState, isUnservableMethod, malformedPathResponse, malformedRouterStateResponse, unservableMethodResponse } from './malformed-path';

const tree = (state: unknown) => encodeURIComponent(JSON.stringify(state));
// What Next's client router sends on a navigation from Security > Clients (the shape of FlightRouterState).
const NAVIGATION = tree(['', { children: ['(console)', { children: ['security', { children: ['clients', { children: ['__PAGE__', {}, null, null] }, null, null] }, null, null] }, null, null] }, null, null, 1]);

describe('isMalformedRouterState', () => {
  it('lets through requests without the header, and router states Next can parse', () => {
    expect(isMalformedRouterState({})).toBe(false);
    expect(isMalformedRouterState({ 'next-router-state-tree': NAVIGATION })).toBe(false);
    expect(isMalformedRouterState({ 'next-router-state-tree': tree(['', {}]) })).toBe(false);
  });

  it('refuses what Next would answer with a 500: not %-encoded JSON, not a router state, joined repeats, too long', () => {
    for (const value of [
      'garbage',
      '%E0',
      tree(['']),
      tree({ children: [] }),
      tree(['', { children: 'x' }]),
      `${NAVIGATION}, ${NAVIGATION}`,
      tree(['', Object.fromEntries(Array.from({ length: 2500 }, (_, i) => [`k${i}`, ['', {}]]))]),
    ]) {
      expect(isMalformedRouterState({ 'next-router-state-tree': value }), value.slice(0, 40)).toBe(true);
    }
  });

  it('answers 400 (JSON under /api/, text elsewhere) without echoing the header', async () => {
    const page = malformedRouterStateResponse('/sign-in');
    expect(page.status).toBe(400);
    expect(await page.text()).toBe('Bad Request: The Next-Router-State-Tree header is not a valid router state.\n');
    const api = malformedRouterStateResponse('/api/v1/Tenants');
    expect(api.status).toBe(400);
    expect(api.headers.get('content-type')).toContain('json');
  });
});

describe('isMalformedPath', () => {
  it('refuses broken escapes only', async () => {
    expect(isMalformedPath('/security/clients/%E0')).toBe(true);
    expect(isMalformedPath('/security/clients/%C3%A9?q=%E0')).toBe(false);
    expect(await malformedPathResponse('/security/clients/%E0').text()).toBe('Bad Request: The request path is not valid URL encoding.\n');
  });
});

describe('isUnservableMethod', () => {
  it('names the methods a fetch Request cannot carry, and answers them 405 with Allow', async () => {
    expect(['TRACE', 'TRACK', 'CONNECT'].every(isUnservableMethod)).toBe(true);
    expect(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'PROPFIND', undefined].some(isUnservableMethod)).toBe(false);
    const page = unservableMethodResponse('/sign-in', 'TRACE');
    expect([page.status, page.headers.get('allow'), await page.text()]).toEqual([405, 'GET, HEAD, POST', 'Method Not Allowed: The TRACE method is not supported.\n']);
    const api = unservableMethodResponse('/api/v1/Tenants', 'TRACE');
    expect([api.status, api.headers.get('allow')]).toEqual([405, 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS']);
    expect(await api.json()).toMatchObject({ Reason: 'The TRACE method is not supported.' });
  });
});
