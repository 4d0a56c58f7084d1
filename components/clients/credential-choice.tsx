'use client';

/** The Create Secret step's choice of credential: a client secret (the default) or a public key (private_key_jwt). */
export function CredentialChoice({ value, onChange }: { value: 'secret' | 'key'; onChange: (value: 'secret' | 'key') => void }) {
  return (
    <fieldset className="mb-5 space-y-2">
      <legend className="text-sm font-medium text-slate-800">Credential</legend>
      {(
        [
          ['secret', 'Client Secret', 'A generated secret, shown once after Save.'],
          ['key', 'Public Key', 'The client signs its token requests with its own private key; nothing secret is stored here.'],
        ] as const
      ).map(([v, label, hint]) => (
        <label key={v} className="flex items-start gap-2 text-sm">
          <input
            type="radio"
            name="credential"
            value={v}
            checked={value === v}
            onChange={() => onChange(v)}
            className="mt-0.5 h-4 w-4 accent-brand-600"
          />
          <span>
            <span className="font-medium text-slate-800">{label}</span>
            <span className="block text-xs text-slate-600">{hint}</span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}
