import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { Webhook } from 'standardwebhooks';
import { MEMBER_EMAIL, shot, signIn } from './helpers';
import { axeViolations, horizontalOverflow, PHONE } from './ui-checks';

const unique = (label: string) => `${label} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

type Hook = { headers: Record<string, string>; body: string };

/** A webhook receiver on loopback (the e2e server allows plain http there only, like JWKS URLs). */
async function startReceiver() {
  const received: Hook[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
      received.push({ headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks`, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

test('add a webhook channel, see its signing secret once, send a test event, see it in the delivery log, resend it', async ({ page }) => {
  const receiver = await startReceiver();
  try {
    const name = unique('Pager');
    await page.goto('/security/notifications');
    await expect(page.getByRole('heading', { name: 'Notifications', level: 1 })).toBeVisible();
    // No SMTP in the e2e server: the page says so and offers webhooks only.
    await expect(page.getByText('Email is not configured on this server')).toBeVisible();
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Add Channel' }).first().click();
    const pane = page.getByRole('dialog', { name: 'Add Channel' });
    await expect(page).toHaveURL(/[?&]channel=add/);
    await expect(pane.getByRole('radio', { name: 'Email' })).toBeDisabled();
    await expect(pane.getByRole('radio', { name: 'Webhook' })).toBeChecked();
    await pane.getByLabel('Name').fill(name);
    await pane.getByLabel('Webhook URL').fill('http://hooks.example.com/x');
    await pane.getByRole('checkbox', { name: 'Every audit event' }).click();
    await pane.getByRole('button', { name: 'Save' }).click();
    await expect(pane.getByText('The webhook URL must use https.')).toBeVisible();
    await pane.getByLabel('Webhook URL').fill(receiver.url);
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, 'notifications-add-channel');
    await pane.getByRole('button', { name: 'Save' }).click();

    const created = page.getByRole('dialog', { name: 'Channel Successfully Created' });
    await expect(created).toBeVisible();
    const secret = await created.getByRole('textbox', { name: 'Signing Secret' }).inputValue();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    await expect(created.getByText('The signing secret cannot be shown again.')).toBeVisible();
    expect(await axeViolations(page)).toEqual([]);
    await created.getByRole('button', { name: 'Close', exact: true }).click();
    // Not copied: asks first.
    await page.getByRole('alertdialog', { name: 'Close without copying the secret?' }).getByRole('button', { name: 'Close without copying' }).click();
    await expect(created).toBeHidden();

    const row = page.getByRole('table', { name: 'Channels' }).getByRole('row').filter({ hasText: name });
    await expect(row).toContainText('Webhook');
    await expect(row).toContainText(receiver.url);
    await expect(row).toContainText(`Secret ${secret.slice(0, 10)}…`);
    await expect(row).toContainText('Secret expiring, Secret expired, Every audit event');
    // Shown once: a fresh load of the page has only the hint.
    await page.goto('/security/notifications');
    expect(await page.content()).not.toContain(secret.slice(10));

    // The channel takes every audit event, and other specs write audit events meanwhile (two workers, one tenant):
    // the scheduler may deliver some of those too. The test events are counted among what arrived.
    const testEvents = () => receiver.received.filter((h) => (JSON.parse(h.body) as { type?: string }).type === 'notification.test');
    await page.getByRole('button', { name: `Send test event to ${name}` }).click();
    await expect(page.getByRole('status').filter({ hasText: `Test event delivered to "${name}".` })).toBeVisible();
    expect(testEvents()).toHaveLength(1);
    const payload = new Webhook(secret).verify(testEvents()[0].body, testEvents()[0].headers) as { type: string; data: { channel: { name: string } } };
    expect(payload).toMatchObject({ type: 'notification.test', data: { channel: { name } } });

    const log = page.getByRole('table', { name: 'Delivery Log' });
    const entry = log.getByRole('row').filter({ hasText: 'Test event' }).filter({ hasText: name });
    await expect(entry).toContainText('Delivered');
    await expect(entry.getByRole('cell').nth(3)).toHaveText('1');
    await expect(entry).toContainText('200');
    await page.getByRole('button', { name: `Resend Test event to ${name}` }).click();
    await expect(page.getByRole('status').filter({ hasText: `Test event resent to "${name}".` })).toBeVisible();
    await expect(entry.getByRole('cell').nth(3)).toHaveText('2');
    expect(testEvents()).toHaveLength(2);
    expect(testEvents()[1].headers['webhook-id']).toBe(testEvents()[0].headers['webhook-id']);
    // Whatever else arrived is signed with the same secret (an audit event of this tenant).
    for (const hook of receiver.received) expect(() => new Webhook(secret).verify(hook.body, hook.headers)).not.toThrow();

    expect(await axeViolations(page)).toEqual([]);
    await shot(page, 'notifications');
    await page.setViewportSize(PHONE.viewport);
    await page.goto('/security/notifications');
    await expect(page.getByRole('heading', { name: 'Notifications', level: 1 })).toBeVisible();
    const { scrollWidth, innerWidth } = await horizontalOverflow(page);
    expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, 'notifications-phone');

    // Edit, then remove.
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.getByRole('button', { name: `Edit ${name}` }).click();
    const edit = page.getByRole('dialog', { name: 'Edit Channel' });
    await edit.getByRole('checkbox', { name: 'Enabled' }).click();
    await edit.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('status').filter({ hasText: `Channel "${name}" saved.` })).toBeVisible();
    await expect(row).toContainText('Disabled');
    await page.getByRole('button', { name: `Remove ${name}` }).click();
    await page.getByRole('alertdialog', { name: `Remove channel "${name}"?` }).getByRole('button', { name: 'Remove Channel' }).click();
    await expect(row).toHaveCount(0);
  } finally {
    await receiver.close();
  }
});

test('a Tenant Member gets the 403 page on Notifications', async ({ browser }) => {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto('/sign-in');
  await signIn(page, MEMBER_EMAIL);
  await expect(page.getByTestId('signed-in-user')).toContainText(MEMBER_EMAIL);
  await page.goto('/security/notifications');
  await expect(page.getByRole('heading', { name: 'Tenant Administrator role required' })).toBeVisible();
  await context.close();
});
