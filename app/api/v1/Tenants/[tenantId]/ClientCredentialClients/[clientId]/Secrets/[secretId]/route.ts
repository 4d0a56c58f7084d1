import { getSecretOp } from '@/lib/api/handlers';
import { apiRoute, methodsNotAllowed } from '@/lib/api/route';

export const GET = apiRoute(getSecretOp);
export const { POST, PATCH } = methodsNotAllowed(['GET', 'PUT', 'DELETE']);
