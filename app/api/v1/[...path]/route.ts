import { dispatchApi } from '@/lib/api/router';

/**
 * Every /api/v1 path but /api/v1/openapi.json: the REST API's router (lib/api/router.ts), generated from the
 * contract (lib/api/contract.ts). The router reads the request's pathname as sent rather than Next's decoded `path`
 * segments, so a %-encoded static segment (Tenant%73) matches nothing, as with the folder-per-path routes it replaces.
 */
export const GET = dispatchApi;
export const HEAD = dispatchApi;
export const POST = dispatchApi;
export const PUT = dispatchApi;
export const PATCH = dispatchApi;
export const DELETE = dispatchApi;
export const OPTIONS = dispatchApi;
