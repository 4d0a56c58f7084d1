import Link from 'next/link';

type PaginationProps = {
  page: number;
  pageCount: number;
  total: number;
  pageSize: number;
  /** Builds the URL of a page, keeping the other query parameters. */
  hrefFor: (page: number) => string;
  label: string;
};

/** Server pagination: "1–25 of 50,000", Previous / Next, page N of M. */
export function Pagination({ page, pageCount, total, pageSize, hrefFor, label }: PaginationProps) {
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(page * pageSize, total);
  const fmt = (n: number) => n.toLocaleString('en-US');
  const linkCls = 'rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50';
  const offCls = 'rounded-md border border-slate-200 px-3 py-1.5 text-sm text-slate-400';
  return (
    <nav aria-label={label} className="flex flex-wrap items-center justify-between gap-3 text-sm text-slate-700">
      <p>
        {fmt(first)}–{fmt(last)} of {fmt(total)}
      </p>
      <div className="flex items-center gap-2">
        {page > 1 ? (
          <Link href={hrefFor(page - 1)} className={linkCls} rel="prev">
            Previous
          </Link>
        ) : (
          <span className={offCls} aria-disabled="true">
            Previous
          </span>
        )}
        <span aria-current="page">
          Page {fmt(page)} of {fmt(pageCount)}
        </span>
        {page < pageCount ? (
          <Link href={hrefFor(page + 1)} className={linkCls} rel="next">
            Next
          </Link>
        ) : (
          <span className={offCls} aria-disabled="true">
            Next
          </span>
        )}
      </div>
    </nav>
  );
}
