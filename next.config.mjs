/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite ships WASM and resolves files by URL: bundling it breaks every request (STACK.md #1).
  serverExternalPackages: ['@electric-sql/pglite', 'pg'],
  poweredByHeader: false,
  experimental: {
    authInterrupts: true,
  },
};

export default nextConfig;
