import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import { baseURL } from '../playwright.config';
import { ADMIN_EMAIL, PASSWORD } from './helpers';

const run = promisify(execFile);

test("the README's curl example runs end to end against the running server", async () => {
  test.setTimeout(120_000);
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/readme-curl-check.ts'], {
    env: { ...process.env, BASE: baseURL, ADMIN_EMAIL, ADMIN_PASSWORD: PASSWORD },
    timeout: 110_000,
  });
  // The example printed the new client and then its removal (the last line is the 404 of step 8).
  expect(stdout).toContain('Historian (README example)');
  expect(stdout.trim().split('\n').some((l) => l.trim() === '404')).toBe(true);
});
