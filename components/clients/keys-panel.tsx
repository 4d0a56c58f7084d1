'use client';

import { removeKeyAction } from '@/app/(console)/security/clients/actions';
import { MAX_KEYS_PER_CLIENT } from '@/lib/clients/limits';
import type { ClientKeyRow } from '@/lib/clients/keys';
import { LocalTime } from '@/components/ui/local-time';
import { Td } from '@/components/ui/table';
import { AddKeySheet } from './add-key-sheet';
import { CredentialListPanel, EmptyCredentials } from './credential-list-panel';

const SOURCE_LABEL = { pem: 'PEM', jwk: 'JWK', jwks_url: 'JWKS URL' } as const;
export const keyLabel = (k: ClientKeyRow) => {
  const what = k.source === 'jwks_url' ? (k.jwksUrl ?? 'JWKS URL') : (k.kid ?? `key ${k.id}`);
  return k.description ? `${k.description} (${what})` : what;
};

/** The Keys tab: the client's public keys for private_key_jwt, Add Key (up to 10) and Remove Key. */
export function KeysPanel({ clientId, keys }: { clientId: string; keys: ClientKeyRow[] }) {
  return (
    <CredentialListPanel
      noun="Key"
      items={keys}
      max={MAX_KEYS_PER_CLIENT}
      intro="With a key the client authenticates with a signed assertion (private_key_jwt) instead of a secret."
      addPane="key"
      empty={
        <EmptyCredentials
          title="This client has no public keys."
          hint="Select Add Key to let it authenticate with a key pair instead of a secret."
        />
      }
      label={keyLabel}
      describe={(k) => (
        <div className="text-xs text-slate-500">
          {SOURCE_LABEL[k.source]} · added <LocalTime value={k.createdAt} /> by {k.createdBy}
        </div>
      )}
      columns={['Key Id', 'Algorithm', 'Thumbprint']}
      cells={(k) =>
        k.source === 'jwks_url' ? (
          <Td colSpan={3} className="max-w-96 break-all">
            <span className="text-slate-600">Keys from </span>
            <code className="font-mono text-xs text-slate-700">{k.jwksUrl}</code>
          </Td>
        ) : (
          <>
            <Td className="max-w-40 break-all">
              <code className="font-mono text-xs text-slate-700">{k.kid}</code>
            </Td>
            <Td>
              {/* A key registered without an algorithm (PEM, JWK without "alg"): RSA accepts RS256 and PS256. */}
              {!k.algExact && (k.alg === 'RS256' || k.alg === 'PS256') ? 'RS256 or PS256' : k.alg}
              {k.lastUsedAlg && !k.algExact ? <div className="text-xs text-slate-500">last used {k.lastUsedAlg}</div> : null}
            </Td>
            <Td className="max-w-48 break-all">
              <code className="font-mono text-xs text-slate-700">{k.thumbprint}</code>
            </Td>
          </>
        )
      }
      remove={(k) => removeKeyAction({ clientId, keyId: k.id })}
      removeDescription={(label) =>
        `The key ${label} will stop working at once: assertions signed with it get no more tokens. This cannot be undone.`
      }
    >
      <AddKeySheet clientId={clientId} atLimit={keys.length >= MAX_KEYS_PER_CLIENT} />
    </CredentialListPanel>
  );
}
