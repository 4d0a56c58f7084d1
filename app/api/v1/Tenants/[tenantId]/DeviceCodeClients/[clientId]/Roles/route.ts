import { deviceCodeClientOps } from '@/lib/api/user-client-handlers';
import { apiRoute, methodsNotAllowed } from '@/lib/api/route';

export const GET = apiRoute(deviceCodeClientOps.listRolesOp);
export const PUT = apiRoute(deviceCodeClientOps.replaceRolesOp);
export const { POST, PATCH, DELETE, OPTIONS } = methodsNotAllowed(['GET', 'PUT']);
