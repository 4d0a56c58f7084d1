import { randomUUID } from 'node:crypto';
import type { ActionResult, FailureCode } from '../actions/result';

/**
 * Answers of the REST API: JSON, never cached (an answer may hold a one-time secret, and every answer is
 * per-tenant), with one error body for every refusal. Plain Web `Response`s, so the handlers run the same in a
 * Next route and in a test that calls them with a `Request`.
 */
export const NO_STORE: Record<string, string> = {
  'Cache-Control': 'no-store',
  Pragma: 'no-cache',
};

export const JSON_TYPE = 'application/json; charset=utf-8';

/** The product's ErrorResponse, plus `Errors`: one message per request field (API field names). */
export type ApiErrorBody = {
  OperationId: string;
  Error: string;
  Reason: string;
  Resolution?: string;
  Errors?: Record<string, string>;
};

/**
 * JSON text with <, > and & as \u escapes: the same value for every JSON parser, but an answer that echoes input
 * (a refused redirect URL, a client's name) never carries markup, whatever a client or a proxy sniffs it as.
 */
export function safeJson(body: unknown): string {
  return JSON.stringify(body).replace(/[<>&]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(status === 204 ? null : safeJson(body), {
    status,
    headers: { ...(status === 204 ? {} : { 'Content-Type': JSON_TYPE }), ...NO_STORE, ...headers },
  });
}

export function noContent(headers: Record<string, string> = {}): Response {
  return json(204, null, headers);
}

const TITLES: Record<number, string> = {
  400: 'Missing or invalid inputs.',
  401: 'Unauthorized.',
  403: 'Forbidden.',
  404: 'Not found.',
  405: 'Method not allowed.',
  409: 'Conflict.',
  412: 'Precondition failed.',
  413: 'Payload too large.',
  415: 'Unsupported media type.',
  500: 'Internal server error.',
  503: 'Service unavailable.',
};

export function apiError(
  status: number,
  reason: string,
  opts: { resolution?: string; errors?: Record<string, string>; headers?: Record<string, string>; operationId?: string } = {},
): Response {
  const body: ApiErrorBody = {
    OperationId: opts.operationId ?? randomUUID(),
    Error: TITLES[status] ?? 'Error.',
    Reason: reason,
    ...(opts.resolution ? { Resolution: opts.resolution } : {}),
    ...(opts.errors && Object.keys(opts.errors).length ? { Errors: opts.errors } : {}),
  };
  return json(status, body, opts.headers);
}

/** ActionResult.code to HTTP status. A reached limit is invalid input for this request (the product answers 400). */
export const STATUS_OF: Record<FailureCode, number> = {
  invalid: 400,
  limit: 400,
  not_found: 404,
  conflict: 409,
  forbidden: 403,
  unauthenticated: 401,
};

const GENERIC_REASON: Record<FailureCode, string> = {
  invalid: 'The request has invalid fields.',
  limit: 'A limit was reached.',
  not_found: 'The resource does not exist.',
  conflict: 'The request conflicts with the current state of the resource.',
  forbidden: 'You may not do this.',
  unauthenticated: 'Authentication is required.',
};

/**
 * A failed domain result as an API error. `fieldNames` maps the lib's field paths (e.g. "tokenLifetime") to the
 * API's (e.g. "AccessTokenLifetime"), so the caller sees the names it sent.
 */
export function failureResponse(
  result: Extract<ActionResult<unknown>, { ok: false }>,
  fieldNames: Record<string, string> = {},
): Response {
  const code = result.code ?? 'invalid';
  const errors: Record<string, string> = {};
  for (const [path, message] of Object.entries(result.fieldErrors ?? {})) {
    errors[apiFieldName(path, fieldNames)] = message;
  }
  const fieldSummary = Object.entries(errors)
    .map(([k, v]) => `${k}: ${v}`)
    .join(' ');
  const reason = result.formError ?? (fieldSummary || GENERIC_REASON[code]);
  return apiError(STATUS_OF[code], reason, {
    errors,
    resolution: code === 'invalid' && Object.keys(errors).length ? 'Correct the fields listed in Errors and send the request again.' : undefined,
  });
}

/** "tokenLifetime" -> "AccessTokenLifetime"; "roleIds.3" -> "RoleIds[3]"; unknown paths are kept as they are. */
export function apiFieldName(path: string, fieldNames: Record<string, string>): string {
  const [head, ...rest] = path.split('.');
  const mapped = fieldNames[head] ?? head;
  return rest.length ? `${mapped}${rest.map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`)).join('')}` : mapped;
}
