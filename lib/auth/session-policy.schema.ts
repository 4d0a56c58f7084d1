import { z } from 'zod';

export const IDLE_MINUTES = { min: 5, max: 1440 } as const;
export const MAX_HOURS = { min: 1, max: 720 } as const;

/** A whole number within bounds, from the text of an input or a number (the database checks the same bounds). */
const wholeNumber = (min: number, max: number, message: string) =>
  z.union([z.string(), z.number()], { error: message }).transform((v, ctx) => {
    const text = String(v).trim();
    const n = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
    if (!(n >= min && n <= max)) {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    }
    return n;
  });

/** Security > Settings "Console Sessions": the idle timeout and the absolute lifetime of a console sign-in. */
export const updateSessionPolicySchema = z.object({
  idleMinutes: wholeNumber(IDLE_MINUTES.min, IDLE_MINUTES.max, `Enter a whole number of minutes from ${IDLE_MINUTES.min} to ${IDLE_MINUTES.max}.`),
  maxHours: wholeNumber(MAX_HOURS.min, MAX_HOURS.max, `Enter a whole number of hours from ${MAX_HOURS.min} to ${MAX_HOURS.max}.`),
});
export type UpdateSessionPolicyInput = z.input<typeof updateSessionPolicySchema>;
