import { createClientOp, listClientsOp } from '@/lib/api/handlers';
import { apiRoute, methodsNotAllowed } from '@/lib/api/route';

export const GET = apiRoute(listClientsOp);
export const POST = apiRoute(createClientOp);
export const { PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(['GET', 'POST']);
