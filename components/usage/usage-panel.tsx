'use client';

import dynamic from 'next/dynamic';
import { useEffect, useState } from 'react';
import { clientUsageAction } from '@/app/(console)/security/clients/usage-actions';
import { Button } from '@/components/ui/button';
import { Table, TBody, Td, Th, THead, Tr } from '@/components/ui/table';
import type { ClientUsage, UsageRange } from '@/lib/usage/queries';

const UsageChart = dynamic(() => import('./usage-chart'), { ssr: false, loading: () => <div className="h-[220px]" /> });

const RANGES: { value: UsageRange; label: string }[] = [
  { value: '24h', label: '24 hours' },
  { value: '7d', label: '7 days' },
  { value: '30d', label: '30 days' },
];

/** Reasons as the token service names them, for people. */
const REASONS: Record<string, string> = {
  malformed: 'Malformed secret or client id',
  wrong_secret: 'Wrong secret',
  expired_secret: 'Expired secret',
  disabled_client: 'Client disabled',
  throttled: 'Throttled',
  no_keys: 'No usable key',
  invalid_assertion: 'Invalid assertion',
  replayed_assertion: 'Replayed assertion',
  invalid_federated_token: 'Invalid federated token',
  invalid_grant: 'Invalid grant',
  unknown_client: 'Unknown client',
  not_public_client: 'Not a public client',
};

/** The Usage tab: tokens issued and failed authentications over 24 hours, 7 or 30 days, and why authentications failed. */
export function UsagePanel({ clientId }: { clientId: string }) {
  const [range, setRange] = useState<UsageRange>('24h');
  const [usage, setUsage] = useState<ClientUsage | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    clientUsageAction({ clientId, range })
      .then((result) => {
        if (!live) return;
        if (result.ok) {
          setUsage(result.data);
          setError(null);
        } else setError(result.formError ?? 'The usage could not be loaded.');
      })
      .catch(() => live && setError('The server could not be reached. Try again.'));
    return () => {
      live = false;
    };
  }, [clientId, range]);
  const shown = usage?.range === range ? usage : null;
  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-slate-600">Counts are written every few seconds; times are in your time zone.</p>
        <div role="group" aria-label="Period" className="flex gap-1">
          {RANGES.map((r) => (
            <Button key={r.value} size="sm" variant={range === r.value ? 'primary' : 'secondary'} aria-pressed={range === r.value} onClick={() => setRange(r.value)}>
              {r.label}
            </Button>
          ))}
        </div>
      </div>
      {error && (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {error}
        </p>
      )}
      <dl className="grid gap-3 sm:grid-cols-3" aria-busy={!shown}>
        {[
          ['Tokens issued', shown?.totals.issued],
          ['Failed authentications', shown?.totals.failures],
          ['Source addresses', shown?.totals.sources],
        ].map(([label, value]) => (
          <div key={label} className="rounded-lg border border-slate-200 bg-white p-4">
            <dt className="text-sm text-slate-600">{label}</dt>
            <dd className="mt-1 text-2xl font-semibold tabular-nums" data-testid={`usage-${String(label).toLowerCase().replace(/ /g, '-')}`}>
              {value === undefined ? '…' : value.toLocaleString('en-US')}
            </dd>
          </div>
        ))}
      </dl>
      <div className="rounded-lg border border-slate-200 bg-white p-4">
        <h3 className="mb-2 text-sm font-semibold">Tokens issued and failures</h3>
        {shown ? <UsageChart usage={shown} /> : <div className="h-[220px]" />}
      </div>
      <div>
        <h3 className="mb-2 text-sm font-semibold">Top failure reasons</h3>
        {shown && shown.reasons.length === 0 ? (
          <p className="text-sm text-slate-600">No failed authentications in this period.</p>
        ) : (
          <Table aria-label="Top failure reasons">
            <THead>
              <Tr>
                <Th>Reason</Th>
                <Th className="text-right">Failures</Th>
              </Tr>
            </THead>
            <TBody>
              {(shown?.reasons ?? []).map((r) => (
                <Tr key={r.reason}>
                  <Td>{REASONS[r.reason] ?? r.reason}</Td>
                  <Td className="text-right tabular-nums">{r.count.toLocaleString('en-US')}</Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        )}
      </div>
    </div>
  );
}
