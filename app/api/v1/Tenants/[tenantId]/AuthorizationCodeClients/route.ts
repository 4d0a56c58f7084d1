import { authorizationCodeClientOps } from '@/lib/api/user-client-handlers';
import { apiRoute, methodsNotAllowed } from '@/lib/api/route';

export const GET = apiRoute(authorizationCodeClientOps.listClientsOp);
export const POST = apiRoute(authorizationCodeClientOps.createClientOp);
export const { PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(['GET', 'POST']);
