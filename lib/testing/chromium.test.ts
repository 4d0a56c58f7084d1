import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ADVICE, findChromium } from './chromium';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chromium-'));
const present = path.join(dir, 'chromium');
fs.writeFileSync(present, '');
const missing = path.join(dir, 'nothing-here');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('finding the browser for Playwright', () => {
  it('prefers the system chromium', () => {
    expect(findChromium(present, [missing, present])).toEqual({ path: present, system: true });
  });
  it("falls back to Playwright's own download only when it is there", () => {
    expect(findChromium(present, [missing])).toEqual({ path: present, system: false });
    expect(findChromium(missing, [missing])).toBeNull();
    expect(findChromium(undefined, [missing])).toBeNull();
  });
  it('advises apt-get, not npx playwright install', () => {
    expect(CHROMIUM_ADVICE).toContain('apt-get install -y chromium');
    expect(CHROMIUM_ADVICE).not.toMatch(/^\s*npx playwright install/m);
  });
});
