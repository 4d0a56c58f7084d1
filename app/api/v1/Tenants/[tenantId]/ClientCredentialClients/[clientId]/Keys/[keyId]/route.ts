import { deleteKeyOp, getKeyOp } from '@/lib/api/key-handlers';
import { apiRoute, methodsNotAllowed } from '@/lib/api/route';

export const GET = apiRoute(getKeyOp);
export const DELETE = apiRoute(deleteKeyOp);
export const { POST, PUT, PATCH, OPTIONS } = methodsNotAllowed(['GET', 'DELETE']);
