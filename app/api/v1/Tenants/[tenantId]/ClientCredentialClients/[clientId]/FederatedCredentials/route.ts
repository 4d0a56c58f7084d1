import { createFederatedOp, listFederatedOp } from '@/lib/api/federated-handlers';
import { apiRoute, methodsNotAllowed } from '@/lib/api/route';

export const GET = apiRoute(listFederatedOp);
export const POST = apiRoute(createFederatedOp);
export const { PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(['GET', 'POST']);
