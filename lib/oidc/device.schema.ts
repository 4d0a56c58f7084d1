import { z } from 'zod';

/**
 * User codes of the device flow (RFC 8628, lib/oidc/device.ts) and the /device page's form schemas. No Node imports:
 * the page's form validates with the same schemas in the browser.
 */
/** RFC 8628 6.1: no vowels (no words), no look-alike digits. */
export const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';
export const USER_CODE_LENGTH = 8;
export const USER_CODE_FORMAT = 'Enter the 8-letter code the device shows, such as BCDF-GHJK.';
export const USER_CODE_UNKNOWN = 'This code is not valid. Check it on the device: it may have expired or been used already.';

/** A user code as shown to people: XXXX-XXXX. */
export function formatUserCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** What a person typed (any case, with or without the dash or spaces) as the stored form, or null if it cannot be one. */
export function normalizeUserCode(input: string): string | null {
  const v = input.toUpperCase().replace(/[\s-]/g, '');
  if (v.length !== USER_CODE_LENGTH) return null;
  for (const c of v) if (!USER_CODE_ALPHABET.includes(c)) return null;
  return v;
}

const userCodeField = z
  .string({ error: USER_CODE_FORMAT })
  .max(40, USER_CODE_FORMAT)
  .refine((v) => v.trim() !== '', 'Enter the code shown on your device.')
  .refine((v) => v.trim() === '' || normalizeUserCode(v) !== null, USER_CODE_FORMAT);

export const deviceCodeLookupSchema = z.object({ userCode: userCodeField });
export const deviceDecisionSchema = z.object({ userCode: userCodeField, decision: z.enum(['allow', 'deny'], { error: 'Choose Allow or Deny.' }) });
