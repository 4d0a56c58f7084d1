/**
 * The constraint a unique violation (SQLSTATE 23505) hit, or null for any other error. Drizzle wraps driver errors
 * (pg and PGlite alike) in a query error whose `cause` is the driver's, so the chain is walked a few levels.
 */
export function uniqueViolation(err: unknown): string | null {
  let e: unknown = err;
  for (let depth = 0; depth < 4 && e && typeof e === 'object'; depth++) {
    const { code, constraint } = e as { code?: unknown; constraint?: unknown };
    if (code === '23505') return typeof constraint === 'string' ? constraint : '';
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}
