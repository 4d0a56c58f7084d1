/** `npm test` runs this first: without a browser the e2e run would fail only after the unit tests and the build. */
import { chromium } from '@playwright/test';
import { CHROMIUM_ADVICE, findChromium } from '../lib/testing/chromium';

if (!findChromium(chromium.executablePath())) {
  console.error(`\n${CHROMIUM_ADVICE}\n`);
  process.exit(1);
}
