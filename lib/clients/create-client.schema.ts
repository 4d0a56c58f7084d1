import { z } from 'zod';
import {
  ALWAYS,
  checkExpiration,
  expiresAtField,
  guidField,
  nameField,
  neverExpiresField,
  roleIdsField,
  secretDescriptionField,
  tokenLifetimeField,
} from './fields.schema';
import { keyTextProblem } from '../keys/key-text';
import { federatedCredentialFieldsSchema } from './federated/federated-credential.schema';
import { consoleApiAccessField } from './api-access.schema';

/**
 * Add Client (both panes: the client, then its first secret). The form generates `clientId` up front, so a
 * replayed or double-submitted request hits the primary key instead of creating a second client; the API may
 * leave it out and get a generated one.
 */
/** The fields without the expiration check, for schemas that add to them (lib/clients/user-client.schema.ts). */
export const createClientFields = z.object({
  clientId: guidField('The Client Id must be a GUID.').optional(),
  name: nameField,
  tokenLifetime: tokenLifetimeField,
  roleIds: roleIdsField,
  description: secretDescriptionField,
  neverExpires: neverExpiresField,
  expiresAt: expiresAtField,
  /** The APIs (Security > APIs) it may get tokens for; left out, none. */
  apiAccess: consoleApiAccessField,
});

export const createClientSchema = createClientFields
  .extend({
    // The Create Secret step's choice: a secret (the default, as before) or the client's public key (private_key_jwt).
    credential: z.enum(['secret', 'key', 'federated'], { error: 'Choose Client Secret, Public Key or Federated Credential.' }).default('secret'),
    publicKey: z.string({ error: 'Paste the public key.' }).max(20_000, 'Paste one public key.').default(''),
    // With Federated Credential: the credential's fields (lib/clients/federated), checked only for that choice.
    federated: z.unknown().optional(),
  })
  .superRefine((v, ctx) => {
    if (v.credential !== 'federated') checkExpiration(v, ctx);
    if (v.credential === 'federated') {
      const parsed = federatedCredentialFieldsSchema.safeParse(v.federated ?? {});
      if (!parsed.success) for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, code: 'custom', path: ['federated', ...issue.path] } as never);
    }
    if (v.credential === 'key') {
      const problem = typeof v.publicKey === 'string' ? keyTextProblem(v.publicKey) : 'Paste the public key.';
      if (problem) ctx.addIssue({ code: 'custom', path: ['publicKey'], message: problem });
    }
  }, ALWAYS);

export type CreateClientInput = z.output<typeof createClientSchema>;
/** The federated credential of an Add Client input with credential 'federated' (validated by the schema above). */
export const federatedOfCreateInput = (input: CreateClientInput) => federatedCredentialFieldsSchema.parse(input.federated);

/** The fields of the first pane (Add Client), validated on Next. */
export const CLIENT_STEP_FIELDS = ['name', 'tokenLifetime', 'roleIds', 'apiAccess'] as const;
