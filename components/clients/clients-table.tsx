import { Link } from '@/components/ui/link';
import type { ClientListRow } from '@/lib/clients/queries';
import { secretStatus } from '@/lib/clients/secret-status';
import { Badge } from '@/components/ui/badge';
import { CopyButton } from '@/components/ui/copy-button';
import { LocalTime } from '@/components/ui/local-time';
import { Table, TBody, Td, Th, THead, Tr } from '@/components/ui/table';

/** The list of clients: Name, Client Id (with its own copy button), Token Lifetime, Roles, Secrets, Created. */
/** `withSecrets` false: Authorization Code clients are public and have no secrets column. */
/** `tokens`: tokens issued in the last 7 days per client id (client-credentials and hybrid lists); left out: no column. */
export function ClientsTable({
  rows,
  withSecrets = true,
  tokens,
}: {
  rows: ClientListRow[];
  withSecrets?: boolean;
  tokens?: Record<string, number>;
}) {
  return (
    <Table aria-label="Clients">
      <THead>
        <tr>
          <Th>Name</Th>
          <Th>Client Id</Th>
          <Th>Token Lifetime</Th>
          <Th>Roles</Th>
          {withSecrets && <Th>Secrets</Th>}
          {tokens && <Th>Tokens (7 days)</Th>}
          <Th>Created</Th>
        </tr>
      </THead>
      <TBody>
        {rows.map((c) => (
          <Tr key={c.id} className="align-middle">
            <Td className="max-w-40 min-w-32 sm:max-w-56">
              <Link href={`/security/clients/${c.id}`} className="inline-block py-1 font-medium break-words text-brand-700 hover:underline">
                {c.name}
              </Link>
              {!c.enabled && (
                <span className="mt-1 block sm:mt-0 sm:ml-2 sm:inline">
                  <Badge tone="neutral">Disabled</Badge>
                </span>
              )}
            </Td>
            <Td>
              <div className="flex items-center gap-1">
                <code id={`client-id-${c.id}`} className="font-mono text-[0.8125rem] leading-5 whitespace-nowrap text-slate-700 tabular-nums">
                  {c.id}
                </code>
                <CopyButton value={c.id} label={`Copy Client Id of ${c.name}`} targetId={`client-id-${c.id}`} variant="ghost" />
              </div>
            </Td>
            <Td className="whitespace-nowrap tabular-nums">{c.tokenLifetime} s</Td>
            <Td className="max-w-56 min-w-32 text-slate-700">
              <RolesCell roles={c.roles} />
            </Td>
            {withSecrets && (
              <Td>
                <SecretsCell secrets={c.secrets} />
              </Td>
            )}
            {tokens && <Td className="tabular-nums">{(tokens[c.id] ?? 0).toLocaleString('en-US')}</Td>}
            <Td className="whitespace-nowrap text-slate-700">
              <LocalTime value={c.createdAt} dateOnly />
            </Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}

function RolesCell({ roles }: { roles: string[] }) {
  const shown = roles.slice(0, 3);
  const more = roles.length - shown.length;
  return (
    <span title={roles.join(', ')}>
      {shown.join(', ')}
      {more > 0 && <span className="text-slate-500"> +{more} more</span>}
    </span>
  );
}

function SecretsCell({ secrets }: { secrets: ClientListRow['secrets'] }) {
  if (secrets.count === 0) return <Badge tone="red">No secrets</Badge>;
  const label = `${secrets.count} ${secrets.count === 1 ? 'secret' : 'secrets'}`;
  if (!secrets.nearestExpiration) {
    return (
      <div className="space-y-0.5">
        <div>{label}</div>
        <div className="text-xs text-slate-600">Never expires</div>
      </div>
    );
  }
  const status = secretStatus(secrets.nearestExpiration);
  return (
    <div className="space-y-0.5">
      <div>{label}</div>
      <div className="flex items-center gap-1.5 text-xs whitespace-nowrap text-slate-600">
        {status === 'expired' && <Badge tone="red">Expired</Badge>}
        {status === 'expiring' && <Badge tone="amber">Expiring soon</Badge>}
        <span>
          {status === 'expired' ? 'since' : 'expires'} <LocalTime value={secrets.nearestExpiration} dateOnly />
        </span>
      </div>
    </div>
  );
}
