/**
 * Label / value rows for a details page. Every row has the height of a small button (32 px) at least, label and
 * value are vertically centred on that first line, so a label lines up with its value whether the value is text, a
 * badge, a Client Id with a Copy button or several lines. One column on a phone, two from sm up.
 */
export function DescriptionList({ className = '', children }: { className?: string; children: React.ReactNode }) {
  return <dl className={`divide-y divide-slate-100 ${className}`}>{children}</dl>;
}

export function DescriptionItem({ label, children, testId }: { label: React.ReactNode; children: React.ReactNode; testId?: string }) {
  return (
    <div className="grid grid-cols-1 gap-x-6 gap-y-1 py-2.5 first:pt-0 last:pb-0 sm:grid-cols-[12rem_minmax(0,1fr)]">
      <dt className="text-sm font-medium text-slate-600 sm:py-1.5">{label}</dt>
      <dd data-testid={testId} className="flex min-w-0 flex-wrap items-start gap-x-3 gap-y-2 text-sm text-slate-900">
        {typeof children === 'string' || typeof children === 'number' ? <DescriptionText>{children}</DescriptionText> : children}
      </dd>
    </div>
  );
}

/** Text inside a value, padded to the row's first line (so it sits level with the label and with buttons). */
export function DescriptionText({ className = '', children }: { className?: string; children: React.ReactNode }) {
  return <span className={`min-w-0 py-1.5 break-words ${className}`}>{children}</span>;
}
