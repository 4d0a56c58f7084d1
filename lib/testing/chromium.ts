import fs from 'node:fs';

/** Debian's chromium (156 here; Playwright 1.65 expects 159 but drives it): what the browser tests drive on this kind of machine. */
export const SYSTEM_CHROMIUM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

export type ChromiumChoice = { path: string; system: boolean };

/**
 * The browser for Playwright: the system chromium, else Playwright's own download where one exists (a machine with
 * internet access that ran `npx playwright install`), else null.
 */
export function findChromium(
  bundledPath: string | undefined,
  systemPaths: readonly string[] = SYSTEM_CHROMIUM_PATHS,
): ChromiumChoice | null {
  const system = systemPaths.find((p) => fs.existsSync(p));
  if (system) return { path: system, system: true };
  if (bundledPath && fs.existsSync(bundledPath)) return { path: bundledPath, system: false };
  return null;
}

/** What to do when there is none. Playwright's own advice (`npx playwright install`) downloads a browser build, which cannot work here. */
export const CHROMIUM_ADVICE = [
  'The browser tests need Chromium, and none was found at ' + SYSTEM_CHROMIUM_PATHS.join(' or ') + '.',
  "Install Debian's chromium, then run the tests again:",
  '',
  '    apt-get update && apt-get install -y chromium',
  '',
  '(as root, or with sudo). `npx playwright install` downloads its own browser build and cannot work on a machine',
  'without internet access; it is not needed.',
].join('\n');
