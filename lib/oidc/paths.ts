/** Paths under the issuer, next to those of lib/tokens/token-service.ts (PATHS). No imports: pages load this too. */
export const OIDC_PATHS = {
  authorize: '/connect/authorize',
  userinfo: '/connect/userinfo',
  endSession: '/connect/endsession',
  deviceAuthorization: '/connect/deviceauthorization',
} as const;
