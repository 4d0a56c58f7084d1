import { z } from 'zod';
import { COMMON_PASSWORDS_TEXT } from './common-passwords';

/**
 * What a password a person chooses must be (ASVS 4.0.3 V2.1; NIST SP 800-63B 3.1.1.2): at least 12 characters, at
 * most 128, any characters (spaces included, no composition rules), and not one of the most common passwords, nor
 * one of them with digits or symbols stuck on either end ("Password2024!"), nor a run of a few characters
 * repeated. The same rule runs at the field in the browser and on the server (it is part of the form's zod schema).
 */
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 128;

export const PASSWORD_TOO_SHORT = `Use at least ${PASSWORD_MIN} characters.`;
export const PASSWORD_TOO_LONG = `Use at most ${PASSWORD_MAX} characters.`;
export const PASSWORD_COMMON = 'This password is too common. Choose one that is harder to guess, such as a few unrelated words.';
export const PASSWORD_REPETITIVE = 'This password repeats too few characters. Choose one that is harder to guess.';

let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
  common ??= new Set(COMMON_PASSWORDS_TEXT.split('\n'));
  return common;
}

/** Why a password is refused, or null when it is acceptable. Length is counted in characters, not bytes. */
export function passwordProblem(password: string): string | null {
  const chars = [...password];
  if (chars.length < PASSWORD_MIN) return PASSWORD_TOO_SHORT;
  if (chars.length > PASSWORD_MAX) return PASSWORD_TOO_LONG;
  if (new Set(chars).size < 5) return PASSWORD_REPETITIVE;
  const lower = password.toLowerCase();
  const list = commonPasswords();
  if (list.has(lower)) return PASSWORD_COMMON;
  // A common password with digits, symbols or spaces added before or after it.
  const core = lower.replace(/^[^\p{L}]+/u, '').replace(/[^\p{L}]+$/u, '');
  if (core.length >= 4 && core !== lower && list.has(core)) return PASSWORD_COMMON;
  return null;
}

/** A new password field: the one rule, with the message at the field. */
export const newPasswordField = z.string().superRefine((value, ctx) => {
  const problem = value === '' ? 'Enter a new password.' : passwordProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
