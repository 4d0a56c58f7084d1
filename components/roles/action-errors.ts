import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';
import type { ActionResult } from '@/lib/actions/result';

/**
 * Put a failed action's errors where the user looks: each field error next to its field (the server's messages
 * land in the same places as the form's own), and anything else as the form's message, which is returned.
 */
export function applyActionErrors<F extends FieldValues>(
  result: Extract<ActionResult<unknown>, { ok: false }>,
  setError: UseFormSetError<F>,
  fields: readonly Path<F>[],
): string | null {
  const rest: string[] = [];
  const placed = new Set<string>();
  for (const [key, message] of Object.entries(result.fieldErrors ?? {})) {
    if ((fields as readonly string[]).includes(key)) {
      setError(key as Path<F>, { type: 'server', message }, { shouldFocus: placed.size === 0 });
      placed.add(message);
    } else {
      rest.push(message);
    }
  }
  // A form message that repeats a field's message is already shown at the field.
  if (result.formError && !placed.has(result.formError)) rest.unshift(result.formError);
  return rest.length ? [...new Set(rest)].join(' ') : null;
}
