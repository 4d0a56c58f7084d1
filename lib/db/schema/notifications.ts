import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { tenants } from './tenants';
import { clients } from './clients';

/**
 * Notifications (Security > Notifications, lib/notifications): where alerts go (channels), what each channel wants
 * (its event types), the tenant's thresholds, an outbox of events with one unique key each (so an alert is created
 * once across instances and restarts), and one delivery row per event and channel, retried with backoff.
 */
export const notificationChannels = pgTable(
  'notification_channels',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['email', 'webhook'] }).notNull(),
    name: text('name').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    // Webhook: the endpoint URL (https; loopback http only under the outbound test switch, lib/net).
    url: text('url'),
    // Webhook: the whsec_ signing secret, AES-256-GCM under AUTH_SECRET (it must be read back to sign), and a hint.
    signingSecretEncrypted: text('signing_secret_encrypted'),
    signingSecretHint: text('signing_secret_hint'),
    // Email: the tenant's Tenant Administrators, and/or listed addresses.
    emailAdmins: boolean('email_admins').notNull().default(false),
    emailAddresses: text('email_addresses').array().notNull().default(sql`'{}'::text[]`),
    // Subscribed event types: 'secret.expiring', ..., and 'audit.*' for every audit event.
    eventTypes: text('event_types').array().notNull().default(sql`'{}'::text[]`),
    // audit.*: the id of the last audit event turned into a notification for this channel.
    auditCursor: bigint('audit_cursor', { mode: 'number' }).notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    createdBy: text('created_by').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: text('updated_by').notNull(),
  },
  (t) => [
    index('notification_channels_tenant_idx').on(t.tenantId, t.createdAt),
    check('notification_channels_name_len_ck', sql`char_length(${t.name}) between 1 and 100`),
    check('notification_channels_webhook_ck', sql`${t.kind} <> 'webhook' or (${t.url} is not null and ${t.signingSecretEncrypted} is not null)`),
  ],
);

/** Per-tenant thresholds. No row: the defaults. */
export const notificationSettings = pgTable(
  'notification_settings',
  {
    tenantId: uuid('tenant_id')
      .primaryKey()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    unusedDays: integer('unused_days').notNull().default(90),
    failureSpikeCount: integer('failure_spike_count').notNull().default(20),
    failureSpikeMinutes: integer('failure_spike_minutes').notNull().default(5),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: text('updated_by').notNull(),
  },
  (t) => [
    check('notification_settings_unused_ck', sql`${t.unusedDays} between 1 and 3650`),
    check('notification_settings_spike_count_ck', sql`${t.failureSpikeCount} between 1 and 100000`),
    check('notification_settings_spike_minutes_ck', sql`${t.failureSpikeMinutes} between 1 and 1440`),
  ],
);

/** The outbox: one row per alert, created once (dedupe_key is unique: client/secret/threshold, audit event id, ...). */
export const notificationEvents = pgTable(
  'notification_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    // Standard Webhooks' webhook-id: the same for every attempt and channel of this event.
    messageId: text('message_id').notNull().unique(),
    eventType: text('event_type').notNull(),
    dedupeKey: text('dedupe_key').notNull(),
    // The payload's data. Never a secret value: names, ids, hints and dates only (lib/notifications/events.ts).
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('notification_events_dedupe_uq').on(t.tenantId, t.dedupeKey), index('notification_events_tenant_idx').on(t.tenantId, t.id)],
);

/**
 * One event to one channel: claimed by one instance at a time (FOR UPDATE SKIP LOCKED, then a lease), retried with
 * exponential backoff; next_attempt_at is persisted, so a restart or another instance carries on.
 */
export const notificationDeliveries = pgTable(
  'notification_deliveries',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    eventId: bigint('event_id', { mode: 'number' })
      .notNull()
      .references(() => notificationEvents.id, { onDelete: 'cascade' }),
    channelId: uuid('channel_id')
      .notNull()
      .references(() => notificationChannels.id, { onDelete: 'cascade' }),
    status: text('status', { enum: ['pending', 'succeeded', 'failed'] }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    // An instance working on this delivery holds it until then; past it, another instance may take it over.
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true }),
    lastResponseCode: integer('last_response_code'),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    unique('notification_deliveries_event_channel_uq').on(t.eventId, t.channelId),
    index('notification_deliveries_due_idx').on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index('notification_deliveries_channel_idx').on(t.channelId, t.id.desc()),
  ],
);

/** Coordination of the periodic scans: one row per job; the instance that locks it and finds it due runs it. */
export const schedulerJobs = pgTable('scheduler_jobs', {
  name: text('name').primaryKey(),
  lastRunAt: timestamp('last_run_at', { withTimezone: true }),
});

/**
 * Usage (the client's Usage tab): counts per client, credential and outcome ('issued' or a failure reason) per
 * bucket, written in batches from memory (lib/usage). Minute buckets for recent data, rolled up to hours.
 */
export const clientUsage = pgTable(
  'client_usage',
  {
    clientId: uuid('client_id')
      .notNull()
      .references(() => clients.id, { onDelete: 'cascade' }),
    bucketStart: timestamp('bucket_start', { withTimezone: true }).notNull(),
    // 'secret', 'key', 'federated', or 'none' (a failure before any credential matched).
    credentialKind: text('credential_kind').notNull(),
    credentialId: integer('credential_id').notNull().default(0),
    outcome: text('outcome').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.clientId, t.bucketStart, t.credentialKind, t.credentialId, t.outcome] }),
    index('client_usage_bucket_idx').on(t.bucketStart),
  ],
);

/** Distinct source addresses per client and hour (for the Usage tab), written with the counts. */
export const clientUsageSources = pgTable(
  'client_usage_sources',
  {
    clientId: uuid('client_id')
      .notNull()
      .references(() => clients.id, { onDelete: 'cascade' }),
    hourStart: timestamp('hour_start', { withTimezone: true }).notNull(),
    sourceAddress: text('source_address').notNull(),
  },
  (t) => [primaryKey({ columns: [t.clientId, t.hourStart, t.sourceAddress] }), index('client_usage_sources_hour_idx').on(t.hourStart)],
);
