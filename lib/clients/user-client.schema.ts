import { z } from 'zod';
import { corsOriginsField, postLogoutRedirectUrisField, redirectUriListField, REDIRECT_URIS_REQUIRED } from '../oidc/uris';
import { createClientFields, CLIENT_STEP_FIELDS } from './create-client.schema';
import { ALWAYS, checkExpiration, guidField } from './fields.schema';

/** Refresh Token lifetime: seconds, from 5 minutes to 90 days; empty means 30 days. */
export const MIN_REFRESH_TOKEN_LIFETIME = 300;
export const MAX_REFRESH_TOKEN_LIFETIME = 7_776_000;
export const DEFAULT_REFRESH_TOKEN_LIFETIME = 2_592_000;
export const REFRESH_TOKEN_LIFETIME_MESSAGE = `Enter a whole number of seconds from ${MIN_REFRESH_TOKEN_LIFETIME} to ${MAX_REFRESH_TOKEN_LIFETIME} (90 days).`;

export const refreshTokenLifetimeField = z
  .union([z.string(), z.number(), z.null()], { error: REFRESH_TOKEN_LIFETIME_MESSAGE })
  .optional()
  .transform((v, ctx) => {
    const text = v === undefined || v === null ? '' : String(v).trim();
    if (text === '') return DEFAULT_REFRESH_TOKEN_LIFETIME;
    const n = /^\d{1,9}$/.test(text) ? Number(text) : NaN;
    if (!(n >= MIN_REFRESH_TOKEN_LIFETIME && n <= MAX_REFRESH_TOKEN_LIFETIME)) {
      ctx.addIssue({ code: 'custom', message: REFRESH_TOKEN_LIFETIME_MESSAGE });
      return z.NEVER;
    }
    return n;
  });

const urlFields = {
  // Required (at least one) except for Device Code clients, which have none: see requireRedirectUris.
  redirectUris: redirectUriListField,
  postLogoutRedirectUris: postLogoutRedirectUrisField,
  // Only Authorization Code clients run in browsers; a Hybrid client's origins are ignored (stored empty).
  allowedCorsOrigins: corsOriginsField,
  refreshTokenLifetime: refreshTokenLifetimeField,
};

/** At least one Redirect URL, except for a Device Code client (whose URL fields are ignored and stored empty). */
function requireRedirectUris(v: { clientType?: string; redirectUris?: string[] }, ctx: z.RefinementCtx) {
  if (v.clientType !== 'device_code' && v.redirectUris !== undefined && v.redirectUris.length === 0) {
    ctx.addIssue({ code: 'custom', path: ['redirectUris'], message: REDIRECT_URIS_REQUIRED });
  }
}

/**
 * Add Client for Authorization Code clients (public: no secret, so the secret fields are ignored) and Hybrid
 * clients (confidential: the first secret as for client-credentials clients), and Device Code clients (public, no
 * redirect URLs: their URL fields are ignored).
 */
export const createUserClientSchema = createClientFields
  .extend({ clientType: z.enum(['authorization_code', 'hybrid', 'device_code'], { error: 'Choose a client type.' }), ...urlFields })
  .superRefine((v, ctx) => {
    if (v.clientType === 'hybrid') checkExpiration(v, ctx);
    requireRedirectUris(v, ctx);
  }, ALWAYS);
export type CreateUserClientInput = z.output<typeof createUserClientSchema>;

/** The fields of the first pane, validated on Next (Hybrid) or on Save (Authorization Code). */
export const USER_CLIENT_STEP_FIELDS = [
  ...CLIENT_STEP_FIELDS,
  'redirectUris',
  'postLogoutRedirectUris',
  'allowedCorsOrigins',
  'refreshTokenLifetime',
] as const;

/**
 * Edit Sign-In Settings: the URLs and the Refresh Token lifetime of an Authorization Code or Hybrid client, the Refresh
 * Token lifetime of a Device Code client. `clientType` says which fields the form shows; the server goes by the
 * stored client's type (lib/clients/update-client-urls.ts), whatever is sent.
 */
export const updateClientUrlsSchema = z
  .object({
    clientId: guidField('Unknown client.'),
    version: z.coerce.number({ error: 'Reload the client and try again.' }).int().min(1),
    clientType: z.enum(['authorization_code', 'hybrid', 'device_code']).optional(),
    ...urlFields,
  })
  .superRefine(requireRedirectUris, ALWAYS);
export type UpdateClientUrlsInput = z.output<typeof updateClientUrlsSchema>;
