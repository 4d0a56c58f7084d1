'use client';

import { Button } from '@/components/ui/button';
import { DescriptionItem, DescriptionList, DescriptionText } from '@/components/ui/description-list';
import { EditSignInSettingsSheet, type SignInSettings } from './edit-sign-in-settings-sheet';
import { usePaneParam } from '@/components/forms/use-url-pane';

/** Sign-In Settings of an Authorization Code, Hybrid or Device Code client on its Details tab, with Edit Sign-In Settings. */
export function SignInSettingsSection({ client }: { client: SignInSettings }) {
  const pane = usePaneParam('edit', 'sign-in');
  const device = client.clientType === 'device_code';
  const list = (items: string[], empty: string) =>
    items.length ? (
      <ul className="min-w-0 space-y-1 py-1.5">
        {items.map((u) => (
          <li key={u}>
            <code className="font-mono text-sm break-all">{u}</code>
          </li>
        ))}
      </ul>
    ) : (
      <DescriptionText className="text-slate-600">{empty}</DescriptionText>
    );
  return (
    <section aria-labelledby="sign-in-settings-heading" className="mt-5 max-w-3xl rounded-lg border border-slate-200 bg-white p-4 sm:p-5">
      <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
        <h2 id="sign-in-settings-heading" className="text-lg font-semibold">
          Sign-In Settings
        </h2>
        <Button size="sm" variant="secondary" onClick={pane.open}>
          Edit Sign-In Settings
        </Button>
      </div>
      <DescriptionList>
        {device ? (
          <DescriptionItem label="Verification Page">
            <DescriptionText>
              Users approve the device at <code className="font-mono text-sm">/device</code> with the code it shows (RFC 8628).
            </DescriptionText>
          </DescriptionItem>
        ) : (
          <>
            <DescriptionItem label="Redirect URLs">{list(client.redirectUris, 'None')}</DescriptionItem>
            <DescriptionItem label="Post Logout Redirect URLs">{list(client.postLogoutRedirectUris, 'None')}</DescriptionItem>
          </>
        )}
        {client.clientType === 'authorization_code' && (
          <DescriptionItem label="Allowed CORS Origins">{list(client.allowedCorsOrigins, 'None')}</DescriptionItem>
        )}
        <DescriptionItem label="Refresh Token Lifetime">{`${client.refreshTokenLifetime} seconds`}</DescriptionItem>
        {!device && <DescriptionItem label="PKCE">Required (S256)</DescriptionItem>}
      </DescriptionList>
      <EditSignInSettingsSheet client={client} />
    </section>
  );
}
