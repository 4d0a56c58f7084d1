import { deleteFederatedOp, getFederatedOp, updateFederatedOp } from '@/lib/api/federated-handlers';
import { apiRoute, methodsNotAllowed } from '@/lib/api/route';

export const GET = apiRoute(getFederatedOp);
export const PUT = apiRoute(updateFederatedOp);
export const DELETE = apiRoute(deleteFederatedOp);
export const { POST, PATCH, OPTIONS } = methodsNotAllowed(['GET', 'PUT', 'DELETE']);
