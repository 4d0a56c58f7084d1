'use client';

import { Button } from '@/components/ui/button';
import { EditSignInSettingsSheet, type SignInSettings } from './edit-sign-in-settings-sheet';
import { usePaneParam } from './use-pane-param';

/** Sign-In Settings of an Authorization Code or Hybrid client on its Details tab, with Edit Sign-In Settings. */
export function SignInSettingsSection({ client }: { client: SignInSettings }) {
  const pane = usePaneParam('edit', 'sign-in');
  const list = (items: string[], empty: string) =>
    items.length ? (
      <ul className="space-y-1">
        {items.map((u) => (
          <li key={u}>
            <code className="font-mono text-sm break-all">{u}</code>
          </li>
        ))}
      </ul>
    ) : (
      <span className="text-slate-600">{empty}</span>
    );
  return (
    <section aria-labelledby="sign-in-settings-heading" className="mt-5 max-w-3xl rounded-lg border border-slate-200 bg-white p-5">
      <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
        <h2 id="sign-in-settings-heading" className="text-lg font-semibold">
          Sign-In Settings
        </h2>
        <Button size="sm" variant="secondary" onClick={pane.open}>
          Edit Sign-In Settings
        </Button>
      </div>
      <dl className="grid grid-cols-1 gap-x-6 gap-y-4 sm:grid-cols-[12rem_1fr]">
        <dt className="text-sm font-medium text-slate-600">Redirect URLs</dt>
        <dd className="text-sm text-slate-900">{list(client.redirectUris, 'None')}</dd>
        <dt className="text-sm font-medium text-slate-600">Post Logout Redirect URLs</dt>
        <dd className="text-sm text-slate-900">{list(client.postLogoutRedirectUris, 'None')}</dd>
        {client.clientType === 'authorization_code' && (
          <>
            <dt className="text-sm font-medium text-slate-600">Allowed CORS Origins</dt>
            <dd className="text-sm text-slate-900">{list(client.allowedCorsOrigins, 'None')}</dd>
          </>
        )}
        <dt className="text-sm font-medium text-slate-600">Refresh Token Lifetime</dt>
        <dd className="text-sm text-slate-900">{client.refreshTokenLifetime} seconds</dd>
        <dt className="text-sm font-medium text-slate-600">PKCE</dt>
        <dd className="text-sm text-slate-900">Required (S256)</dd>
      </dl>
      <EditSignInSettingsSheet client={client} />
    </section>
  );
}
