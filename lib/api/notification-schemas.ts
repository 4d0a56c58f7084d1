import { z } from 'zod';
import { nameField } from '../clients/fields.schema';
import { MAX_CHANNELS_PER_TENANT, MAX_EMAIL_ADDRESSES } from '../notifications/channels.schema';
import { SUBSCRIBABLE_TYPES } from '../notifications/events';
import { enabledField, requestSchemas, responseSchemas } from './schemas';

/* The REST API's bodies for notification channels (Security > Notifications), in the product's field style. */

const dateTime = z.string().meta({ format: 'date-time' });
const eventTypes = z
  .array(z.enum(SUBSCRIBABLE_TYPES))
  .min(1)
  .meta({ description: `The events to send: ${SUBSCRIBABLE_TYPES.join(', ')} (audit.*: every audit event of the tenant).` });
const common = {
  Name: nameField.meta({ description: 'How the delivery log names the channel.' }),
  Url: z.string().max(2000).optional().meta({ description: 'Webhook: the https URL messages are POSTed to (Standard Webhooks, signed).' }),
  EmailTenantAdministrators: z.boolean().optional().meta({ description: 'Email: send to every Tenant Administrator of the tenant. Default false.' }),
  EmailAddresses: z.array(z.string()).max(MAX_EMAIL_ADDRESSES).optional().meta({ description: `Email: further addresses (at most ${MAX_EMAIL_ADDRESSES}).` }),
  EventTypes: eventTypes,
};

export const channelCreateRequest = z
  .object({ Type: z.enum(['Email', 'Webhook']).meta({ description: 'Email needs SMTP configured on the server.' }), ...common })
  .register(requestSchemas, { id: 'NotificationChannelCreate', description: `A new channel (at most ${MAX_CHANNELS_PER_TENANT} per tenant).` });

export const channelUpdateRequest = z
  .object({ ...common, Enabled: enabledField.optional().meta({ description: 'false: the channel gets no messages. Left out: true.' }) })
  .register(requestSchemas, { id: 'NotificationChannelUpdate', description: 'Replaces the channel\'s settings (its type and signing secret stay).' });

export const channelResponse = z
  .object({
    Id: z.string().meta({ description: 'The channel\'s id, for .../NotificationChannels/{channelId}.' }),
    Type: z.enum(['Email', 'Webhook']),
    Name: z.string(),
    Enabled: z.boolean(),
    Url: z.string().nullable().meta({ description: 'Webhook: the URL. null for email.' }),
    SigningSecretHint: z.string().nullable().meta({ description: 'Webhook: the first characters of the signing secret. The secret itself is shown once, at creation.' }),
    EmailTenantAdministrators: z.boolean(),
    EmailAddresses: z.array(z.string()),
    EventTypes: z.array(z.string()),
    CreatedDate: dateTime,
    CreatedBy: z.string(),
    ModifiedDate: dateTime,
    ModifiedBy: z.string(),
  })
  .register(responseSchemas, { id: 'NotificationChannel', description: 'Where alerts go. Never holds the signing secret.' });

export const channelCreatedResponse = channelResponse
  .extend({
    SigningSecret: z.string().nullable().meta({ description: 'Webhook: the whsec_ signing secret. Shown only in this answer. null for email.' }),
  })
  .register(responseSchemas, { id: 'NotificationChannelCreateResponse', description: 'The new channel with its one-time signing secret.' });

export type ChannelBody = z.output<typeof channelResponse>;
