import { z } from 'zod';

export const MAX_POLICY_DAYS = 3650;
const DAYS_MESSAGE = `Enter a whole number of days from 1 to ${MAX_POLICY_DAYS}, or choose No limit.`;

/**
 * Security > Settings: the credential policy. `limitLifetime` false means no limit (the days are then ignored);
 * the days come as the text of an input or a number.
 */
export const updateCredentialPolicySchema = z
  .object({
    limitLifetime: z.boolean({ error: 'Choose whether secrets have a maximum lifetime.' }),
    maxDays: z.union([z.string(), z.number(), z.null()], { error: DAYS_MESSAGE }).optional(),
    allowNeverExpires: z.boolean({ error: 'Choose whether Never Expires is allowed.' }),
    secretlessClients: z.boolean({ error: 'Choose whether clients may use secrets.' }).default(false),
  })
  .transform((v, ctx) => {
    if (!v.limitLifetime) {
      return { maxSecretLifetimeDays: null, allowNeverExpires: v.allowNeverExpires, secretlessClients: v.secretlessClients, limitLifetime: false, maxDays: v.maxDays };
    }
    const text = v.maxDays === undefined || v.maxDays === null ? '' : String(v.maxDays).trim();
    const n = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
    if (!(n >= 1 && n <= MAX_POLICY_DAYS)) {
      ctx.addIssue({ code: 'custom', path: ['maxDays'], message: DAYS_MESSAGE });
      return z.NEVER;
    }
    return { maxSecretLifetimeDays: n, allowNeverExpires: v.allowNeverExpires, secretlessClients: v.secretlessClients, limitLifetime: true, maxDays: n };
  });
export type UpdateCredentialPolicyInput = z.output<typeof updateCredentialPolicySchema>;
