import { apiAccessOps } from '@/lib/api/apis-handlers';
import { AUTHORIZATION_CODE_CLIENTS } from '@/lib/api/client-kinds';
import { apiRoute, methodsNotAllowed } from '@/lib/api/route';

const { getApiAccessOp, replaceApiAccessOp } = apiAccessOps(AUTHORIZATION_CODE_CLIENTS);

export const GET = apiRoute(getApiAccessOp);
export const PUT = apiRoute(replaceApiAccessOp);
export const { POST, PATCH, DELETE, OPTIONS } = methodsNotAllowed(['GET', 'PUT']);
