import { NextResponse, type NextRequest } from 'next/server';
import { API_CSP, BASE_SECURITY_HEADERS, HSTS, isHttpsRequest, pageCsp } from './lib/http/security-headers';

/** Every page, action and API answer from Next gets the security headers; pages get a per-request CSP nonce. */
export function proxy(request: NextRequest) {
  const nonce = btoa(crypto.randomUUID());
  const https = isHttpsRequest(request.headers, request.nextUrl.protocol);
  const csp = pageCsp(nonce, { dev: process.env.NODE_ENV !== 'production', https });

  const requestHeaders = new Headers(request.headers);
  // Next reads the nonce for its own scripts from the request's CSP header.
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('Content-Security-Policy', csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  // JSON answers (REST API, auth endpoints) run nothing: the strictest policy.
  response.headers.set('Content-Security-Policy', request.nextUrl.pathname.startsWith('/api/') ? API_CSP : csp);
  for (const [k, v] of Object.entries(BASE_SECURITY_HEADERS)) response.headers.set(k, v);
  if (https) response.headers.set('Strict-Transport-Security', HSTS);
  return response;
}

export const config = {
  matcher: [{ source: '/((?!_next/static|_next/image|favicon.ico).*)' }],
};
