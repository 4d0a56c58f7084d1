import type { SessionUser } from '../auth/users';
import { makeAdminAction } from '../actions/admin-action';
import { createChannel, removeChannel, updateChannel, updateThresholds } from './channels';
import { channelIdSchema, createChannelSchema, resendDeliverySchema, thresholdsSchema, updateChannelSchema } from './channels.schema';
import type { DeliveryContext } from './delivery';
import { deliveryContextFromEnv, resendDelivery, sendTestEvent } from './send-now';

/** Security > Notifications behind makeAdminAction: Tenant Administrator, the session's tenant, the forms' schemas. */
export function notificationAdminActions(getUser: () => Promise<SessionUser | null>, context?: (db: DeliveryContext['db']) => DeliveryContext) {
  const action = makeAdminAction(getUser);
  const ctx = context ?? deliveryContextFromEnv;
  return {
    createChannel: action(createChannelSchema, ({ db, actor }, input) => createChannel(db, actor, input)),
    updateChannel: action(updateChannelSchema, ({ db, actor }, input) => updateChannel(db, actor, input)),
    removeChannel: action(channelIdSchema, ({ db, actor }, input) => removeChannel(db, actor, input)),
    updateThresholds: action(thresholdsSchema, ({ db, actor }, input) => updateThresholds(db, actor, input)),
    sendTestEvent: action(channelIdSchema, ({ db, actor }, input) => sendTestEvent(ctx(db), actor, input)),
    resendDelivery: action(resendDeliverySchema, ({ db, actor }, input) => resendDelivery(ctx(db), actor, input)),
  };
}
