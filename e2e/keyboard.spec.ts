import { expect, test, type Locator, type Page } from '@playwright/test';
import { readClipboard, unique } from './clients-helpers';
import { armEscapeOnFocus, escapedFrom, shot } from './helpers';

/**
 * The add-client flow of the product page with the keyboard alone: Tab / Shift+Tab to move, Enter and Space to act,
 * arrow keys between tabs, Escape to back out. Locators are used only to assert where focus is and what is shown.
 */

const isFocused = (target: Locator) => target.evaluate((el) => el === document.activeElement);

/** Presses Tab (or Shift+Tab) until `target` has focus; fails if it is not reached within `max` presses. */
async function tabTo(page: Page, target: Locator, { back = false, max = 40 } = {}) {
  for (let i = 0; i < max; i++) {
    if (await isFocused(target)) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  await expect(target).toBeFocused();
}

test('add a client with the keyboard alone: panes, tabs, roles, Save, Copy both values, Close', async ({ page }) => {
  const name = unique('Keyboard');
  await page.goto('/security/clients');
  await expect(page.getByRole('heading', { name: 'Clients', level: 1 })).toBeVisible();

  // Add Client: reached by Tab, opened with Enter; focus starts in the pane's first field.
  const addClient = page.getByRole('button', { name: 'Add Client' });
  await tabTo(page, addClient);
  await page.keyboard.press('Enter');
  const pane = page.getByRole('dialog', { name: 'Add Client' });
  await expect(pane).toBeVisible();
  const nameField = pane.getByLabel('Name', { exact: true });
  await expect(nameField).toBeFocused();
  await page.keyboard.type(name);

  // Token Lifetime is the next stop; Shift+Tab goes back to Name and keeps what was typed.
  await page.keyboard.press('Tab');
  const lifetime = pane.getByLabel('Token Lifetime');
  await expect(lifetime).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(nameField).toBeFocused();
  await expect(nameField).toHaveValue(name);
  await page.keyboard.press('Tab');
  await page.keyboard.type('900');

  // The tabs: Tab reaches the selected tab, arrow keys switch between Tenant Roles and Community Roles.
  const tenantTab = pane.getByRole('tab', { name: 'Tenant Roles' });
  const communityTab = pane.getByRole('tab', { name: /Community Roles/ });
  await tabTo(page, tenantTab);
  await page.keyboard.press('ArrowRight');
  await expect(communityTab).toBeFocused();
  await expect(communityTab).toHaveAttribute('aria-selected', 'true');
  await expect(pane.getByRole('tabpanel', { name: /Community Roles/ })).toBeVisible();
  await page.keyboard.press('ArrowLeft');
  await expect(tenantTab).toBeFocused();
  await expect(tenantTab).toHaveAttribute('aria-selected', 'true');

  // A role, checked with Space. Tenant Member is fixed, so Tab skips it.
  const contributor = pane.getByRole('checkbox', { name: 'Tenant Contributor' });
  await tabTo(page, contributor);
  await page.keyboard.press('Space');
  await expect(contributor).toBeChecked();
  await shot(page, 'keyboard-add-client-pane');

  // Next (Enter on the button) opens Create Secret with focus in Description.
  await tabTo(page, pane.getByRole('button', { name: 'Next' }));
  await page.keyboard.press('Enter');
  const secretPane = page.getByRole('dialog', { name: 'Create Secret' });
  const description = secretPane.getByLabel('Description');
  await expect(description).toBeFocused();
  await page.keyboard.type('Keyboard production');

  // Never Expires with Space; the date is then off.
  const never = secretPane.getByRole('checkbox', { name: 'Never Expires' });
  await tabTo(page, never);
  await page.keyboard.press('Space');
  await expect(never).toBeChecked();
  await expect(secretPane.getByLabel('Expiration Date')).toBeDisabled();

  // Save.
  await tabTo(page, secretPane.getByRole('button', { name: 'Save' }));
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Client Successfully Created' });
  await expect(dialog).toBeVisible();
  // Focus moved into the dialog (its first control), not left behind on the page.
  await expect(dialog.getByRole('textbox', { name: 'Client Id' })).toBeFocused();
  const clientId = await dialog.getByRole('textbox', { name: 'Client Id' }).inputValue();
  const secret = await dialog.getByRole('textbox', { name: 'Client Secret' }).inputValue();
  expect(secret).toMatch(/^tscs_/);

  // Escape does not drop the secret: it asks; Escape again goes back to the dialog.
  await page.keyboard.press('Escape');
  const confirm = page.getByRole('alertdialog', { name: 'Close without copying the secret?' });
  await expect(confirm).toBeVisible();
  await expect(confirm.getByRole('button', { name: 'Go back' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(confirm).toBeHidden();
  await expect(dialog).toBeVisible();
  // The same two keys as fast as the page can take them: the second Escape arrives once the question has the focus
  // but before Radix counts it as the top layer (a render later), and still dismisses it.
  await dialog.getByRole('textbox', { name: 'Client Id' }).focus();
  await armEscapeOnFocus(page);
  await page.keyboard.press('Escape');
  await expect.poll(() => escapedFrom(page)).toBe('Go back');
  await expect(confirm).toBeHidden();
  await expect(dialog).toBeVisible();

  // Focus stays inside the dialog: Tab and Shift+Tab reach its controls only.
  const copyId = dialog.getByRole('button', { name: 'Copy Client Id' });
  await tabTo(page, copyId);
  await page.keyboard.press('Enter');
  await expect(copyId).toHaveText('Copied');
  expect(await readClipboard(page)).toBe(clientId);

  const copySecret = dialog.getByRole('button', { name: 'Copy Client Secret' });
  await tabTo(page, copySecret);
  await page.keyboard.press('Space');
  await expect(copySecret).toHaveText('Copied');
  expect(await readClipboard(page)).toBe(secret);
  await shot(page, 'keyboard-client-created');

  // The list behind the dialog already shows the client; Close returns focus to its row.
  // (includeHidden: the modal dialog hides the page from the accessibility tree while it is open.)
  const hiddenRow = page.getByRole('table', { name: 'Clients', includeHidden: true }).getByRole('row', { includeHidden: true });
  await expect(hiddenRow.filter({ hasText: name })).toContainText(clientId);
  const row = page.getByRole('table', { name: 'Clients' }).getByRole('row').filter({ hasText: name });
  const close = dialog.getByRole('button', { name: 'Close', exact: true });
  await tabTo(page, close, { back: true });
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(row.getByRole('link', { name })).toBeFocused();
  await expect(row).toContainText('900 s');
  await expect(row).toContainText('Tenant Contributor');
  await expect(row).toContainText('Never expires');
  expect(await page.content()).not.toContain(secret);
  await shot(page, 'keyboard-client-added');

  // And from there the keyboard carries on: Enter opens the client.
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/security/clients/${clientId}$`));
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
});

test('the Add Client pane with the keyboard: Escape closes it empty, asks when typed in, focus returns to Add Client', async ({ page }) => {
  await page.goto('/security/clients');
  const addClient = page.getByRole('button', { name: 'Add Client' });
  await tabTo(page, addClient);
  await page.keyboard.press('Space');
  const pane = page.getByRole('dialog', { name: 'Add Client' });
  await expect(pane.getByLabel('Name', { exact: true })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(pane).toBeHidden();
  await expect(addClient).toBeFocused();

  await page.keyboard.press('Enter');
  await expect(pane.getByLabel('Name', { exact: true })).toBeFocused();
  await page.keyboard.type('Half typed');
  await page.keyboard.press('Escape');
  const discard = page.getByRole('alertdialog', { name: 'Discard this client?' });
  await expect(discard).toBeVisible();
  await expect(discard.getByRole('button', { name: 'Keep editing' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(discard).toBeHidden();
  await expect(pane.getByLabel('Name', { exact: true })).toHaveValue('Half typed');
  await page.keyboard.press('Escape');
  await tabTo(page, discard.getByRole('button', { name: 'Discard' }));
  await page.keyboard.press('Enter');
  await expect(pane).toBeHidden();
  await expect(addClient).toBeFocused();
});

test('Add Secret with the keyboard: Enter saves from a field, focus returns to Add Secret after the one-time window', async ({ page }) => {
  const name = unique('Keyboard secret');
  // A deep link opens Add Client with focus in Name; Enter in a field moves on, then saves.
  await page.goto('/security/clients?add=client');
  await expect(page.getByRole('dialog', { name: 'Add Client' }).getByLabel('Name', { exact: true })).toBeFocused();
  await page.keyboard.type(name);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog', { name: 'Create Secret' }).getByLabel('Description')).toBeFocused();
  await page.keyboard.press('Enter');
  const created = page.getByRole('dialog', { name: 'Client Successfully Created' });
  const clientId = await created.getByRole('textbox', { name: 'Client Id' }).inputValue();
  await tabTo(page, created.getByRole('button', { name: 'Copy Client Secret' }));
  await page.keyboard.press('Enter');
  await tabTo(page, created.getByRole('button', { name: 'Close', exact: true }));
  await page.keyboard.press('Enter');
  await expect(created).toBeHidden();

  await page.goto(`/security/clients/${clientId}?tab=secrets`);
  const addSecret = page.getByRole('button', { name: 'Add Secret' });
  await tabTo(page, addSecret);
  await page.keyboard.press('Enter');
  const pane = page.getByRole('dialog', { name: 'Add Secret' });
  await expect(pane.getByLabel('Description')).toBeFocused();
  await page.keyboard.type('rotation');
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Secret Successfully Created' });
  await expect(dialog.getByRole('textbox', { name: 'Client Id' })).toBeFocused();
  await tabTo(page, dialog.getByRole('button', { name: 'Copy Client Secret' }));
  await page.keyboard.press('Enter');
  await tabTo(page, dialog.getByRole('button', { name: 'Close', exact: true }));
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(addSecret).toBeFocused();
  await expect(page.getByRole('table', { name: 'Secrets' }).getByRole('row').filter({ hasText: 'rotation' })).toBeVisible();
});

test('Invite User with the keyboard: focus returns to Invite User after the one-time window', async ({ page }) => {
  const email = `keyboard-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@example.com`;
  await page.goto('/security/users');
  const invite = page.getByRole('button', { name: 'Invite User' });
  await tabTo(page, invite);
  await page.keyboard.press('Enter');
  const pane = page.getByRole('dialog', { name: 'Invite User' });
  await expect(pane.getByLabel('Email')).toBeFocused();
  await page.keyboard.type(email);
  await page.keyboard.press('Tab');
  await expect(pane.getByLabel('Name')).toBeFocused();
  await page.keyboard.type('Kim Keyboard');
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'User Successfully Invited' });
  // As a person would: the window is read while the pane behind it finishes closing and the list behind it gets the
  // new user (the invite's refresh). Closed within that moment, focus was lost in CI: noted as a product race.
  await expect(pane).toBeHidden();
  await expect(page.locator('tr').filter({ hasText: email })).toHaveCount(1);
  await tabTo(page, dialog.getByRole('button', { name: 'Copy Initial Password' }));
  await page.keyboard.press('Enter');
  await expect(dialog.getByRole('button', { name: 'Copy Initial Password' })).toHaveText('Copied');
  await tabTo(page, dialog.getByRole('button', { name: 'Close', exact: true }));
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(invite).toBeFocused();
  await expect(page.getByRole('row').filter({ hasText: email })).toContainText('Kim Keyboard');
});

test('a control the user reaches while the one-time window closes keeps the focus', async ({ page }) => {
  // Radix hands focus back a task after a dialog unmounts. A click on another control in that moment (as CI's
  // secret-leak spec did: Sign-in options right after Close) must not be undone: the menu it opened closed again.
  const email = `keyboard-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@example.com`;
  await page.goto('/security/users?invite=user');
  const pane = page.getByRole('dialog', { name: 'Invite User' });
  await pane.getByLabel('Email').fill(email);
  await pane.getByLabel('Name').fill('Quick Clicker');
  await pane.getByRole('button', { name: 'Save' }).click();
  const dialog = page.getByRole('dialog', { name: 'User Successfully Invited' });
  await dialog.getByRole('button', { name: 'Copy Initial Password' }).click();
  // Copied first: a Close before the clipboard write resolved would ask "Close without copying?" and the window stays.
  await expect(dialog.getByRole('button', { name: 'Copy Initial Password' })).toHaveText('Copied');
  await expect(pane).toBeHidden();
  // The list behind the window has the new user (hidden from the accessibility tree while the window is open).
  await expect(page.locator(`button[aria-label="Edit Roles of ${email}"]`)).toHaveCount(1);
  const other = page.getByRole('button', { name: `Edit Roles of ${email}` });
  // Close, and the moment the window is gone from the page (before Radix's task), put focus on another control.
  const focused = await page.evaluate(async (label) => {
    const window_ = [...document.querySelectorAll('[role="dialog"]')].find((d) => d.textContent?.includes('User Successfully Invited'));
    const close = [...(window_?.querySelectorAll<HTMLButtonElement>('button') ?? [])].find((b) => b.textContent?.trim() === 'Close');
    const target = document.querySelector<HTMLElement>(`button[aria-label="${label}"]`);
    if (!close || !target) return 'controls not found';
    const gone = new Promise<void>((resolve) => {
      const watch = new MutationObserver(() => {
        if (document.querySelector('[role="dialog"]')) return;
        watch.disconnect();
        target.focus();
        resolve();
      });
      watch.observe(document.body, { childList: true, subtree: true });
    });
    close.click();
    // Fail with a reason, not at the test's timeout, if the window does not go away.
    const stayed = await Promise.race([gone.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), 10_000))]);
    if (stayed) return `a window is still open: ${document.querySelector('[role="dialog"], [role="alertdialog"]')?.textContent?.slice(0, 80)}`;
    await new Promise((r) => setTimeout(r, 200));
    return document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent ?? 'nothing';
  }, `Edit Roles of ${email}`);
  expect(focused).toBe(`Edit Roles of ${email}`);
  await expect(dialog).toBeHidden();
  await expect(other).toBeFocused();
});
