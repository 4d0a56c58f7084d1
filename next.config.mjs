/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite ships WASM and resolves files by URL: bundled, the build passes and every request fails (ERR_INVALID_ARG_TYPE).
  serverExternalPackages: ['@electric-sql/pglite', 'pg'],
  poweredByHeader: false,
  // Lets two builds (e.g. parallel checkouts) live side by side; '.next' by default.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  // Static assets skip proxy.ts; they still get the headers that apply to every answer.
  async headers() {
    return [
      {
        source: '/_next/static/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'no-referrer' },
        ],
      },
    ];
  },
  experimental: {
    authInterrupts: true,
  },
};

export default nextConfig;
