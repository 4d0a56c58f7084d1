// usage: node shot.mjs <path> <out.png> [w] [scheme] [action]
import { chromium } from '@playwright/test';
const [, , path, out, w = '390', scheme = 'light', action = ''] = process.argv;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const ctx = await browser.newContext({ viewport: { width: Number(w), height: Number(process.env.H || (Number(w) < 768 ? 844 : 900)) }, colorScheme: scheme, baseURL: 'http://localhost:3501' });
const page = await ctx.newPage();
page.on('console', (m) => m.type() === 'error' && console.log('console:', m.text()));
await page.goto('/sign-in');
await page.getByLabel('Email').fill('admin@example.com');
await page.getByLabel('Password').fill('e2e-password-123');
await page.getByRole('button', { name: 'Sign in', exact: true }).click();
await page.waitForURL(/security/);
await page.goto(path);
await page.waitForLoadState('networkidle');
if (action) await eval(`(async () => { ${action} })()`);
await page.waitForTimeout(300);
await page.screenshot({ path: out, fullPage: !action });
console.log(await page.evaluate(() => [document.documentElement.scrollWidth, innerWidth]));
await browser.close();
