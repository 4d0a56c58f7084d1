import { createChannelOp, listChannelsOp } from '@/lib/api/notification-handlers';
import { apiRoute, methodsNotAllowed } from '@/lib/api/route';

export const GET = apiRoute(listChannelsOp);
export const POST = apiRoute(createChannelOp);
export const { PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(['GET', 'POST']);
