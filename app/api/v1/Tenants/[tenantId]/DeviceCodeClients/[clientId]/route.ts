import { deviceCodeClientOps } from '@/lib/api/user-client-handlers';
import { apiRoute, methodsNotAllowed } from '@/lib/api/route';

export const GET = apiRoute(deviceCodeClientOps.getClientOp);
export const PUT = apiRoute(deviceCodeClientOps.updateClientOp);
export const DELETE = apiRoute(deviceCodeClientOps.deleteClientOp);
export const { POST, PATCH, OPTIONS } = methodsNotAllowed(['GET', 'PUT', 'DELETE']);
