import { z } from 'zod';
import {
  DEFAULT_TOKEN_LIFETIME,
  MAX_TOKEN_LIFETIME,
  MIN_TOKEN_LIFETIME,
  NAME_MAX,
  SECRET_DESCRIPTION_MAX,
} from './limits';

/*
 * Field schemas shared by every client and secret operation. Each transform is idempotent (parsing an already
 * parsed value gives the same value), because the form parses with zodResolver and the server action parses the
 * form's output again with the same schema.
 */

// C0 and C1 control characters, and DEL.
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;
// A lone UTF-16 surrogate (half of an emoji, e.g. from a cut string) is not text: PostgreSQL refuses it in the
// audit event's jsonb, which turned such a name into a 500.
const LONE_SURROGATE = /\p{Cs}/u;
const INVISIBLE_FORMAT = /\p{Cf}/u;
const BROKEN_CHARACTER = 'contains a broken character (for example half of an emoji).';

export const nameField = z
  .string({ error: 'Enter a name.' })
  .trim()
  .min(1, 'Enter a name.')
  .max(NAME_MAX, `Use at most ${NAME_MAX} characters.`)
  .refine((v) => !CONTROL_CHARS.test(v), 'The name cannot contain control characters (such as tabs or line breaks).')
  .refine((v) => !LONE_SURROGATE.test(v), `The name ${BROKEN_CHARACTER}`)
  // Invisible formatting (zero-width spaces, direction overrides) lets a name look like another one.
  .refine(
    (v) => !INVISIBLE_FORMAT.test(v),
    'The name cannot contain invisible formatting characters (such as zero-width spaces or direction overrides).',
  );

export const TOKEN_LIFETIME_MESSAGE = `Enter a whole number of seconds from ${MIN_TOKEN_LIFETIME} to ${MAX_TOKEN_LIFETIME}.`;

/** Seconds; empty means the default (3600). Accepts the text of an input or a number. */
export const tokenLifetimeField = z
  .union([z.string(), z.number(), z.null()], { error: TOKEN_LIFETIME_MESSAGE })
  .optional()
  .transform((v, ctx) => {
    const text = v === undefined || v === null ? '' : String(v).trim();
    if (text === '') return DEFAULT_TOKEN_LIFETIME;
    const n = /^\d{1,9}$/.test(text) ? Number(text) : NaN;
    if (!(n >= MIN_TOKEN_LIFETIME && n <= MAX_TOKEN_LIFETIME)) {
      ctx.addIssue({ code: 'custom', message: TOKEN_LIFETIME_MESSAGE });
      return z.NEVER;
    }
    return n;
  });

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isGuid = (v: unknown): v is string => typeof v === 'string' && GUID.test(v);

export const guidField = (message: string) =>
  z
    .string({ error: message })
    .trim()
    .refine((v) => GUID.test(v), message)
    .transform((v) => v.toLowerCase());

/** Selected role ids (Tenant Member is added by the server whatever is sent). One message for the whole list. */
export const roleIdsField = z
  .array(z.string(), { error: 'Choose roles from the list.' })
  .max(200, 'Choose at most 200 roles.')
  .default([])
  .refine((ids) => ids.every((id) => GUID.test(id)), 'Choose roles from the list.')
  .transform((ids) => [...new Set(ids.map((id) => id.toLowerCase()))]);

export const secretDescriptionField = z
  .string({ error: 'Enter a description.' })
  .trim()
  .max(SECRET_DESCRIPTION_MAX, `Use at most ${SECRET_DESCRIPTION_MAX} characters.`)
  .refine((v) => !CONTROL_CHARS.test(v), 'The description cannot contain control characters.')
  .refine((v) => !LONE_SURROGATE.test(v), `The description ${BROKEN_CHARACTER}`)
  .default('');

/**
 * The expiration: a Date, or an ISO 8601 string (give the offset; the form turns the browser's datetime-local text
 * into a Date in the user's time zone before anything is sent). Empty means none; checked against Never Expires
 * in `checkExpiration`.
 */
export const expiresAtField = z
  .union([z.string(), z.date(), z.null()], { error: 'Enter an expiration date and time, or select Never Expires.' })
  .optional()
  .transform((v): Date | null => (v instanceof Date ? v : typeof v === 'string' && v.trim() ? new Date(v.trim()) : null));
export const neverExpiresField = z.boolean({ error: 'Choose whether the secret expires.' }).default(false);

export type ExpirationInput = { neverExpires: boolean; expiresAt?: Date | null };

export function parseExpiration(v: ExpirationInput): Date | null | 'invalid' {
  if (v.neverExpires === true) return null;
  const d = v.expiresAt;
  return d instanceof Date && !Number.isNaN(d.getTime()) ? d : 'invalid';
}

/**
 * Adds the expiration's field error: a date is needed unless Never Expires is checked, and it must be in the future
 * (`allowUnchanged`: an edit may keep a stored date that has passed since).
 */
export function checkExpiration(
  v: ExpirationInput,
  ctx: z.RefinementCtx,
  opts: { allowUnchanged?: (d: Date) => boolean } = {},
) {
  const d = parseExpiration(v);
  if (d === 'invalid') {
    ctx.addIssue({ code: 'custom', path: ['expiresAt'], message: 'Enter an expiration date and time, or select Never Expires.' });
  } else if (d && d.getTime() <= Date.now() && !opts.allowUnchanged?.(d)) {
    ctx.addIssue({ code: 'custom', path: ['expiresAt'], message: 'The expiration date must be in the future.' });
  }
}

/**
 * Run the expiration check even when other fields failed, so every bad field is reported at once (zod skips
 * object-level refinements after aborting issues by default). The refinement reads the fields defensively.
 */
export const ALWAYS = { when: (payload: { value: unknown }) => typeof payload.value === 'object' && payload.value !== null };

/** The expiration as stored: null for never. Only call on parsed input. */
export function expirationOf(v: ExpirationInput): Date | null {
  const d = parseExpiration(v);
  return d === 'invalid' ? null : d;
}
