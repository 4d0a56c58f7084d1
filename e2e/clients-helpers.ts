import { expect, type Page } from '@playwright/test';
import { copyThenClose } from './helpers';

export const unique = (label: string) => `${label} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** `yyyy-MM-ddTHH:mm` for a datetime-local input, `days` from now (browser and test run in the same zone). */
export function localInput(days: number) {
  const d = new Date(Date.now() + days * 86_400_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

export const readClipboard = (page: Page) => page.evaluate(() => navigator.clipboard.readText());

/** Adds a client through the Add Client panes; closes the secret window after copying. Returns its name and id. */
export async function addClientViaUi(page: Page, opts: { name?: string; description?: string } = {}) {
  const name = opts.name ?? unique('Client');
  await page.goto('/security/clients?add=client');
  const pane = page.getByRole('dialog', { name: 'Add Client' });
  await pane.getByLabel('Name', { exact: true }).fill(name);
  await pane.getByRole('button', { name: 'Next' }).click();
  const secretPane = page.getByRole('dialog', { name: 'Create Secret' });
  await secretPane.getByLabel('Description').fill(opts.description ?? 'first secret');
  await secretPane.getByRole('button', { name: 'Save' }).click();
  const dialog = page.getByRole('dialog', { name: 'Client Successfully Created' });
  const clientId = await dialog.getByRole('textbox', { name: 'Client Id' }).inputValue();
  await copyThenClose(dialog, 'Copy Client Secret');
  await expect(dialog).toBeHidden();
  return { name, clientId };
}
