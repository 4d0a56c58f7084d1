import { deleteChannelOp, getChannelOp, updateChannelOp } from '@/lib/api/notification-handlers';
import { apiRoute, methodsNotAllowed } from '@/lib/api/route';

export const GET = apiRoute(getChannelOp);
export const PUT = apiRoute(updateChannelOp);
export const DELETE = apiRoute(deleteChannelOp);
export const { POST, PATCH, OPTIONS } = methodsNotAllowed(['GET', 'PUT', 'DELETE']);
