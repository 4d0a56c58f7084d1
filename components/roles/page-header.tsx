/** A page's title, one line of explanation and its toolbar (the primary actions). */
export function PageHeader({ title, children, toolbar }: { title: string; children?: React.ReactNode; toolbar?: React.ReactNode }) {
  return (
    <div className="flex flex-wrap items-start justify-between gap-4">
      <div className="min-w-0 max-w-2xl">
        <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
        {children && <p className="mt-1 text-sm text-slate-600">{children}</p>}
      </div>
      {toolbar && (
        <div role="toolbar" aria-label={`${title} actions`} className="flex gap-2">
          {toolbar}
        </div>
      )}
    </div>
  );
}
