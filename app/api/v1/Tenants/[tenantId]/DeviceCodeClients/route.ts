import { deviceCodeClientOps } from '@/lib/api/user-client-handlers';
import { apiRoute, methodsNotAllowed } from '@/lib/api/route';

export const GET = apiRoute(deviceCodeClientOps.listClientsOp);
export const POST = apiRoute(deviceCodeClientOps.createClientOp);
export const { PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(['GET', 'POST']);
