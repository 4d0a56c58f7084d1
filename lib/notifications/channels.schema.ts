import { z } from 'zod';
import { ALWAYS, guidField, nameField } from '../clients/fields.schema';
import { SUBSCRIBABLE_TYPES } from './events';

/* One schema per operation, used by the Notifications page's forms, the server actions and the REST API. */

export const MAX_EMAIL_ADDRESSES = 20;
export const MAX_CHANNELS_PER_TENANT = 20;
const EMAIL = /^[^\s@<>(),;:"[\]]+@[^\s@<>(),;:"[\]]+\.[^\s@<>(),;:"[\]]+$/;

/** Addresses as typed (one a line, or separated by commas) or as a list; idempotent: a list parses to itself. */
export const emailAddressesField = z
  .union([z.string(), z.array(z.string())], { error: 'Enter email addresses, one a line.' })
  .transform((v) => [...new Set((Array.isArray(v) ? v : v.split(/[\n,;]+/)).map((s) => s.trim().toLowerCase()).filter(Boolean))])
  .superRefine((list, ctx) => {
    if (list.length > MAX_EMAIL_ADDRESSES) ctx.addIssue({ code: 'custom', message: `Enter at most ${MAX_EMAIL_ADDRESSES} addresses.` });
    const bad = list.find((a) => a.length > 254 || !EMAIL.test(a));
    if (bad !== undefined) ctx.addIssue({ code: 'custom', message: `"${bad.slice(0, 60)}" is not an email address.` });
  });

/** The form's check of the URL; the server applies lib/net's full rules (https, no private addresses) on top. */
export const webhookUrlField = z
  .string({ error: 'Enter the webhook URL.' })
  .trim()
  .min(1, 'Enter the webhook URL.')
  .max(2000, 'Use a URL of at most 2000 characters.')
  .refine((v) => {
    try {
      const u = new URL(v);
      return u.protocol === 'https:' || u.protocol === 'http:';
    } catch {
      return false;
    }
  }, 'Enter a full URL, such as https://hooks.example.com/tenant-console.');

export const eventTypesField = z
  .array(z.enum(SUBSCRIBABLE_TYPES, { error: 'Unknown event type.' }), { error: 'Choose the events to send.' })
  .min(1, 'Choose at least one event.')
  .transform((v) => [...new Set(v)]);

const channelFields = {
  name: nameField,
  emailAdmins: z.boolean({ error: 'Choose whether Tenant Administrators get the emails.' }).default(false),
  emailAddresses: emailAddressesField.default([]),
  url: z.string().optional(),
  eventTypes: eventTypesField,
};

type ChannelShape = { kind: 'email' | 'webhook'; emailAdmins: boolean; emailAddresses: string[]; url?: string };
function checkChannel(v: ChannelShape, ctx: z.RefinementCtx) {
  if (v.kind === 'email' && !v.emailAdmins && v.emailAddresses.length === 0) {
    ctx.addIssue({ code: 'custom', path: ['emailAddresses'], message: 'Choose Tenant Administrators or enter at least one address.' });
  }
  if (v.kind === 'webhook') {
    const url = webhookUrlField.safeParse(v.url ?? '');
    if (!url.success) ctx.addIssue({ code: 'custom', path: ['url'], message: url.error.issues[0].message });
  }
}

export const createChannelSchema = z
  .object({ kind: z.enum(['email', 'webhook'], { error: 'Choose Email or Webhook.' }), ...channelFields })
  .superRefine(checkChannel, ALWAYS);
export type CreateChannelInput = z.output<typeof createChannelSchema>;

/** Edit: everything but the kind (and a webhook's signing secret, which stays). */
export const updateChannelSchema = z
  .object({
    channelId: guidField('Unknown channel.'),
    kind: z.enum(['email', 'webhook'], { error: 'Choose Email or Webhook.' }),
    enabled: z.boolean({ error: 'Choose whether the channel is enabled.' }).default(true),
    ...channelFields,
  })
  .superRefine(checkChannel, ALWAYS);
export type UpdateChannelInput = z.output<typeof updateChannelSchema>;

export const channelIdSchema = z.object({ channelId: guidField('Unknown channel.') });
export type ChannelIdInput = z.output<typeof channelIdSchema>;

export const resendDeliverySchema = z.object({
  deliveryId: z.coerce.number({ error: 'Unknown delivery.' }).int('Unknown delivery.').positive('Unknown delivery.').max(Number.MAX_SAFE_INTEGER, 'Unknown delivery.'),
});
export type ResendDeliveryInput = z.output<typeof resendDeliverySchema>;

const wholeNumber = (min: number, max: number, what: string) =>
  z.coerce
    .number({ error: `Enter a whole number of ${what} from ${min} to ${max}.` })
    .int(`Enter a whole number of ${what} from ${min} to ${max}.`)
    .min(min, `Enter a whole number of ${what} from ${min} to ${max}.`)
    .max(max, `Enter a whole number of ${what} from ${min} to ${max}.`);

export const thresholdsSchema = z.object({
  unusedDays: wholeNumber(1, 3650, 'days'),
  failureSpikeCount: wholeNumber(1, 100000, 'failures'),
  failureSpikeMinutes: wholeNumber(1, 1440, 'minutes'),
});
export type ThresholdsInput = z.output<typeof thresholdsSchema>;
export const DEFAULT_THRESHOLDS: ThresholdsInput = { unusedDays: 90, failureSpikeCount: 20, failureSpikeMinutes: 5 };
