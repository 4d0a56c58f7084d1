/** Paths of lib/tokens' endpoints under the issuer (lib/oidc/paths.ts has the others); the discovery document advertises them. */
export const PATHS = {
  discovery: '/.well-known/openid-configuration',
  jwks: '/.well-known/openid-configuration/jwks',
  token: '/connect/token',
  introspection: '/connect/introspect',
  revocation: '/connect/revocation',
} as const;
