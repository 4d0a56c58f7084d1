import { Activity, CalendarClock, CircleSlash, ShieldAlert } from 'lucide-react';
import { Link } from '@/components/ui/link';
import type { ThresholdsInput } from '@/lib/notifications/channels.schema';
import type { ExpiringCredential, FailureSpike, TokenTotals, UnusedClient } from '@/lib/usage/activity';
import { Badge } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/empty-state';
import { LocalTime } from '@/components/ui/local-time';
import { Table, TBody, Td, Th, THead, Tr } from '@/components/ui/table';

const clientHref = (id: string) => `/security/clients/${id}`;
const number = (n: number) => n.toLocaleString('en-US');
const plural = (n: number, one: string, many: string) => `${number(n)} ${n === 1 ? one : many}`;

function ClientLink({ id, name }: { id: string; name: string }) {
  return (
    // A block of 24 px at least: a target of its own on a phone (WCAG 2.5.8), not a link inside a sentence.
    <Link href={clientHref(id)} className="inline-block min-h-6 py-0.5 font-medium break-words text-brand-700 hover:underline">
      {name}
    </Link>
  );
}

function Section({ id, title, description, children }: { id: string; title: string; description: React.ReactNode; children: React.ReactNode }) {
  return (
    <section aria-labelledby={id} className="space-y-3">
      <div>
        <h2 id={id} className="text-lg font-semibold">
          {title}
        </h2>
        <p className="mt-0.5 text-sm text-slate-600">{description}</p>
      </div>
      {children}
    </section>
  );
}

