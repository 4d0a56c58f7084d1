import { z } from 'zod';
import { guidField, nameField, roleIdsField, tokenLifetimeField } from './fields.schema';
import { consoleApiAccessField } from './api-access.schema';

export const requireDpopField = z.boolean({ error: 'Require DPoP must be true or false.' });

/** Edit Client: `version` is the one the form was loaded with; a save based on an older version is a conflict. */
export const updateClientSchema = z.object({
  clientId: guidField('Unknown client.'),
  version: z.coerce.number({ error: 'Reload the client and try again.' }).int().min(1),
  name: nameField,
  tokenLifetime: tokenLifetimeField,
  roleIds: roleIdsField,
  /** Require DPoP (RFC 9449): token requests without a DPoP proof are refused. Left out: unchanged. */
  requireDpop: requireDpopField.optional(),
  /** The APIs (Security > APIs) it may get tokens for, the whole list. Left out: unchanged. */
  apiAccess: consoleApiAccessField,
});
export type UpdateClientInput = z.output<typeof updateClientSchema>;

export const setClientEnabledSchema = z.object({
  clientId: guidField('Unknown client.'),
  enabled: z.boolean({ error: 'Choose Enable or Disable.' }),
});
export type SetClientEnabledInput = z.output<typeof setClientEnabledSchema>;

export const removeClientSchema = z.object({ clientId: guidField('Unknown client.') });
export type RemoveClientInput = z.output<typeof removeClientSchema>;
