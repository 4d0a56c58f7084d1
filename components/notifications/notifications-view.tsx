'use client';

import { BellRing, Plus } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { removeChannelAction, resendDeliveryAction, sendTestEventAction } from '@/app/(console)/security/notifications/actions';
import { useNotice } from '@/components/roles/notice';
import { PageHeader } from '@/components/roles/page-header';
import { useUrlPane } from '@/components/forms/use-url-pane';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/dialog';
import { useConfirmedAction } from '@/components/ui/use-confirmed-action';
import { EmptyState } from '@/components/ui/empty-state';
import { LocalTime } from '@/components/ui/local-time';
import { Table, TBody, Td, Th, THead, Tr } from '@/components/ui/table';
import type { ChannelView } from '@/lib/notifications/channels';
import type { ThresholdsInput } from '@/lib/notifications/channels.schema';
import type { DeliveryLogEntry } from '@/lib/notifications/delivery';
import { eventLabel } from '@/lib/notifications/events';
import { ChannelSheet } from './channel-sheet';
import { SigningSecretDialog } from './signing-secret-dialog';
import { ThresholdsForm } from './thresholds-form';

type Props = { channels: ChannelView[]; thresholds: ThresholdsInput; deliveries: DeliveryLogEntry[]; emailAvailable: boolean };

const STATUS = {
  pending: { tone: 'amber', label: 'Retrying' },
  succeeded: { tone: 'green', label: 'Delivered' },
  failed: { tone: 'red', label: 'Failed' },
} as const;

function destination(c: ChannelView): string {
  if (c.kind === 'webhook') return c.url ?? '';
  return [c.emailAdmins ? 'Tenant Administrators' : null, ...c.emailAddresses].filter(Boolean).join(', ');
}

