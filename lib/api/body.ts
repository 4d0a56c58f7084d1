import { apiError } from '../http/api-answers';

/**
 * The largest request body the API reads. The biggest real body (a client with 200 role ids) is under 10 KiB;
 * anything larger is refused before it is buffered.
 */
export const MAX_BODY_BYTES = 32 * 1024;

export type BodyResult = { ok: true; value: unknown } | { ok: false; response: Response };

/** application/json or any application/*+json, in UTF-8 (the only charset JSON allows, RFC 8259 8.1). */
function isJsonContentType(header: string | null): boolean {
  if (!header) return false;
  const [type, ...params] = header.split(';').map((p) => p.trim().toLowerCase());
  if (type !== 'application/json' && !/^application\/[a-z0-9.+-]+\+json$/.test(type)) return false;
  const charset = params.find((p) => p.startsWith('charset='))?.slice('charset='.length).replace(/"/g, '');
  return charset === undefined || charset === 'utf-8' || charset === 'utf8';
}

/** Reads the stream up to `limit` bytes; stops (and cancels the stream) as soon as it is over. */
async function readLimited(request: Request, limit: number): Promise<Uint8Array | 'too_large'> {
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return 'too_large';
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

/**
 * The request's JSON body: 415 for another content type, 413 over the limit (declared or streamed), 400 for an
 * empty body, bytes that are not UTF-8, or text that is not JSON. The messages never echo the body back.
 */
export async function readJsonBody(request: Request, limit = MAX_BODY_BYTES): Promise<BodyResult> {
  if (!isJsonContentType(request.headers.get('content-type'))) {
    return {
      ok: false,
      response: apiError(415, 'The request body must be JSON.', {
        resolution: 'Send the body with the header Content-Type: application/json.',
      }),
    };
  }
  const tooLarge = (): BodyResult => ({
    ok: false,
    response: apiError(413, `The request body is larger than ${limit} bytes.`, { headers: { Connection: 'close' } }),
  });
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > limit) return tooLarge();
  let bytes: Uint8Array | 'too_large';
  try {
    bytes = await readLimited(request, limit);
  } catch {
    return { ok: false, response: apiError(400, 'The request body could not be read.') };
  }
  if (bytes === 'too_large') return tooLarge();
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, response: apiError(400, 'The request body is not valid UTF-8 text.') };
  }
  if (text.trim() === '') {
    return { ok: false, response: apiError(400, 'The request body is empty.', { resolution: 'Send a JSON document.' }) };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return {
      ok: false,
      response: apiError(400, 'The request body is not valid JSON.', { resolution: 'Check the JSON syntax of the body.' }),
    };
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
