import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';

type Failure = { ok: false; fieldErrors?: Record<string, string>; formError?: string };

/**
 * The one way a failed action result goes into a form: each field error next to its field, the form error at the
 * top. A field error for a field the form does not show becomes the form error. Returns the fields that got errors.
 */
export function applyResult<T extends FieldValues>(
  result: Failure,
  setError: UseFormSetError<T>,
  setFormError: (message: string | null) => void,
  shownFields?: readonly string[],
): string[] {
  const fields: string[] = [];
  let formError = result.formError ?? null;
  for (const [field, message] of Object.entries(result.fieldErrors ?? {})) {
    if (shownFields && !shownFields.includes(field)) {
      formError ??= message;
      continue;
    }
    setError(field as Path<T>, { type: 'server', message }, { shouldFocus: fields.length === 0 });
    fields.push(field);
  }
  if (!formError && fields.length === 0) formError = 'Something went wrong. Nothing was saved; try again.';
  setFormError(formError);
  return fields;
}
