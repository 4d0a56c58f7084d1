import { createApiOp, listApisOp } from '@/lib/api/apis-handlers';
import { apiRoute, methodsNotAllowed } from '@/lib/api/route';

export const GET = apiRoute(listApisOp);
export const POST = apiRoute(createApiOp);
export const { PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(['GET', 'POST']);
