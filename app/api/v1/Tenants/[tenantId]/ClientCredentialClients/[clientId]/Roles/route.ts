import { listRolesOp, replaceRolesOp } from '@/lib/api/handlers';
import { apiRoute, methodsNotAllowed } from '@/lib/api/route';

export const GET = apiRoute(listRolesOp);
export const PUT = apiRoute(replaceRolesOp);
export const { POST, PATCH, DELETE, OPTIONS } = methodsNotAllowed(['GET', 'PUT']);
