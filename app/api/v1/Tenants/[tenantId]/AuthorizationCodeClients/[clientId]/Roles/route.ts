import { authorizationCodeClientOps } from '@/lib/api/user-client-handlers';
import { apiRoute, methodsNotAllowed } from '@/lib/api/route';

export const GET = apiRoute(authorizationCodeClientOps.listRolesOp);
export const PUT = apiRoute(authorizationCodeClientOps.replaceRolesOp);
export const { POST, PATCH, DELETE, OPTIONS } = methodsNotAllowed(['GET', 'PUT']);
