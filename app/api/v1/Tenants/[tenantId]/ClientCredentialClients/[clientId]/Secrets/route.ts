import { createSecretOp, listSecretsOp } from '@/lib/api/handlers';
import { apiRoute, methodsNotAllowed } from '@/lib/api/route';

export const GET = apiRoute(listSecretsOp);
export const POST = apiRoute(createSecretOp);
export const { PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(['GET', 'POST']);
