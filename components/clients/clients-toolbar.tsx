'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useState } from 'react';
import { CLIENT_TYPES } from '@/lib/clients/client-types';
import { Button } from '@/components/ui/button';
import { preloadAddClientSheet } from './add-client-sheet-loader';
import { usePaneParam } from './use-pane-param';

/** Focus goes back to Add Client after the Client Successfully Created window when the new row is not shown. */
export const ADD_CLIENT_BUTTON_ID = 'add-client-button';

/** Client Type, the search box and Add Client. Search and type live in the URL (server-side filtering). */
export function ClientsToolbar({ q, type }: { q: string; type: string }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const addPane = usePaneParam('add', 'client');
  const [search, setSearch] = useState(q);

  const go = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params.toString());
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    next.delete('page');
    const qs = next.toString();
    router.push(qs ? `${pathname}?${qs}` : pathname);
  };

  return (
    <div className="flex flex-wrap items-end gap-3">
      <div className="space-y-1">
        <label htmlFor="client-type" className="block text-sm font-medium text-slate-800">
          Client Type
        </label>
        <select
          id="client-type"
          value={type}
          onChange={(e) => go({ type: e.target.value === 'client_credentials' ? '' : e.target.value })}
          className="block rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-brand-600 focus:outline-2 focus:outline-brand-600/30"
        >
          {CLIENT_TYPES.map((t) => (
            <option key={t.value} value={t.value}>
              {t.label}
            </option>
          ))}
        </select>
      </div>
      <form
        role="search"
        aria-label="Search clients"
        className="flex items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          go({ q: search.trim() });
        }}
      >
        <div className="space-y-1">
          <label htmlFor="client-search" className="block text-sm font-medium text-slate-800">
            Search
          </label>
          <input
            id="client-search"
            name="q"
            type="search"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            placeholder="Name or Client Id"
            maxLength={100}
            className="block w-72 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm placeholder:text-slate-500 focus:border-brand-600 focus:outline-2 focus:outline-brand-600/30"
          />
        </div>
        <Button type="submit" variant="secondary">
          Search
        </Button>
        {q && (
          <Button
            variant="ghost"
            onClick={() => {
              setSearch('');
              go({ q: '' });
            }}
          >
            Clear search
          </Button>
        )}
      </form>
      <div className="ml-auto" role="toolbar" aria-label="Clients">
        <Button id={ADD_CLIENT_BUTTON_ID} onClick={addPane.open} onPointerEnter={() => preloadAddClientSheet(type)} onFocus={() => preloadAddClientSheet(type)}>
          <svg aria-hidden="true" viewBox="0 0 20 20" className="h-4 w-4" fill="none" stroke="currentColor" strokeWidth="2">
            <path d="M10 4v12M4 10h12" />
          </svg>
          Add Client
        </Button>
      </div>
    </div>
  );
}
