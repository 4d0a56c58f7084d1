import { deleteSecretOp, getSecretOp, updateSecretOp } from '@/lib/api/handlers';
import { apiRoute, methodsNotAllowed } from '@/lib/api/route';

export const GET = apiRoute(getSecretOp);
export const PUT = apiRoute(updateSecretOp);
export const DELETE = apiRoute(deleteSecretOp);
export const { POST, PATCH, OPTIONS } = methodsNotAllowed(['GET', 'PUT', 'DELETE']);
