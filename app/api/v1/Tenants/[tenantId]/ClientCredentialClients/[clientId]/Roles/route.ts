import { listRolesOp } from '@/lib/api/handlers';
import { apiRoute, methodsNotAllowed } from '@/lib/api/route';

export const GET = apiRoute(listRolesOp);
export const { POST, PATCH, DELETE } = methodsNotAllowed(['GET', 'PUT']);
