import { createKeyOp, listKeysOp } from '@/lib/api/key-handlers';
import { apiRoute, methodsNotAllowed } from '@/lib/api/route';

export const GET = apiRoute(listKeysOp);
export const POST = apiRoute(createKeyOp);
export const { PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(['GET', 'POST']);
