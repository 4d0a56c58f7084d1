import { apiAccessOps } from '@/lib/api/apis-handlers';
import { CLIENT_CREDENTIAL_CLIENTS } from '@/lib/api/client-kinds';
import { apiRoute, methodsNotAllowed } from '@/lib/api/route';

const { getApiAccessOp, replaceApiAccessOp } = apiAccessOps(CLIENT_CREDENTIAL_CLIENTS);

export const GET = apiRoute(getApiAccessOp);
export const PUT = apiRoute(replaceApiAccessOp);
export const { POST, PATCH, DELETE, OPTIONS } = methodsNotAllowed(['GET', 'PUT']);
