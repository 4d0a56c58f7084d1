'use client';

import type { FieldValues, Path, UseFormRegisterReturn, UseFormReturn } from 'react-hook-form';
import { Field, Input } from '@/components/ui/field';
import { Textarea } from '@/components/ui/textarea';
import { MAX_URIS } from '@/lib/oidc/uris';
import { messageOf } from './action-form';

type UrlField = 'redirectUris' | 'postLogoutRedirectUris' | 'allowedCorsOrigins' | 'refreshTokenLifetime';

type Props = {
  register: {
    /** Absent for a Device Code client: it has no URLs, only the Refresh Token lifetime. */
    redirectUris?: UseFormRegisterReturn;
    postLogoutRedirectUris?: UseFormRegisterReturn;
    allowedCorsOrigins?: UseFormRegisterReturn;
    refreshTokenLifetime: UseFormRegisterReturn;
  };
  errors: Partial<Record<UrlField, string>>;
};

/** Redirect URLs, Post Logout Redirect URLs, Allowed CORS Origins (Authorization Code) and Refresh Token lifetime. */
export function SignInUrlFields({ register, errors }: Props) {
  return (
    <>
      {register.redirectUris && register.postLogoutRedirectUris && (
        <>
      <Field
        label="Redirect URLs"
        hint={`One per line, up to ${MAX_URIS}. Matched exactly. https only, except loopback addresses such as http://127.0.0.1:8080/callback for native apps.`}
        error={errors.redirectUris}
      >
        {(p) => <Textarea {...p} spellCheck={false} placeholder="https://app.example.com/callback" {...register.redirectUris} />}
      </Field>
      <Field
        label="Post Logout Redirect URLs"
        hint="Optional. Where the application may send the user after signing out, one per line."
        error={errors.postLogoutRedirectUris}
      >
        {(p) => <Textarea {...p} spellCheck={false} placeholder="https://app.example.com/" {...register.postLogoutRedirectUris} />}
      </Field>
        </>
      )}
      {register.allowedCorsOrigins && (
        <Field
          label="Allowed CORS Origins"
          hint="Optional. Origins of browser apps that call the token and userinfo endpoints, such as https://app.example.com."
          error={errors.allowedCorsOrigins}
        >
          {(p) => <Textarea {...p} spellCheck={false} placeholder="https://app.example.com" {...register.allowedCorsOrigins} />}
        </Field>
      )}
      <Field
        label="Refresh Token Lifetime"
        hint="Optional. Seconds a refresh token stays valid: from 300 to 7776000 (90 days). Empty means 2592000 (30 days)."
        error={errors.refreshTokenLifetime}
      >
        {(p) => <Input {...p} inputMode="numeric" placeholder="2592000" autoComplete="off" className="max-w-40" {...register.refreshTokenLifetime} />}
      </Field>
    </>
  );
}

/**
 * SignInUrlFields' props for a form with these four fields (Add Client of a user-signing type, Edit Sign-In
 * Settings). Allowed CORS Origins only for Authorization Code clients: a Hybrid client's calls come from its server.
 * No URLs at all (`urls: false`) for a Device Code client.
 */
export function signInUrlFieldProps<TIn extends FieldValues & Partial<Record<UrlField, unknown>>, TOut>(
  form: UseFormReturn<TIn, unknown, TOut>,
  { corsOrigins, urls = true }: { corsOrigins: boolean; urls?: boolean },
): Props {
  const { register, formState } = form;
  const reg = (n: UrlField) => register(n as Path<TIn>);
  const err = (n: UrlField) => messageOf((formState.errors as Record<string, unknown>)[n]);
  return {
    register: {
      redirectUris: urls ? reg('redirectUris') : undefined,
      postLogoutRedirectUris: urls ? reg('postLogoutRedirectUris') : undefined,
      allowedCorsOrigins: urls && corsOrigins ? reg('allowedCorsOrigins') : undefined,
      refreshTokenLifetime: reg('refreshTokenLifetime'),
    },
    errors: {
      redirectUris: err('redirectUris'),
      postLogoutRedirectUris: err('postLogoutRedirectUris'),
      allowedCorsOrigins: err('allowedCorsOrigins'),
      refreshTokenLifetime: err('refreshTokenLifetime'),
    },
  };
}
