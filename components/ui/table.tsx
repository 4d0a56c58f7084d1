/**
 * Table styling shared by the console's lists. Plain semantic elements, so role-based queries work. On a narrow
 * screen the table scrolls inside its own frame (never the page), and its first column (the name, with its status)
 * stays in place while the rest scrolls under it.
 */
export function Table({ className = '', ...props }: React.TableHTMLAttributes<HTMLTableElement>) {
  return (
    // relative: visually hidden text inside (sr-only is absolutely positioned) stays inside this frame instead of
    // widening the page. Focusable, so a keyboard can scroll it when it is wider than the screen.
    <div
      tabIndex={0}
      className="relative overflow-x-auto overscroll-x-contain rounded-lg border border-slate-200 bg-white focus-visible:outline-2 focus-visible:outline-brand-600"
    >
      <table
        className={`min-w-full divide-y divide-slate-200 text-sm [&_tbody_td:first-child]:bg-white [&_td:first-child]:sticky [&_td:first-child]:left-0 [&_td:first-child]:z-[1] [&_th:first-child]:sticky [&_th:first-child]:left-0 [&_th:first-child]:z-[1] [&_thead_th:first-child]:bg-slate-50 ${className}`}
        {...props}
      />
    </div>
  );
}

export function THead(props: React.HTMLAttributes<HTMLTableSectionElement>) {
  return <thead className="bg-slate-50" {...props} />;
}

export function TBody(props: React.HTMLAttributes<HTMLTableSectionElement>) {
  return <tbody className="divide-y divide-slate-100" {...props} />;
}

/** Rows align to the top unless the className says otherwise (e.g. align-middle for one-line rows with buttons). */
export function Tr({ className = '', ...props }: React.HTMLAttributes<HTMLTableRowElement>) {
  return <tr className={/\balign-/.test(className) ? className : `align-top ${className}`} {...props} />;
}

export function Th({ className = '', ...props }: React.ThHTMLAttributes<HTMLTableCellElement>) {
  return (
    <th
      scope="col"
      className={`px-3 py-2.5 text-left text-xs font-semibold tracking-wide whitespace-nowrap text-slate-600 uppercase ${className}`}
      {...props}
    />
  );
}

export function Td({ className = '', ...props }: React.TdHTMLAttributes<HTMLTableCellElement>) {
  return <td className={`px-3 py-3 text-slate-800 ${className}`} {...props} />;
}