export function OverviewView({
  totals,
  expiring,
  unused,
  spikes,
  thresholds,
}: {
  totals: TokenTotals;
  expiring: ExpiringCredential[];
  unused: UnusedClient[];
  spikes: FailureSpike[];
  thresholds: ThresholdsInput;
}) {
  const { unusedDays, failureSpikeCount: spikeCount, failureSpikeMinutes: spikeMinutes } = thresholds;
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Overview</h1>
        <p className="mt-1 text-sm text-slate-600">What needs attention among this tenant’s clients. Each item opens its client.</p>
      </div>

      <section aria-labelledby="overview-last-24h" className="space-y-3">
        <h2 id="overview-last-24h" className="text-lg font-semibold">
          Last 24 Hours
        </h2>
        <dl className="grid gap-3 sm:grid-cols-2">
          <div className="rounded-lg border border-slate-200 bg-white p-4">
            <dt className="text-sm text-slate-600">Tokens issued</dt>
            <dd className="mt-1 text-2xl font-semibold tabular-nums" data-testid="overview-tokens-issued">
              {number(totals.issued)}
            </dd>
          </div>
          <div className="rounded-lg border border-slate-200 bg-white p-4">
            <dt className="text-sm text-slate-600">Failed authentications</dt>
            <dd className="mt-1 text-2xl font-semibold tabular-nums" data-testid="overview-failures">
              {number(totals.failures)}
            </dd>
          </div>
        </dl>
        {totals.issued === 0 && totals.failures === 0 && (
          <p className="text-sm text-slate-600">No client of this tenant asked for a token in the last 24 hours.</p>
        )}
      </section>

      <Section
        id="overview-expiring"
        title="Expiring Secrets and Keys"
        description="Secrets and keys that expire in the next 30 days, and expired ones still registered, soonest first. Revoked secrets are left out."
      >
        {expiring.length === 0 ? (
          <EmptyState icon={CalendarClock} title="No secrets or keys expire in the next 30 days.">
            Nothing has expired either. Secrets that never expire are not listed.
          </EmptyState>
        ) : (
          <Table aria-label="Expiring secrets and keys">
            <THead>
              <tr>
                <Th>Client</Th>
                <Th>Credential</Th>
                <Th>Expires</Th>
                <Th>Status</Th>
              </tr>
            </THead>
            <TBody>
              {expiring.map((e) => (
                <Tr key={`${e.kind}-${e.id}`}>
                  <Td className="max-w-48 min-w-32">
                    <ClientLink id={e.clientId} name={e.clientName} />
                  </Td>
                  <Td className="min-w-48">
                    <div>
                      <span className="text-slate-600">{e.kind === 'secret' ? 'Secret' : 'Key'}</span>
                      {e.description && <span> {e.description}</span>}
                    </div>
                    {e.hint && (
                      <code className="font-mono text-xs break-all text-slate-600">
                        {e.kind === 'key' ? `kid ${e.hint}` : e.hint}
                      </code>
                    )}
                  </Td>
                  <Td className="whitespace-nowrap text-slate-700">
                    <LocalTime value={e.expiresAt} dateOnly />
                  </Td>
                  <Td className="whitespace-nowrap">
                    {e.expired ? <Badge tone="red">Expired</Badge> : <Badge tone="amber">Expiring soon</Badge>}
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        )}
      </Section>

      <Section
        id="overview-unused"
        title="Unused Clients"
        description={
          <>
            Enabled client-credentials clients with no token (nor creation) in the last {unusedDays} days, longest unused first.
            The number of days is set on the <Link href="/security/notifications" className="text-brand-700 underline">Notifications</Link> page.
          </>
        }
      >
        {unused.length === 0 ? (
          <EmptyState icon={CircleSlash} title={`No clients unused for ${unusedDays} days.`}>
            Every enabled client-credentials client got a token (or was created) in the last {unusedDays} days.
          </EmptyState>
        ) : (
          <>
            <Table aria-label="Unused clients">
              <THead>
                <tr>
                  <Th>Client</Th>
                  <Th>Last Activity</Th>
                </tr>
              </THead>
              <TBody>
                {unused.map((c) => (
                  <Tr key={c.id}>
                    <Td className="max-w-64 min-w-32">
                      <ClientLink id={c.id} name={c.name} />
                    </Td>
                    <Td className="whitespace-nowrap text-slate-700">
                      <LocalTime value={c.lastActivityAt} dateOnly />
                    </Td>
                  </Tr>
                ))}
              </TBody>
            </Table>
            <p className="text-sm">
              <Link href="/security/clients?unused=1" className="inline-block min-h-6 py-0.5 text-brand-700 underline">
                All unused clients in the Clients list
              </Link>
            </p>
          </>
        )}
      </Section>

      <Section
        id="overview-spikes"
        title="Failure Spikes"
        description={`Clients with more than ${plural(spikeCount, 'failed authentication', 'failed authentications')} within ${plural(spikeMinutes, 'minute', 'minutes')} in the last 24 hours, counted in fixed windows of ${plural(spikeMinutes, 'minute', 'minutes')}.`}
      >
        {spikes.length === 0 ? (
          <EmptyState icon={ShieldAlert} title="No failure spikes in the last 24 hours.">
            No client had more than {plural(spikeCount, 'failure', 'failures')} within {plural(spikeMinutes, 'minute', 'minutes')}.
          </EmptyState>
        ) : (
          <Table aria-label="Failure spikes">
            <THead>
              <tr>
                <Th>Client</Th>
                <Th>Most Failures in a Window</Th>
                <Th>Windows</Th>
                <Th>Last Spike</Th>
              </tr>
            </THead>
            <TBody>
              {spikes.map((s) => (
                <Tr key={s.id}>
                  <Td className="max-w-48 min-w-32">
                    <ClientLink id={s.id} name={s.name} />
                  </Td>
                  <Td className="tabular-nums">
                    <span className="inline-flex items-center gap-1.5">
                      <Activity aria-hidden="true" className="h-4 w-4 text-red-700" />
                      {number(s.maxFailures)}
                    </span>
                  </Td>
                  <Td className="tabular-nums">{number(s.windows)}</Td>
                  <Td className="whitespace-nowrap text-slate-700">
                    <LocalTime value={s.lastWindowStart} />
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        )}
      </Section>
    </div>
  );
}
