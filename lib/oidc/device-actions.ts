import { makeSignedInAction, type CurrentSession } from '../actions/user-action';
import { fieldFail, ok } from '../actions/result';
import { decideDeviceRequest, findDeviceRequest } from './device';
import { deviceCodeLookupSchema, deviceDecisionSchema } from './device.schema';

/**
 * The /device page's operations (RFC 8628 verification): any signed-in user of the console may allow a device of
 * their own tenant. Each is a public endpoint behind makeSignedInAction (session checked, the same schema as the
 * form); the tenant comes from the session, never from input.
 */
export function deviceActions(getSession: () => Promise<CurrentSession | null>) {
  const action = makeSignedInAction(getSession);
  return {
    lookup: action(deviceCodeLookupSchema, async ({ db, session }, input) => {
      const found = await findDeviceRequest(db, session.user, input.userCode);
      if (!found.ok) return fieldFail({ userCode: found.message });
      return ok({ clientName: found.request.clientName, scopes: found.request.scopes, api: found.request.api });
    }),
    decide: action(deviceDecisionSchema, async ({ db, session }, input) => {
      const done = await decideDeviceRequest(db, session.user, session.sessionId, input.userCode, input.decision === 'allow');
      if (!done.ok) return fieldFail({ userCode: done.message });
      return ok({ clientName: done.clientName, allowed: input.decision === 'allow' });
    }),
  };
}
