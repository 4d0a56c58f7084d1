import { hybridClientOps } from '@/lib/api/user-client-handlers';
import { apiRoute, methodsNotAllowed } from '@/lib/api/route';

export const GET = apiRoute(hybridClientOps.listRolesOp);
export const PUT = apiRoute(hybridClientOps.replaceRolesOp);
export const { POST, PATCH, DELETE, OPTIONS } = methodsNotAllowed(['GET', 'PUT']);
