import { deleteClientOp, getClientOp, updateClientOp } from '@/lib/api/handlers';
import { apiRoute, methodsNotAllowed } from '@/lib/api/route';

export const GET = apiRoute(getClientOp);
export const PUT = apiRoute(updateClientOp);
export const DELETE = apiRoute(deleteClientOp);
export const { POST, PATCH, OPTIONS } = methodsNotAllowed(['GET', 'PUT', 'DELETE']);
