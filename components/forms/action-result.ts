import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';

type Failure = { ok: false; fieldErrors?: Record<string, string>; formError?: string };

export const SOMETHING_WENT_WRONG = 'Something went wrong. Nothing was saved; try again.';

/**
 * The one way a failed action result goes into a form, in every part of the console: each field error next to its
 * field (the server's messages land where the form's own do; the first one takes the focus), the form error at the
 * top. A field error for a field the form does not show becomes the form error when there is none; a form error that
 * repeats a field's message is not said twice. Returns the fields that got errors.
 */
export function applyActionResult<T extends FieldValues>(
  result: Failure,
  setError: UseFormSetError<T>,
  setFormError: (message: string | null) => void,
  shownFields?: readonly string[],
): string[] {
  const fields: string[] = [];
  const placed = new Set<string>();
  let unshown: string | null = null;
  for (const [field, message] of Object.entries(result.fieldErrors ?? {})) {
    if (shownFields && !shownFields.includes(field)) {
      unshown ??= message;
      continue;
    }
    setError(field as Path<T>, { type: 'server', message }, { shouldFocus: fields.length === 0 });
    fields.push(field);
    placed.add(message);
  }
  let formError = result.formError && !placed.has(result.formError) ? result.formError : null;
  formError ??= unshown;
  if (!formError && fields.length === 0) formError = SOMETHING_WENT_WRONG;
  setFormError(formError);
  return fields;
}
