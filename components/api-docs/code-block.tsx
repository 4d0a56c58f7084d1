import { CopyButton } from '@/components/ui/copy-button';

/** A shell snippet with its own Copy button. */
export function CodeBlock({ id, code, label }: { id: string; code: string; label: string }) {
  return (
    <div className="relative">
      <pre
        id={id}
        aria-label={label}
        className="overflow-x-auto rounded-lg bg-slate-900 p-4 pr-24 font-mono text-[13px] leading-relaxed text-slate-100"
      >
        <code>{code}</code>
      </pre>
      <div className="absolute top-2 right-2">
        <CopyButton value={code} label={`Copy ${label}`} targetId={id} />
      </div>
    </div>
  );
}
