const tones: Record<string, string> = {
  GET: 'bg-sky-50 text-sky-800 ring-sky-600/30',
  POST: 'bg-green-50 text-green-800 ring-green-600/30',
  PUT: 'bg-amber-50 text-amber-900 ring-amber-600/40',
  DELETE: 'bg-red-50 text-red-800 ring-red-600/30',
};

/** The HTTP method of an operation; the text carries the meaning, the colour repeats it. */
export function MethodBadge({ method }: { method: string }) {
  const m = method.toUpperCase();
  return (
    <span className={`inline-flex w-16 justify-center rounded px-1.5 py-0.5 font-mono text-xs font-bold ring-1 ring-inset ${tones[m] ?? 'bg-slate-100 text-slate-700 ring-slate-300'}`}>
      {m}
    </span>
  );
}
