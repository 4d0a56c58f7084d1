import type { Db } from '../db';
import { inTransaction } from '../db/transaction';
import type { Actor } from '../actions/actor';
import { fail, ok, type ActionResult } from '../actions/result';
import type { ClientType } from './client-types';
import { lockClient } from './lock';
import { CLIENT_NOT_FOUND } from './messages';
import { setClientEnabledIn, updateClientIn, type UpdatedClient } from './update-client';
import { updateClientUrlsIn } from './update-client-urls';
import type { UpdateClientInput } from './update-client.schema';
import type { UpdateClientUrlsInput } from './user-client.schema';

/** A failed step after an earlier step wrote: thrown to roll the whole transaction back, then returned. */
class Abort extends Error {
  constructor(readonly result: Extract<ActionResult<never>, { ok: false }>) {
    super('aborted');
  }
}

export type ReplaceClientInput = {
  clientType: ClientType;
  /** Edit Client's part: name, token lifetime, roles, based on `version`. */
  client: UpdateClientInput;
  /**
   * Edit Sign-In Settings' part (clients that sign users in); its version is ignored (the step after Edit Client takes
   * the version it left). Left out: unchanged.
   */
  urls?: UpdateClientUrlsInput;
  /** Enable or disable; undefined keeps the status. */
  enabled?: boolean;
};

/**
 * An edit of a client of any type that changes its details, sign-in settings and status at once (the REST API's PUT):
 * Edit Client, Edit Sign-In Settings and Disable/Enable, each with its own rules and audit event, in ONE transaction
 * under the client's row lock, so a refused step leaves nothing of the others behind. A client of another type than
 * `clientType` is "not found", like an unknown id. Pass the database, not a transaction.
 */
export async function replaceClient(db: Db, actor: Actor, input: ReplaceClientInput): Promise<ActionResult<UpdatedClient>> {
  const clientId = input.client.clientId;
  try {
    return await inTransaction(db, async (tx, afterCommit): Promise<ActionResult<UpdatedClient>> => {
      const client = await lockClient(tx, actor.tenantId, clientId);
      if (!client || client.clientType !== input.clientType) return fail(CLIENT_NOT_FOUND, 'not_found');
      const must = <T>(step: ActionResult<T>): T => {
        if (!step.ok) throw new Abort(step);
        return step.data;
      };
      const edited = must(await updateClientIn(tx, afterCommit, actor, input.client));
      const urls = input.urls ? must(await updateClientUrlsIn(tx, afterCommit, actor, { ...input.urls, clientId, version: edited.version })) : null;
      let version = urls?.version ?? edited.version;
      let changed = edited.changed || (urls?.changed ?? false);
      if (input.enabled !== undefined) {
        const status = must(await setClientEnabledIn(tx, afterCommit, actor, { clientId, enabled: input.enabled }));
        version = status.version;
        changed ||= status.changed;
      }
      return ok({ clientId, version, changed });
    });
  } catch (err) {
    if (err instanceof Abort) return err.result;
    throw err;
  }
}
