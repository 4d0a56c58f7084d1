/** Placeholder shapes while a page loads: the same frame as the content, so nothing moves when it arrives. */
export function Skeleton({ className = '' }: { className?: string }) {
  return <span aria-hidden="true" className={`block animate-pulse rounded bg-slate-200 motion-reduce:animate-none ${className}`} />;
}

/** A list page while it loads: heading, toolbar and table rows in their final places. Announced once as busy. */
export function ListPageSkeleton({ label, rows = 6, toolbar = true }: { label: string; rows?: number; toolbar?: boolean }) {
  return (
    <section aria-busy="true" aria-label={label} className="space-y-5">
      <span className="sr-only" role="status">
        {label}
      </span>
      <div className="space-y-2">
        <Skeleton className="h-8 w-40" />
        <Skeleton className="h-4 w-full max-w-lg" />
      </div>
      {toolbar && (
        <div className="flex flex-wrap items-end gap-3">
          <Skeleton className="h-9 w-full sm:w-60" />
          <Skeleton className="h-9 w-full sm:w-80" />
          <Skeleton className="ml-auto hidden h-9 w-32 sm:block" />
        </div>
      )}
      <div className="overflow-hidden rounded-lg border border-slate-200 bg-white">
        <div className="h-10 border-b border-slate-200 bg-slate-50" />
        {Array.from({ length: rows }, (_, i) => (
          <div key={i} className="flex items-center gap-4 border-b border-slate-100 px-3 py-4 last:border-b-0">
            <Skeleton className="h-4 w-1/4" />
            <Skeleton className="h-4 w-1/3" />
            <Skeleton className="hidden h-4 w-1/6 sm:block" />
            <Skeleton className="hidden h-4 w-1/6 sm:block" />
          </div>
        ))}
      </div>
    </section>
  );
}

/** A page of fields or text (Settings, Your account, API Reference) while it loads. */
export function DocumentPageSkeleton({ label }: { label: string }) {
  return (
    <section aria-busy="true" aria-label={label} className="space-y-5">
      <span className="sr-only" role="status">
        {label}
      </span>
      <div className="space-y-2">
        <Skeleton className="h-8 w-48" />
        <Skeleton className="h-4 w-full max-w-lg" />
      </div>
      <div className="max-w-3xl space-y-4 rounded-lg border border-slate-200 bg-white p-5">
        {Array.from({ length: 5 }, (_, i) => (
          <div key={i} className="grid gap-2 sm:grid-cols-[12rem_1fr]">
            <Skeleton className="h-4 w-28" />
            <Skeleton className="h-4 w-full max-w-sm" />
          </div>
        ))}
      </div>
    </section>
  );
}
