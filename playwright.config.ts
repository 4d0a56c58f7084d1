import { chromium, defineConfig, devices } from '@playwright/test';
import { CHROMIUM_ADVICE, findChromium } from './lib/testing/chromium';

const PORT = Number(process.env.E2E_PORT || 3100);
export const baseURL = `http://localhost:${PORT}`;
/** Per port, so parallel runs on other ports keep their own signed-in state. */
export const ADMIN_STATE = `e2e/.auth/admin-${PORT}.json`;

// Debian's chromium on this machine (156, while Playwright 1.65 expects 159: it works with the launch options below);
// Playwright's own browser where there is none. Neither: say what to install (apt-get), instead of Playwright's own
// advice to download a browser, which cannot work here.
const browser = findChromium(chromium.executablePath());
if (!browser) {
  console.error(`\n${CHROMIUM_ADVICE}\n`);
  process.exit(1);
}
const systemChromium = browser.system ? browser.path : undefined;

const OWN_SERVERS = /(ops|two-instances|secret-leak)\.spec\.ts$/;
const TENANT_WIDE = /@tenant-wide/;

export default defineConfig({
  testDir: './e2e',
  outputDir: './test-results',
  fullyParallel: false,
  // Two workers share the one e2e server (2 cores here: the browser, the server and the runner keep both busy).
  // Files run whole in a worker unless they opt in to parallel tests (`test.describe.configure({ mode: 'parallel' })`).
  workers: Number(process.env.E2E_WORKERS || 2),
  retries: 0,
  // Two workers share 2 cores: a long state-by-state walk (a11y) can take a minute on a busy machine.
  timeout: 90_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    baseURL,
    trace: (process.env.E2E_TRACE as 'off' | 'on' | 'retain-on-failure' | undefined) || 'retain-on-failure',
    permissions: ['clipboard-read', 'clipboard-write'],
    launchOptions: systemChromium
      ? {
          executablePath: systemChromium,
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
            '--disable-quic',
          ],
        }
      : undefined,
  },
  projects: [
    { name: 'setup', testMatch: /auth\.setup\.ts/ },
    // Specs on the shared server, two at a time. They make their own clients, roles and people with unique names.
    {
      name: 'chromium',
      testIgnore: OWN_SERVERS,
      grepInvert: TENANT_WIDE,
      use: { ...devices['Desktop Chrome'], storageState: ADMIN_STATE },
      dependencies: ['setup'],
    },
    // Specs that start servers of their own (second instances, a database behind a proxy that goes away, a server
    // whose every byte of output is read): one at a time, beside one spec of the shared server.
    {
      name: 'own-servers',
      testMatch: OWN_SERVERS,
      workers: 1,
      use: { ...devices['Desktop Chrome'], storageState: ADMIN_STATE },
      dependencies: ['setup'],
    },
    // Tests tagged @tenant-wide change a setting every spec of the shared tenant feels (the credential policy):
    // they run alone, after the shared specs.
    {
      name: 'tenant-wide',
      testIgnore: OWN_SERVERS,
      grep: TENANT_WIDE,
      workers: 1,
      use: { ...devices['Desktop Chrome'], storageState: ADMIN_STATE },
      dependencies: ['chromium'],
    },
  ],
  webServer: {
    command: 'tsx scripts/e2e-server.ts',
    url: `${baseURL}/sign-in`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      PORT: String(PORT),
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      AUTH_SECRET: process.env.AUTH_SECRET || 'e2e-only-auth-secret-0123456789abcdef',
      AUTH_URL: baseURL,
      // Webhook receivers and JWKS servers started by the specs listen on plain http on loopback (lib/net).
      OUTBOUND_ALLOW_HTTP_LOOPBACK: '1',
      // One line per request from every spec buries the failures in CI output; warnings and errors still show.
      ACCESS_LOG: process.env.ACCESS_LOG || '0',
    },
  },
});
