import { z } from 'zod';
import { API_SCOPE_MAX, MAX_API_SCOPES, MAX_APIS_PER_TENANT } from '../apis/apis.schema';
import { idField } from '../roles/names.schema';

/*
 * Which of the tenant's APIs (lib/apis) a client may get tokens for. No Node imports: the console's forms use these.
 */

/** A client's API access as sent: each API once, with all of its scopes (`scopes` null) or the ones listed. */
export const apiAccessListField = z
  .array(
    z.object({
      apiId: idField('API'),
      scopes: z.array(z.string().max(API_SCOPE_MAX)).max(MAX_API_SCOPES).nullable(),
    }),
    { error: 'Choose the APIs.' },
  )
  .max(MAX_APIS_PER_TENANT);

export const CHOOSE_A_SCOPE = 'Choose at least one scope, or All scopes.';

/**
 * The API Access of Add Client and Edit Client: as above, and "Chosen scopes" names at least one (the error sits at
 * that API's scopes). Left out: nothing granted (Add Client) or unchanged (Edit Client).
 */
export const consoleApiAccessList = apiAccessListField.superRefine((list, ctx) => {
  list.forEach((entry, i) => {
    if (entry.scopes !== null && entry.scopes.length === 0) ctx.addIssue({ code: 'custom', path: [i, 'scopes'], message: CHOOSE_A_SCOPE });
  });
});
export const consoleApiAccessField = consoleApiAccessList.optional();

/** The Edit API Access pane's form (the client and its version come from the page). */
export const editApiAccessFormSchema = z.object({ access: consoleApiAccessList });

/**
 * A client's API access: the APIs it may get tokens for, each with all of its scopes (`scopes` null, including
 * scopes added later) or some of them.
 */
export const clientApiAccessSchema = z.object({
  clientId: idField('client'),
  /**
   * The client's version the form was based on (Edit API Access sends it): a save based on an older version is refused
   * instead of silently undoing a change made meanwhile. Left out (the REST API), no check.
   */
  version: z.coerce.number({ error: 'Reload the client and try again.' }).int().min(1).optional(),
  access: apiAccessListField,
});
export type ClientApiAccessInput = z.input<typeof clientApiAccessSchema>;
