'use client';

import { forwardRef, useSyncExternalStore } from 'react';
import { Button, type ButtonProps } from './button';

const subscribe = () => () => {};

/** False in the server-rendered HTML and during hydration, true once React runs in the browser. */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}

/**
 * The submit button of every form that needs JavaScript (react-hook-form, client-side validation, a server action
 * called from a handler). Until the page has hydrated the browser would submit the form natively (a GET to the
 * current URL when the form has no method), so it stays disabled until then, and `formMethod="post"` keeps any
 * native submission out of the URL. Forms that work without JavaScript (sign-in, sign-out) use a plain Button.
 */
export const SubmitButton = forwardRef<HTMLButtonElement, Omit<ButtonProps, 'type'>>(function SubmitButton(
  { disabled, ...props },
  ref,
) {
  const hydrated = useHydrated();
  return <Button ref={ref} type="submit" formMethod="post" disabled={!hydrated || disabled} {...props} />;
});