/** Security > Notifications: channels, thresholds and the delivery log. */
export function NotificationsView({ channels, thresholds, deliveries, emailAvailable }: Props) {
  const router = useRouter();
  const [pane, setPane] = useUrlPane('channel');
  const [created, setCreated] = useState<{ name: string; signingSecret: string } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const { notice, setNotice } = useNotice();
  const editing = pane && pane !== 'add' ? (channels.find((c) => c.id === pane) ?? null) : null;

  const removal = useConfirmedAction((channel: ChannelView) => removeChannelAction({ channelId: channel.id }), {
    failure: 'The channel could not be removed.',
    onDone: ({ name }) => setNotice(`Channel "${name}" removed.`),
  });

  async function sendTest(c: ChannelView) {
    setBusy(`test:${c.id}`);
    try {
      const result = await sendTestEventAction({ channelId: c.id });
      if (!result.ok) setNotice(result.formError ?? 'The test event could not be sent.');
      else setNotice(result.data.delivered ? `Test event delivered to "${c.name}".` : `The test event to "${c.name}" failed: see the delivery log. It will be retried.`);
      router.refresh();
    } finally {
      setBusy(null);
    }
  }

  async function resend(d: DeliveryLogEntry) {
    setBusy(`resend:${d.id}`);
    try {
      const result = await resendDeliveryAction({ deliveryId: d.id });
      if (!result.ok) setNotice(result.formError ?? 'The delivery could not be resent.');
      else setNotice(result.data.delivered ? `${eventLabel(d.eventType)} resent to "${d.channelName}".` : `Resending to "${d.channelName}" failed: see the delivery log.`);
      router.refresh();
    } finally {
      setBusy(null);
    }
  }

  const addButton = (
    <Button onClick={() => setPane('add')} aria-haspopup="dialog">
      <Plus aria-hidden="true" className="h-4 w-4" />
      Add Channel
    </Button>
  );

  return (
    <section className="space-y-6">
      <PageHeader title="Notifications" toolbar={channels.length > 0 ? addButton : undefined}>
        Alerts before credentials break: expiring and expired secrets and keys, unused clients, and an audit stream, by email or signed
        webhook.
      </PageHeader>
      {notice}
      {!emailAvailable && (
        <p className="rounded-md border border-slate-200 bg-slate-50 px-3 py-2 text-sm text-slate-700">
          Email is not configured on this server: set SMTP_URL and SMTP_FROM to send email. Webhooks work without it.
        </p>
      )}

      <div>
        <h2 className="mb-2 text-lg font-semibold">Channels</h2>
        {channels.length === 0 ? (
          <EmptyState icon={BellRing} title="No notification channel yet." action={addButton}>
            Add an email or webhook channel to hear about secrets and keys before they expire.
          </EmptyState>
        ) : (
          <Table aria-label="Channels">
            <THead>
              <Tr>
                <Th>Name</Th>
                <Th>Type</Th>
                <Th>Sends to</Th>
                <Th>Events</Th>
                <Th>Status</Th>
                <Th>
                  <span className="sr-only">Actions</span>
                </Th>
              </Tr>
            </THead>
            <TBody>
              {channels.map((c) => (
                <Tr key={c.id}>
                  <Td className="font-medium break-words">{c.name}</Td>
                  <Td>{c.kind === 'email' ? 'Email' : 'Webhook'}</Td>
                  <Td className="max-w-64 text-xs break-all text-slate-700">
                    {destination(c)}
                    {c.signingSecretHint && <div className="mt-0.5 font-mono text-slate-600">Secret {c.signingSecretHint}</div>}
                  </Td>
                  <Td className="text-xs">{c.eventTypes.map(eventLabel).join(', ')}</Td>
                  <Td>{c.enabled ? <Badge tone="green">Enabled</Badge> : <Badge>Disabled</Badge>}</Td>
                  <Td className="text-right whitespace-nowrap">
                    <Button size="sm" variant="secondary" disabled={busy !== null || !c.enabled} aria-busy={busy === `test:${c.id}`} onClick={() => void sendTest(c)} aria-label={`Send test event to ${c.name}`}>
                      Send test event
                    </Button>{' '}
                    <Button size="sm" variant="ghost" onClick={() => setPane(c.id)} aria-haspopup="dialog" aria-label={`Edit ${c.name}`}>
                      Edit
                    </Button>
                    <Button size="sm" variant="ghost-danger" aria-label={`Remove ${c.name}`} onClick={() => removal.ask(c)}>
                      Remove
                    </Button>
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        )}
      </div>

      <ThresholdsForm thresholds={thresholds} />

      <div>
        <h2 className="mb-1 text-lg font-semibold">Delivery Log</h2>
        <p className="mb-2 text-sm text-slate-600">
          The latest 50 messages. Failed attempts are retried with growing delays (30 seconds up to 10 hours, 8 attempts in all).
        </p>
        {deliveries.length === 0 ? (
          <p className="rounded-md border border-dashed border-slate-300 px-3 py-4 text-sm text-slate-600">Nothing sent yet.</p>
        ) : (
          <Table aria-label="Delivery Log">
            <THead>
              <Tr>
                <Th>Event</Th>
                <Th>Channel</Th>
                <Th>Status</Th>
                <Th className="text-right">Attempts</Th>
                <Th>Last response</Th>
                <Th>Next retry</Th>
                <Th>Created</Th>
                <Th>
                  <span className="sr-only">Actions</span>
                </Th>
              </Tr>
            </THead>
            <TBody>
              {deliveries.map((d) => (
                <Tr key={d.id}>
                  <Td>
                    <div className="font-medium">{eventLabel(d.eventType)}</div>
                    <div className="font-mono text-xs text-slate-600">{d.eventType}</div>
                  </Td>
                  <Td className="break-words">{d.channelName}</Td>
                  <Td>
                    <Badge tone={STATUS[d.status].tone}>{STATUS[d.status].label}</Badge>
                  </Td>
                  <Td className="text-right tabular-nums">{d.attempts}</Td>
                  <Td className="text-xs">
                    {d.lastResponseCode ?? (d.attempts > 0 ? 'No answer' : '—')}
                    {d.lastError && <div className="max-w-56 break-words text-slate-600">{d.lastError}</div>}
                  </Td>
                  <Td className="text-xs">{d.nextAttemptAt && d.status === 'pending' ? <LocalTime value={d.nextAttemptAt} /> : '—'}</Td>
                  <Td className="text-xs">
                    <LocalTime value={d.createdAt} />
                  </Td>
                  <Td className="text-right">
                    <Button size="sm" variant="ghost" disabled={busy !== null} aria-busy={busy === `resend:${d.id}`} onClick={() => void resend(d)} aria-label={`Resend ${eventLabel(d.eventType)} to ${d.channelName}`}>
                      Resend
                    </Button>
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        )}
      </div>

      <ChannelSheet
        open={pane !== null && (pane === 'add' || editing !== null)}
        channel={editing}
        emailAvailable={emailAvailable}
        onClose={() => setPane(null)}
        onDone={setNotice}
        onCreated={setCreated}
      />
      <SigningSecretDialog value={created} onClosed={() => setCreated(null)} />
      <ConfirmDialog
        {...removal.dialog}
        title={`Remove channel "${removal.target?.name ?? ''}"?`}
        description="It gets no more messages, and its delivery log entries are removed with it. This cannot be undone."
        confirmLabel="Remove Channel"
        variant="danger"
      />
    </section>
  );
}
