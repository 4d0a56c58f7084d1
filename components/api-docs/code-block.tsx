import { CopyButton } from '@/components/ui/copy-button';

/** A shell snippet with its own Copy button. */
export function CodeBlock({ id, code, label }: { id: string; code: string; label: string }) {
  return (
    <div className="relative">
      {/* Focusable, so a keyboard user can scroll a long line sideways; a named group says what it holds. */}
      <pre
        id={id}
        role="group"
        aria-label={label}
        tabIndex={0}
        className="overflow-x-auto rounded-lg focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600 bg-slate-900 p-4 pr-28 font-mono text-[13px] leading-relaxed text-slate-100 dark:bg-slate-50 dark:text-slate-800 dark:ring-1 dark:ring-slate-200"
      >
        <code>{code}</code>
      </pre>
      <div className="absolute top-2 right-2">
        <CopyButton value={code} label={`Copy ${label}`} targetId={id} />
      </div>
    </div>
  );
}
