import { deleteApiOp, getApiOp, updateApiOp } from '@/lib/api/apis-handlers';
import { apiRoute, methodsNotAllowed } from '@/lib/api/route';

export const GET = apiRoute(getApiOp);
export const PUT = apiRoute(updateApiOp);
export const DELETE = apiRoute(deleteApiOp);
export const { POST, PATCH, OPTIONS } = methodsNotAllowed(['GET', 'PUT', 'DELETE']);
