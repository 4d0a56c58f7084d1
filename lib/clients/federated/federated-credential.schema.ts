import { z } from 'zod';
import { ALWAYS, checkExpiration, expiresAtField, guidField, nameField } from '../fields.schema';
import { sameMinute } from '../secret.schema';
import { GITHUB_ACTIONS_ISSUER, PRESET_IDS } from './presets';
import { hasWildcard, literalLength, literalPrefix } from '../../tokens/federation/glob';

/**
 * Add Federated Credential: one schema for the console's form (zodResolver, in the browser), its server action, Add
 * Client's Federated Credential choice and the REST API. Every transform is idempotent (the action parses the form's
 * output again). The server then parses a pasted JWKS fully and, without one, fetches the issuer's discovery document
 * once (lib/clients/federated/credentials.ts), so a wrong issuer is reported at its field.
 */
export const MAX_FEDERATED_PER_CLIENT = 20;
export const MAX_CONDITIONS = 20;
export const MAX_ONE_OF_VALUES = 50;
export const PATTERN_MAX = 500;
export const AUDIENCE_MAX = 500;
export const ISSUER_MAX = 500;
export const JWKS_TEXT_MAX = 64 * 1024;
export const DEFAULT_MAX_AGE_MINUTES = 60;
export const MAX_AGE_MINUTES_MAX = 1440;
export const CONDITION_OPERATORS = ['equals', 'glob', 'one_of'] as const;
export const KEY_SOURCES = ['discovery', 'pasted'] as const;

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const BROKEN = /\p{Cs}/u;
const CLAIM_NAME = /^[A-Za-z0-9_.:-][A-Za-z0-9_.:/-]{0,99}$/;
const POINTER_SEGMENT = /^(?:[A-Za-z0-9_.:@$-]|~[01])+$/;
export const CLAIM_PATH_MAX = 200;
export const CLAIM_PATH_DEPTH = 10;
/** Claims that the credential checks by themselves; a condition on them would be confusing or useless. */
const RESERVED_CLAIMS = ['iss', 'aud', 'exp', 'nbf', 'iat', 'sub', 'jti'];
export const CLAIM_NAME_MESSAGE = 'Use a claim name of letters, digits and _ . : / - (at most 100), or a path to a nested claim such as /kubernetes.io/namespace.';
export const CLAIM_PATH_MESSAGE = `A path to a nested claim starts with / and names each level, such as /kubernetes.io/serviceaccount/name: at most ${CLAIM_PATH_DEPTH} levels and ${CLAIM_PATH_MAX} characters, no empty level; inside a name, ~1 stands for / and ~0 for ~.`;
export const RESERVED_CLAIM_MESSAGE = 'This claim is checked by the Issuer, Audience, Subject and token age fields.';

/**
 * Why a condition's claim is not one we take, or null. A top-level claim by name (`repository`), or a nested one by an
 * RFC 6901 JSON Pointer starting with `/` (`/kubernetes.io/namespace`; see claimPath in evaluate.ts).
 */
export function claimNameProblem(claim: string): string | null {
  if (!claim.startsWith('/')) return !CLAIM_NAME.test(claim) ? CLAIM_NAME_MESSAGE : RESERVED_CLAIMS.includes(claim) ? RESERVED_CLAIM_MESSAGE : null;
  const segments = claim.slice(1).split('/');
  if (claim.length > CLAIM_PATH_MAX || segments.length > CLAIM_PATH_DEPTH || !segments.every((s) => POINTER_SEGMENT.test(s))) return CLAIM_PATH_MESSAGE;
  if (segments.length === 1 && RESERVED_CLAIMS.includes(segments[0].replace(/~1/g, '/').replace(/~0/g, '~'))) return RESERVED_CLAIM_MESSAGE;
  return null;
}

const text = (label: string, max: number, emptyMessage: string) =>
  z
    .string({ error: emptyMessage })
    .trim()
    .min(1, emptyMessage)
    .max(max, `Use at most ${max} characters.`)
    .refine((v) => !CONTROL.test(v), `The ${label} cannot contain control characters (such as tabs or line breaks).`)
    .refine((v) => !BROKEN.test(v), `The ${label} contains a broken character (for example half of an emoji).`);

