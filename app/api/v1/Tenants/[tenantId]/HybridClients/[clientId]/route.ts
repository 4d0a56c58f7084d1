import { hybridClientOps } from '@/lib/api/user-client-handlers';
import { apiRoute, methodsNotAllowed } from '@/lib/api/route';

export const GET = apiRoute(hybridClientOps.getClientOp);
export const PUT = apiRoute(hybridClientOps.updateClientOp);
export const DELETE = apiRoute(hybridClientOps.deleteClientOp);
export const { POST, PATCH, OPTIONS } = methodsNotAllowed(['GET', 'PUT', 'DELETE']);
