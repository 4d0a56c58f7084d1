import { zodFieldErrors } from '../actions/result';
import { apiError } from '../http/api-answers';
import { pagingQuery } from './schemas';

export type Page = { skip: number; count: number };

/** skip/count from the query string (count defaults to 100); 400 naming the bad parameter. */
export function readPaging(request: Request): { ok: true; page: Page } | { ok: false; response: Response } {
  const params = new URL(request.url).searchParams;
  const raw: Record<string, string> = {};
  for (const name of ['skip', 'count'] as const) {
    const v = params.get(name);
    if (v !== null && v.trim() !== '') raw[name] = v.trim();
  }
  const parsed = pagingQuery.safeParse(raw);
  if (!parsed.success) {
    const errors = zodFieldErrors(parsed.error);
    return { ok: false, response: apiError(400, Object.values(errors).join(' '), { errors }) };
  }
  return { ok: true, page: parsed.data };
}

export function pageOf<T>(items: T[], page: Page): T[] {
  return items.slice(page.skip, page.skip + page.count);
}

export const totalCount = (n: number) => ({ 'Total-Count': String(n) });
