'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Button } from '@/components/ui/button';

/** Filter the audit log by client: a Client Id or part of a client's name. Lives in the URL (?client=). */
export function AuditFilter({ client }: { client: string }) {
  const router = useRouter();
  const [value, setValue] = useState(client);
  const go = (v: string) => router.push(v ? `/security/audit-log?client=${encodeURIComponent(v)}` : '/security/audit-log');
  return (
    <form
      role="search"
      aria-label="Filter audit events"
      className="flex flex-wrap items-end gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        go(value.trim());
      }}
    >
      <div className="min-w-0 flex-1 space-y-1 sm:w-80 sm:flex-none">
        <label htmlFor="audit-client" className="block text-sm font-medium text-slate-800">
          Client
        </label>
        <input
          id="audit-client"
          name="client"
          type="search"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          placeholder="Client Id or name"
          maxLength={100}
          className="block h-9 w-full rounded-md border border-slate-300 bg-white px-3 text-sm shadow-sm placeholder:text-slate-500 focus:border-brand-600 focus:outline-2 focus:outline-brand-600/30"
        />
      </div>
      <Button type="submit" variant="secondary">
        Filter
      </Button>
      {client && (
        <Button
          variant="ghost"
          onClick={() => {
            setValue('');
            go('');
          }}
        >
          Show all events
        </Button>
      )}
    </form>
  );
}
