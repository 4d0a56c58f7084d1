import { deleteFederatedOp, getFederatedOp } from '@/lib/api/federated-handlers';
import { apiRoute, methodsNotAllowed } from '@/lib/api/route';

export const GET = apiRoute(getFederatedOp);
export const DELETE = apiRoute(deleteFederatedOp);
export const { POST, PUT, PATCH, OPTIONS } = methodsNotAllowed(['GET', 'DELETE']);