const conditionSchema = z
  .object({
    claim: z
      .string({ error: 'Enter a claim name.' })
      .trim()
      .min(1, 'Enter a claim name.')
      .superRefine((v, ctx) => {
        const problem = claimNameProblem(v);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
    operator: z.enum(CONDITION_OPERATORS, { error: 'Choose Equals, Matches glob or One of.' }),
    // The form sends the text of one input (One of: values separated by commas); the API may send a list.
    value: z.union([z.string(), z.array(z.string())], { error: 'Enter the value.' }),
  })
  .transform((c, ctx) => {
    const raw = Array.isArray(c.value) ? c.value : c.operator === 'one_of' ? c.value.split(',') : [c.value];
    const values = raw.map((v) => v.trim()).filter((v) => v.length > 0);
    const message =
      values.length === 0
        ? c.operator === 'one_of'
          ? 'Enter one or more values, separated by commas.'
          : 'Enter the value.'
        : c.operator !== 'one_of' && values.length > 1
          ? 'Give one value (use One of for a list).'
          : values.length > MAX_ONE_OF_VALUES
            ? `Give at most ${MAX_ONE_OF_VALUES} values.`
            : values.find((v) => v.length > PATTERN_MAX)
              ? `Use at most ${PATTERN_MAX} characters per value.`
              : values.find((v) => CONTROL.test(v) || BROKEN.test(v))
                ? 'A value cannot contain control characters or broken characters.'
                : c.operator === 'glob' && literalLength(values[0]) === 0
                  ? 'A glob of only * and ? would accept any value: give some literal text.'
                  : null;
    if (message) {
      ctx.addIssue({ code: 'custom', path: ['value'], message });
      return z.NEVER;
    }
    return { claim: c.claim, operator: c.operator, value: values };
  });
export type ConditionInput = z.output<typeof conditionSchema>;

export const MAX_AGE_MESSAGE = `Enter a whole number of minutes from 1 to ${MAX_AGE_MINUTES_MAX}.`;

/** The credential's own fields (without the client), for Add Federated Credential and Add Client alike. */
export const federatedFieldsSchema = z
  .object({
    preset: z.enum(PRESET_IDS, { error: 'Choose a preset.' }).default('oidc'),
    name: nameField,
    issuer: text('issuer', ISSUER_MAX, 'Enter the issuer URL.'),
    audience: text('audience', AUDIENCE_MAX, 'Enter the audience.'),
    subjectOperator: z.enum(['equals', 'glob'], { error: 'Choose Equals or Matches glob.' }).default('equals'),
    subject: text('subject', PATTERN_MAX, 'Enter the subject (sub).'),
    conditions: z
      .array(conditionSchema, { error: 'The claim conditions are not valid.' })
      .max(MAX_CONDITIONS, `Add at most ${MAX_CONDITIONS} claim conditions.`)
      .default([]),
    keySource: z.enum(KEY_SOURCES, { error: 'Choose OIDC discovery or Paste JWKS.' }).default('discovery'),
    jwks: z.string({ error: 'Paste the issuer\'s JWK Set.' }).max(JWKS_TEXT_MAX, `The JWK Set is longer than ${JWKS_TEXT_MAX / 1024} KiB.`).default(''),
    maxTokenAgeMinutes: z
      .union([z.string(), z.number(), z.null()], { error: MAX_AGE_MESSAGE })
      .optional()
      .transform((v, ctx) => {
        const t = v === undefined || v === null ? '' : String(v).trim();
        if (t === '') return DEFAULT_MAX_AGE_MINUTES;
        const n = /^\d{1,5}$/.test(t) ? Number(t) : NaN;
        if (!(n >= 1 && n <= MAX_AGE_MINUTES_MAX)) {
          ctx.addIssue({ code: 'custom', message: MAX_AGE_MESSAGE });
          return z.NEVER;
        }
        return n;
      }),
    singleUse: z.boolean({ error: 'Choose whether each token is accepted once.' }).default(true),
    neverExpires: z.boolean({ error: 'Choose whether the credential expires.' }).default(true),
    expiresAt: expiresAtField,
  });

/**
 * The checks across fields, shared by every schema built on federatedFieldsSchema. `opts.allowUnchanged`: an edit may
 * keep a stored expiration that has passed (as Edit Secret may).
 */
export function checkFederatedFields(
  v: { issuer?: unknown; subject?: unknown; subjectOperator?: unknown; keySource?: unknown; jwks?: unknown; neverExpires?: unknown; expiresAt?: unknown },
  ctx: z.RefinementCtx,
  opts: { allowUnchanged?: (d: Date) => boolean } = {},
) {
  if (typeof v.issuer === 'string' && v.issuer) {
    let url: URL | null = null;
    try {
      url = new URL(v.issuer);
    } catch {
      ctx.addIssue({ code: 'custom', path: ['issuer'], message: 'Enter the issuer as a full URL, such as https://token.actions.githubusercontent.com.' });
    }
    if (url && url.protocol !== 'https:' && url.protocol !== 'http:') {
      ctx.addIssue({ code: 'custom', path: ['issuer'], message: 'The issuer must be an https URL.' });
    }
  }
  if (typeof v.subject === 'string' && v.subjectOperator === 'glob') {
    if (!hasWildcard(v.subject)) {
      // Fine: a glob without wildcards is an exact match.
    } else if (literalLength(v.subject) < 3) {
      ctx.addIssue({ code: 'custom', path: ['subject'], message: 'A subject glob of (almost) only * and ? would accept any workload of the issuer: give more of the subject.' });
    } else if (v.issuer === GITHUB_ACTIONS_ISSUER && !/^repo:[^/*?]+\//.test(literalPrefix(v.subject))) {
      // Every repository on GitHub gets tokens from the same issuer: the owner must be fixed.
      ctx.addIssue({ code: 'custom', path: ['subject'], message: 'For GitHub Actions, start the subject with repo:<owner>/ and no wildcard before the slash: every GitHub repository gets tokens from this issuer.' });
    }
  }
  if (v.keySource === 'pasted' && (typeof v.jwks !== 'string' || !v.jwks.trim())) {
    ctx.addIssue({ code: 'custom', path: ['jwks'], message: 'Paste the issuer\'s JWK Set ({"keys": [...]}).' });
  }
  checkExpiration(
    { neverExpires: v.neverExpires === true, expiresAt: v.expiresAt as Date | null | undefined },
    { addIssue: (i: z.core.$ZodRawIssue) => ctx.addIssue({ ...i, path: [...((i.path as (string | number)[]) ?? [])] }) } as unknown as z.RefinementCtx,
    opts,
  );
}

/** The credential's fields with their cross-field checks (Add Client's Federated Credential step). */
export const federatedCredentialFieldsSchema = federatedFieldsSchema.superRefine((v, ctx) => checkFederatedFields(v, ctx), ALWAYS);

export const addFederatedCredentialSchema = federatedFieldsSchema
  .extend({ clientId: guidField('Unknown client.') })
  .superRefine((v, ctx) => checkFederatedFields(v, ctx), ALWAYS);
export type AddFederatedCredentialInput = z.output<typeof addFederatedCredentialSchema>;
export type FederatedFieldsInput = z.output<typeof federatedFieldsSchema>;

const credentialId = z.coerce.number({ error: 'Unknown federated credential.' }).int('Unknown federated credential.').positive('Unknown federated credential.').max(2 ** 31 - 1, 'Unknown federated credential.');

/**
 * Edit Federated Credential: the same fields and checks as Add (the console's Edit pane and PUT .../FederatedCredentials/{id}
 * send all of them; the API fills the ones left out from the stored credential), plus Enabled. A stored expiration
 * that has passed may be kept (`currentExpiresAt`, what the form was loaded with, compared to the minute).
 */
export const updateFederatedCredentialSchema = federatedFieldsSchema
  .extend({
    clientId: guidField('Unknown client.'),
    credentialId,
    enabled: z.boolean({ error: 'Choose whether the credential is enabled.' }).default(true),
    currentExpiresAt: z.string().nullable().optional(),
  })
  .superRefine(
    (v, ctx) =>
      checkFederatedFields(v, ctx, {
        allowUnchanged: (d) => typeof v.currentExpiresAt === 'string' && sameMinute(d, new Date(v.currentExpiresAt)),
      }),
    ALWAYS,
  );
export type UpdateFederatedCredentialInput = z.output<typeof updateFederatedCredentialSchema>;

export const removeFederatedCredentialSchema = z.object({ clientId: guidField('Unknown client.'), credentialId });
export type RemoveFederatedCredentialInput = z.output<typeof removeFederatedCredentialSchema>;

/** Test a token: a sample token (a JWT) or its claims as a JSON object. Nothing is stored. */
export const TEST_TOKEN_MAX = 16_384;
export const testTokenSchema = z.object({
  clientId: guidField('Unknown client.'),
  token: z
    .string({ error: 'Paste a token or its claims as JSON.' })
    .trim()
    .min(1, 'Paste a token or its claims as JSON.')
    .max(TEST_TOKEN_MAX, `Paste at most ${TEST_TOKEN_MAX / 1024} KiB.`),
});
export type TestTokenInput = z.output<typeof testTokenSchema>;
