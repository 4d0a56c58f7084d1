import { authorizationCodeClientOps } from '@/lib/api/user-client-handlers';
import { apiRoute, methodsNotAllowed } from '@/lib/api/route';

export const GET = apiRoute(authorizationCodeClientOps.getClientOp);
export const PUT = apiRoute(authorizationCodeClientOps.updateClientOp);
export const DELETE = apiRoute(authorizationCodeClientOps.deleteClientOp);
export const { POST, PATCH, OPTIONS } = methodsNotAllowed(['GET', 'PUT', 'DELETE']);
