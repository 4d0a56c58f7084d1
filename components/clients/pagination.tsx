import { ChevronLeft, ChevronRight } from 'lucide-react';
import { Link } from '@/components/ui/link';
import { buttonClasses } from '@/components/ui/button';

type PaginationProps = {
  page: number;
  pageCount: number;
  total: number;
  pageSize: number;
  /** Builds the URL of a page, keeping the other query parameters. */
  hrefFor: (page: number) => string;
  label: string;
  /** What is counted, singular and plural: "1 client", "3 clients". */
  noun: [string, string];
};

/**
 * Server pagination: "26–50 of 50,000", Previous / Next, page N of M. With one page only the count is shown: no
 * Previous and Next that lead nowhere.
 */
export function Pagination({ page, pageCount, total, pageSize, hrefFor, label, noun }: PaginationProps) {
  const fmt = (n: number) => n.toLocaleString('en-US');
  if (pageCount <= 1) {
    return (
      <p className="text-sm text-slate-600">
        {fmt(total)} {total === 1 ? noun[0] : noun[1]}
      </p>
    );
  }
  const first = (page - 1) * pageSize + 1;
  const last = Math.min(page * pageSize, total);
  const offCls = `${buttonClasses({ variant: 'secondary', size: 'sm' })} pointer-events-none shadow-none text-slate-400`;
  return (
    <nav aria-label={label} className="flex flex-wrap items-center justify-between gap-3 text-sm text-slate-700">
      <p className="tabular-nums">
        {fmt(first)}–{fmt(last)} of {fmt(total)}
      </p>
      <div className="flex items-center gap-2">
        {page > 1 ? (
          <Link href={hrefFor(page - 1)} className={buttonClasses({ variant: 'secondary', size: 'sm' })} rel="prev">
            <ChevronLeft aria-hidden="true" className="-ml-1 h-4 w-4" />
            Previous
          </Link>
        ) : (
          <span className={offCls} aria-disabled="true">
            <ChevronLeft aria-hidden="true" className="-ml-1 h-4 w-4" />
            Previous
          </span>
        )}
        <span aria-current="page" className="px-1 whitespace-nowrap tabular-nums">
          Page {fmt(page)} of {fmt(pageCount)}
        </span>
        {page < pageCount ? (
          <Link href={hrefFor(page + 1)} className={buttonClasses({ variant: 'secondary', size: 'sm' })} rel="next">
            Next
            <ChevronRight aria-hidden="true" className="-mr-1 h-4 w-4" />
          </Link>
        ) : (
          <span className={offCls} aria-disabled="true">
            Next
            <ChevronRight aria-hidden="true" className="-mr-1 h-4 w-4" />
          </span>
        )}
      </div>
    </nav>
  );
}
