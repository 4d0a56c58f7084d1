import { z } from 'zod';
import { newPasswordField } from './password-policy';

const PASSWORDS_DIFFER = 'The passwords do not match.';

/** /account "Change password": the current password, and the new one twice. */
export const changePasswordSchema = z
  .object({
    currentPassword: z.string().min(1, 'Enter your current password.').max(1024, 'That password is too long.'),
    newPassword: newPasswordField,
    confirmPassword: z.string().min(1, 'Enter the new password again.'),
  })
  .superRefine((v, ctx) => {
    if (v.confirmPassword && v.newPassword !== v.confirmPassword) {
      ctx.addIssue({ code: 'custom', path: ['confirmPassword'], message: PASSWORDS_DIFFER });
    }
    if (v.newPassword && v.newPassword === v.currentPassword) {
      ctx.addIssue({ code: 'custom', path: ['newPassword'], message: 'Choose a password different from your current one.' });
    }
  });
export type ChangePasswordInput = z.input<typeof changePasswordSchema>;

/** "Choose your password" at sign-in, after an administrator set one (invite, reset). */
export const choosePasswordSchema = z
  .object({
    newPassword: newPasswordField,
    confirmPassword: z.string().min(1, 'Enter the new password again.'),
  })
  .superRefine((v, ctx) => {
    if (v.confirmPassword && v.newPassword !== v.confirmPassword) {
      ctx.addIssue({ code: 'custom', path: ['confirmPassword'], message: PASSWORDS_DIFFER });
    }
  });
export type ChoosePasswordInput = z.input<typeof choosePasswordSchema>;
