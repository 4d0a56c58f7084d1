export * from './tenants';
export * from './users';
export * from './roles';
export * from './clients';
export * from './client-secrets';
export * from './audit-events';
export * from './signing-keys';
export * from './oidc-grants';
