import { expect, test } from '@playwright/test';
import { ADMIN_EMAIL, MEMBER_EMAIL, OTHER_ADMIN_EMAIL, shot, signIn } from './helpers';

const uniqueEmail = (label: string) => `${label}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@example.com`;

test('invite a user: the initial password is shown once, copied, and signs the user in', async ({ page, browser }) => {
  const email = uniqueEmail('casey');
  await page.goto('/security/users');
  await expect(page.getByRole('heading', { name: 'Users', level: 1 })).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: ADMIN_EMAIL })).toContainText('Tenant Administrator');
  await shot(page, 'users');

  await page.getByRole('button', { name: 'Invite User' }).click();
  const pane = page.getByRole('dialog', { name: 'Invite User' });
  await expect(page).toHaveURL(/[?&]invite=user/);
  await pane.getByRole('button', { name: 'Save' }).click();
  await expect(pane.getByText('Enter an email.')).toBeVisible();
  await expect(pane.getByText('Enter a name.')).toBeVisible();
  await pane.getByLabel('Email').fill(email.toUpperCase());
  await pane.getByLabel('Name').fill('Casey Contributor');
  const member = pane.getByRole('checkbox', { name: 'Tenant Member' });
  await expect(member).toBeChecked();
  await expect(member).toBeDisabled();
  await pane.getByRole('checkbox', { name: 'Tenant Contributor' }).click();
  await shot(page, 'invite-user-pane');
  await pane.getByRole('button', { name: 'Save' }).click();

  const dialog = page.getByRole('dialog', { name: 'User Successfully Invited' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('textbox', { name: 'Email' })).toHaveValue(email);
  const password = await dialog.getByRole('textbox', { name: 'Initial Password' }).inputValue();
  expect(password.length).toBeGreaterThanOrEqual(20);
  await expect(dialog.getByText('This password is shown only once.')).toBeVisible();
  await shot(page, 'user-invited-dialog');
  // Closing before copying asks first.
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Close without copying the password?' });
  await expect(confirm).toBeVisible();
  await confirm.getByRole('button', { name: 'Go back' }).click();
  await dialog.getByRole('button', { name: 'Copy Initial Password' }).click();
  await expect(dialog.getByRole('button', { name: 'Copy Initial Password' })).toHaveText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(password);
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(dialog).toBeHidden();

  const row = page.getByRole('row').filter({ hasText: email });
  await expect(row).toContainText('Casey Contributor');
  await expect(row.getByRole('list', { name: `Roles of ${email}` })).toHaveText(/Tenant Contributor\s*Tenant Member/);
  expect(await page.content()).not.toContain(password);
  await page.reload();
  expect(await page.content()).not.toContain(password);

  // The new user signs in with it, must choose their own password first (and, without Tenant Administrator, then
  // gets the 403 page on Security pages).
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const other = await context.newPage();
  await other.goto('/sign-in?callbackUrl=%2Fsecurity%2Fusers');
  await signIn(other, email, password);
  await expect(other.getByRole('heading', { name: 'Choose your password' })).toBeVisible();
  await other.getByLabel('New password', { exact: true }).fill('casey chooses a long passphrase');
  await other.getByLabel('Confirm new password').fill('casey chooses a long passphrase');
  await other.getByRole('button', { name: 'Set password and continue' }).click();
  await expect(other.getByTestId('signed-in-user')).toContainText(email);
  await expect(other.getByRole('heading', { name: 'Tenant Administrator role required' })).toBeVisible();
  await context.close();

  // Remove the user.
  await page.getByRole('button', { name: `Remove ${email}` }).click();
  const remove = page.getByRole('alertdialog', { name: `Remove user ${email}?` });
  await remove.getByRole('button', { name: 'Remove User' }).click();
  await expect(remove).toBeHidden();
  await expect(page.getByRole('row').filter({ hasText: email })).toHaveCount(0);
});

test("a taken email is named only when it is this tenant's; another tenant's gets the neutral answer", async ({ page }) => {
  await page.goto('/security/users?invite=user');
  const pane = page.getByRole('dialog', { name: 'Invite User' });
  for (const [email, message] of [
    [MEMBER_EMAIL.toUpperCase(), 'A user with this email already exists in this tenant.'],
    [OTHER_ADMIN_EMAIL, "This email address can't be invited. Check it, or use a different address."],
  ]) {
    await pane.getByLabel('Email').fill(email);
    await pane.getByLabel('Name').fill('Someone');
    await pane.getByRole('button', { name: 'Save' }).click();
    await expect(pane.getByText(message)).toBeVisible();
    await expect(pane.getByLabel('Email')).toHaveAttribute('aria-invalid', 'true');
  }
  await expect(pane).not.toContainText('Other Tenant');
  await expect(pane).not.toContainText('already exists');
});

test('change a user\'s roles; Tenant Member stays; the last Tenant Administrator keeps the role', async ({ page }) => {
  const email = uniqueEmail('vic');
  await page.goto('/security/users?invite=user');
  const pane = page.getByRole('dialog', { name: 'Invite User' });
  await pane.getByLabel('Email').fill(email);
  await pane.getByLabel('Name').fill('Vic Viewer');
  await pane.getByRole('button', { name: 'Save' }).click();
  const dialog = page.getByRole('dialog', { name: 'User Successfully Invited' });
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  await page.getByRole('alertdialog', { name: 'Close without copying the password?' }).getByRole('button', { name: 'Close without copying' }).click();
  await expect(dialog).toBeHidden();

  await page.getByRole('button', { name: `Edit Roles of ${email}` }).click();
  const edit = page.getByRole('dialog', { name: 'Edit Roles' });
  await expect(edit.getByRole('checkbox', { name: 'Tenant Member' })).toBeDisabled();
  await edit.getByRole('checkbox', { name: 'Tenant Viewer' }).click();
  await edit.getByRole('checkbox', { name: 'Tenant Data Steward' }).click();
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(edit).toBeHidden();
  await expect(page.getByRole('status').filter({ hasText: 'Added: Tenant Data Steward, Tenant Viewer.' })).toBeVisible();
  await expect(page.getByRole('list', { name: `Roles of ${email}` })).toHaveText(/Tenant Member\s*Tenant Viewer\s*Tenant Data Steward/);

  // The only Tenant Administrator of this tenant cannot lose the role.
  await page.getByRole('button', { name: `Edit Roles of ${ADMIN_EMAIL}` }).click();
  await edit.getByRole('checkbox', { name: 'Tenant Administrator' }).click();
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(edit.getByText('This is the last Tenant Administrator of the tenant. Give the role to another user first.')).toBeVisible();
  await shot(page, 'edit-roles-last-administrator');
  await edit.getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('alertdialog', { name: 'Discard your changes?' }).getByRole('button', { name: 'Discard' }).click();
  await expect(page.getByRole('list', { name: `Roles of ${ADMIN_EMAIL}` })).toContainText('Tenant Administrator');
  // And one cannot remove oneself.
  await expect(page.getByRole('button', { name: `Remove ${ADMIN_EMAIL}` })).toHaveCount(0);
});
