import { z } from 'zod';

/**
 * The schemas of every MFA form and endpoint, shared by the forms (zodResolver) and the server actions. WebAuthn
 * answers are checked for shape and size here; the library checks what they mean.
 */

const CODE_MESSAGE = 'Enter the 6-digit code from your authenticator app.';

export const totpCodeField = z
  .string({ error: CODE_MESSAGE })
  .transform((v) => v.replace(/[\s-]/g, ''))
  .pipe(z.string().regex(/^\d{6}$/, CODE_MESSAGE));

/** Account > Security: confirm the authenticator app with a code. */
export const confirmTotpSchema = z.object({ code: totpCodeField });
export type ConfirmTotpInput = z.output<typeof confirmTotpSchema>;

const PROOF_MESSAGE = 'Enter your current password or a code from your authenticator app.';
/** Current password or a current app code: asked before a factor is removed or recovery codes are replaced. */
export const proofField = z.string({ error: PROOF_MESSAGE }).min(1, PROOF_MESSAGE).max(200, PROOF_MESSAGE);

export const removeTotpSchema = z.object({ proof: proofField });
export const regenerateRecoveryCodesSchema = z.object({ proof: proofField });
export const removePasskeySchema = z.object({
  passkeyId: z.uuid({ error: 'Choose a passkey to remove.' }),
  proof: proofField,
});

export const PASSKEY_NAME_MAX = 60;
export const passkeyNameField = z
  .string({ error: 'Give the passkey a name, such as the device it is on.' })
  .trim()
  .min(1, 'Give the passkey a name, such as the device it is on.')
  .max(PASSKEY_NAME_MAX, `Use at most ${PASSKEY_NAME_MAX} characters.`)
  .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), 'Use letters, digits, spaces and punctuation only.');

/** The Add passkey form (the name); the browser's answer is added before the action is called. */
export const passkeyNameSchema = z.object({ name: passkeyNameField });

const b64url = (max: number) => z.string().max(max).regex(/^[A-Za-z0-9_-]*$/, 'Not base64url.');
const stateIdField = z.string({ error: 'The passkey request expired. Try again.' }).min(20).max(100);
const extensionResults = z.record(z.string(), z.unknown()).refine((v) => JSON.stringify(v).length <= 4000, 'Too large.');

export const registrationResponseSchema = z.object({
  id: b64url(1400),
  rawId: b64url(1400),
  type: z.literal('public-key'),
  response: z.looseObject({
    clientDataJSON: b64url(20_000),
    attestationObject: b64url(100_000),
    transports: z.array(z.string().max(32)).max(10).optional(),
  }),
  clientExtensionResults: extensionResults,
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
});

export const authenticationResponseSchema = z.object({
  id: b64url(1400),
  rawId: b64url(1400),
  type: z.literal('public-key'),
  response: z.looseObject({
    clientDataJSON: b64url(20_000),
    authenticatorData: b64url(20_000),
    signature: b64url(2_000),
    userHandle: b64url(200).optional(),
  }),
  clientExtensionResults: extensionResults,
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
});

export const addPasskeySchema = z.object({
  stateId: stateIdField,
  name: passkeyNameField,
  response: registrationResponseSchema,
});

/** Sign-in with a passkey (alone, or as the second step). */
export const passkeySignInSchema = z.object({ stateId: stateIdField, response: authenticationResponseSchema });

const SECOND_STEP_MESSAGE = 'Enter the code from your authenticator app, or one of your recovery codes.';
/** The second step of sign-in: an app code or a recovery code (told apart by their shape). */
export const secondFactorCodeSchema = z.object({
  code: z.string({ error: SECOND_STEP_MESSAGE }).trim().min(1, SECOND_STEP_MESSAGE).max(64, SECOND_STEP_MESSAGE),
});

/** Security > Users: Reset MFA. */
export const resetUserMfaSchema = z.object({ userId: z.uuid({ error: 'Choose a user.' }) });

/** Security > Settings. */
export const updateMfaPolicySchema = z.object({
  requireAdminMfa: z.boolean({ error: 'Choose whether Tenant Administrators must use multi-factor authentication.' }),
});
export type UpdateMfaPolicyInput = z.output<typeof updateMfaPolicySchema>;
