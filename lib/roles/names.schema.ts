import { z } from 'zod';

// Names are shown in lists, tokens and audit events: one line of printable text. \p{Cs}: a lone surrogate (half of
// an emoji) is not text, and PostgreSQL refuses it in the audit event's jsonb (that was a 500).
const PRINTABLE_LINE = /^[^\p{Cc}\p{Cf}\p{Cs}]*$/u;
// Descriptions may also hold line breaks and tabs.
const PRINTABLE_TEXT = /^(?:[^\p{Cc}\p{Cf}\p{Cs}]|[\n\t])*$/u;

/** A role or community name: trimmed, required, at most `max` characters, printable. */
export function nameField(max: number) {
  return z
    .string()
    .trim()
    .min(1, 'Enter a name.')
    .max(max, `Use at most ${max} characters.`)
    .regex(PRINTABLE_LINE, 'Use printable characters only.');
}

/** An optional description (empty when left out). */
export const descriptionField = z
  .string()
  .trim()
  .max(500, 'Use at most 500 characters.')
  .regex(PRINTABLE_TEXT, 'Use printable characters only.')
  .default('');

export const idField = (what: string) => z.uuid({ message: `Unknown ${what}.` });
