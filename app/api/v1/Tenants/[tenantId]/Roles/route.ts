import { listTenantRolesOp } from '@/lib/api/handlers';
import { apiRoute, methodsNotAllowed } from '@/lib/api/route';

export const GET = apiRoute(listTenantRolesOp);
export const { POST, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(['GET']);
