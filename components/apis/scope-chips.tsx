/** The scopes of an API as small code chips, or "None". */
export function ScopeChips({ scopes, label }: { scopes: string[]; label: string }) {
  if (scopes.length === 0) return <span className="text-slate-600">None</span>;
  return (
    <ul aria-label={label} className="flex flex-wrap gap-1">
      {scopes.map((s) => (
        <li key={s}>
          <code className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs break-all text-slate-800">{s}</code>
        </li>
      ))}
    </ul>
  );
}
