import type { LucideIcon } from 'lucide-react';

/**
 * An empty list, designed: what the list holds, why it matters, and the action that fills it (a button). Also used
 * for "nothing matches" with a way back.
 */
export function EmptyState({
  icon: Icon,
  title,
  children,
  action,
}: {
  icon: LucideIcon;
  title: React.ReactNode;
  children?: React.ReactNode;
  action?: React.ReactNode;
}) {
  return (
    <div className="flex flex-col items-center rounded-lg border border-dashed border-slate-300 bg-white px-5 py-10 text-center sm:px-8 sm:py-12">
      <span aria-hidden="true" className="flex h-11 w-11 items-center justify-center rounded-full bg-brand-50 text-brand-600">
        <Icon className="h-5 w-5" />
      </span>
      <p className="mt-4 font-semibold text-slate-900">{title}</p>
      {children && <div className="mt-1.5 max-w-md text-sm text-slate-600">{children}</div>}
      {action && <div className="mt-5 flex flex-wrap justify-center gap-2">{action}</div>}
    </div>
  );
}
