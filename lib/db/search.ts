/**
 * What a person typed into a search box or filter (or put in the address by hand), as a query can use it, and the
 * page number of a paged list: bad input finds nothing or shows the last page, it never fails the query.
 */

/** The most characters of a search that are looked at. */
export const SEARCH_MAX = 100;
/**
 * The largest page number asked of the database: a larger one is past the end of any list here (and shows its last
 * page), and its OFFSET would overflow PostgreSQL's bigint (?page=99999999999999999999 was a 500).
 */
export const PAGE_MAX = 1_000_000;

/**
 * At most `max` characters, trimmed, without control characters: PostgreSQL text cannot hold NUL (`?q=%00` was a 500:
 * "invalid byte sequence for encoding UTF8"), and no one types the others into a search.
 */
export function searchText(raw: string | undefined | null, max = SEARCH_MAX): string {
  return (raw ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, max).trim();
}

/** A LIKE pattern matching `text` anywhere: `%`, `_` and `\` typed by a person are literal characters, not wildcards. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** A whole page number from 1 to PAGE_MAX (anything else asked for, e.g. NaN or -3, is page 1). */
export function pageNumber(page: number | undefined): number {
  if (page === undefined || !Number.isFinite(page) || page < 1) return 1;
  return Math.min(Math.floor(page), PAGE_MAX);
}
