import { z } from 'zod';
import { ALWAYS, checkExpiration, expiresAtField, guidField, neverExpiresField, secretDescriptionField } from './fields.schema';

const secretId = z.coerce.number({ error: 'Unknown secret.' }).int('Unknown secret.').positive('Unknown secret.').max(2 ** 31 - 1, 'Unknown secret.');

/** Add Secret: description, expiration (default one year, shown by the form), or Never Expires. */
export const addSecretSchema = z
  .object({
    clientId: guidField('Unknown client.'),
    description: secretDescriptionField,
    neverExpires: neverExpiresField,
    expiresAt: expiresAtField,
  })
  .superRefine((v, ctx) => checkExpiration(v, ctx), ALWAYS);
export type AddSecretInput = z.output<typeof addSecretSchema>;

/**
 * Edit Secret: description and expiration. A new expiration must be in the future; keeping the stored one is
 * allowed even if it has passed (`currentExpiresAt`, an ISO string, is what the form was loaded with; the server
 * compares with the stored value, not this).
 */
export const updateSecretSchema = z
  .object({
    clientId: guidField('Unknown client.'),
    secretId,
    description: secretDescriptionField,
    neverExpires: neverExpiresField,
    expiresAt: expiresAtField,
    currentExpiresAt: z.string().nullable().optional(),
  })
  .superRefine(
    (v, ctx) =>
      checkExpiration(v, ctx, {
        allowUnchanged: (d) => typeof v.currentExpiresAt === 'string' && sameMinute(d, new Date(v.currentExpiresAt)),
      }),
    ALWAYS,
  );
export type UpdateSecretInput = z.output<typeof updateSecretSchema>;

export const removeSecretSchema = z.object({ clientId: guidField('Unknown client.'), secretId });
export type RemoveSecretInput = z.output<typeof removeSecretSchema>;

/** datetime-local has minute precision: a date "unchanged" by the form matches the stored one to the minute. */
export function sameMinute(a: Date, b: Date): boolean {
  return Math.floor(a.getTime() / 60_000) === Math.floor(b.getTime() / 60_000);
}
