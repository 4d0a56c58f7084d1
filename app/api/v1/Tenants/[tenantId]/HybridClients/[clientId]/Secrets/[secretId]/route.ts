import { hybridClientOps } from '@/lib/api/user-client-handlers';
import { apiRoute, methodsNotAllowed } from '@/lib/api/route';

export const GET = apiRoute(hybridClientOps.getSecretOp);
export const PUT = apiRoute(hybridClientOps.updateSecretOp);
export const DELETE = apiRoute(hybridClientOps.deleteSecretOp);
export const { POST, PATCH, OPTIONS } = methodsNotAllowed(['GET', 'PUT', 'DELETE']);
