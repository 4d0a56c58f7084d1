/**
 * The event types a channel can subscribe to, and the shape of what is sent. A payload names the tenant, the client,
 * the credential (id, description, display hint) and dates: never a secret value, never a token.
 */
export const EVENT_TYPES = [
  { type: 'secret.expiring', label: 'Secret expiring', description: '30, 7 and 1 days before a client secret expires (each once).' },
  { type: 'secret.expired', label: 'Secret expired', description: 'When a client secret has expired.' },
  { type: 'key.expiring', label: 'Key expiring', description: '30, 7 and 1 days before a client\'s public key expires (each once).' },
  { type: 'key.expired', label: 'Key expired', description: 'When a client\'s public key has expired.' },
  { type: 'secret.leaked', label: 'Secret leaked', description: 'A secret scanner reported a client secret in public: it was revoked at once.' },
  { type: 'client.unused', label: 'Client unused', description: 'A client got no token for the number of days set below.' },
  { type: 'client.auth_failures', label: 'Failed authentication spike', description: 'More failed authentications of one client than the threshold below.' },
  { type: 'audit.*', label: 'Every audit event', description: 'A stream of this tenant\'s audit log, one message per event.' },
] as const;

export type SubscribableEventType = (typeof EVENT_TYPES)[number]['type'];
export const SUBSCRIBABLE_TYPES = EVENT_TYPES.map((e) => e.type) as unknown as readonly [SubscribableEventType, ...SubscribableEventType[]];
/** Sent by "Send test event" only; no subscription needed. */
export const TEST_EVENT_TYPE = 'notification.test';

/** Days before expiry at which secret.expiring / key.expiring go out, smallest first. */
export const EXPIRY_THRESHOLDS_DAYS = [1, 7, 30] as const;
/** An expiry older than this is not announced any more (a scheduler that was down for longer, a first start). */
export const EXPIRED_LOOKBACK_DAYS = 7;

/** The smallest threshold that `remainingMs` is within, or null when it is more than 30 days away. */
export function expiryThreshold(remainingMs: number): number | null {
  if (remainingMs <= 0) return null;
  for (const days of EXPIRY_THRESHOLDS_DAYS) if (remainingMs <= days * 86_400_000) return days;
  return null;
}

/** Which events a channel receives: its subscriptions, with audit.* matching every audit.<action>. */
export function subscribes(eventTypes: readonly string[], eventType: string): boolean {
  if (eventType === TEST_EVENT_TYPE) return true;
  if (eventType.startsWith('audit.')) return eventTypes.includes('audit.*');
  return eventTypes.includes(eventType);
}

export function eventLabel(eventType: string): string {
  if (eventType === TEST_EVENT_TYPE) return 'Test event';
  const known = EVENT_TYPES.find((e) => e.type === eventType);
  if (known) return known.label;
  return eventType;
}

/** The Standard Webhooks body: type, timestamp, data. */
export function webhookBody(event: { eventType: string; occurredAt: Date; data: Record<string, unknown> }): string {
  return JSON.stringify({ type: event.eventType, timestamp: event.occurredAt.toISOString(), data: event.data });
}

type Data = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' ? v : '');
const dateText = (v: unknown) => (typeof v === 'string' && v ? new Date(v).toUTCString() : 'never');

/** Subject and plain text of the email for an event. Built from the payload only, so it holds no secret either. */
export function emailMessage(eventType: string, data: Data, consoleUrl: string | null): { subject: string; text: string } {
  const tenant = str((data.tenant as Data | undefined)?.name);
  const client = (data.client as Data | undefined) ?? {};
  const clientName = str(client.name);
  const clientLine = clientName ? `Client: ${clientName} (${str(client.id)})` : '';
  const link = consoleUrl && client.id ? `Open the client: ${consoleUrl}/security/clients/${str(client.id)}` : '';
  const credential = (data.secret ?? data.key) as Data | undefined;
  const credentialLines = credential
    ? [
        `${data.secret ? 'Secret' : 'Key'}: ${str(credential.hint)}${credential.description ? ` (${str(credential.description)})` : ''}, id ${String(credential.id)}`,
        `Expires: ${dateText(credential.expiresAt)}`,
      ]
    : [];
  let subject: string;
  let intro: string;
  switch (eventType) {
    case 'secret.expiring':
      subject = `Client secret expires in ${String(data.daysBefore)} day${data.daysBefore === 1 ? '' : 's'}: ${clientName}`;
      intro = `A secret of the client "${clientName}" expires in ${String(data.daysBefore)} day${data.daysBefore === 1 ? '' : 's'}. Add a new secret to the client, switch the application to it, then remove the old one.`;
      break;
    case 'secret.expired':
      subject = `Client secret expired: ${clientName}`;
      intro = `A secret of the client "${clientName}" has expired: it gets no more tokens.`;
      break;
    case 'secret.leaked': {
      const report = (data.report as Data | undefined) ?? {};
      subject = `Client secret leaked and revoked: ${clientName}`;
      intro =
        `A secret of the client "${clientName}" was reported as leaked${report.url ? ` at ${str(report.url)}` : ''}` +
        `${report.source ? ` (found by ${str(report.source)})` : ''}. It was revoked at once: add a new secret to the client and give it to the application.`;
      break;
    }
    case 'key.expiring':
      subject = `Client key expires in ${String(data.daysBefore)} day${data.daysBefore === 1 ? '' : 's'}: ${clientName}`;
      intro = `A public key of the client "${clientName}" expires in ${String(data.daysBefore)} day${data.daysBefore === 1 ? '' : 's'}.`;
      break;
    case 'key.expired':
      subject = `Client key expired: ${clientName}`;
      intro = `A public key of the client "${clientName}" has expired: assertions signed with it get no more tokens.`;
      break;
    case 'client.unused':
      subject = `Client unused for ${String(data.unusedDays)} days: ${clientName}`;
      intro = `The client "${clientName}" got no token for ${String(data.unusedDays)} days (last activity ${dateText(data.lastActivityAt)}). Consider disabling or removing it.`;
      break;
    case 'client.auth_failures':
      subject = `Failed authentications: ${clientName}`;
      intro = `The client "${clientName}" had ${String(data.failures)} failed authentications within ${String(data.minutes)} minutes (threshold ${String(data.threshold)}). Check the Usage tab of the client for the reasons.`;
      break;
    case TEST_EVENT_TYPE:
      subject = 'Test notification from the Tenant Security Console';
      intro = 'This is a test event sent from Security > Notifications. This channel works.';
      break;
    default:
      subject = `Audit event ${str(data.action)}${tenant ? ` in ${tenant}` : ''}`;
      intro = `Audit event ${str(data.action)} by ${str(data.actor)} on ${str(data.targetType)} ${str(data.targetId)}.`;
  }
  const lines = [intro, '', tenant ? `Tenant: ${tenant}` : '', clientLine, ...credentialLines, link].filter((l, i) => l !== '' || i === 1);
  return { subject, text: `${lines.join('\n')}\n` };
}
