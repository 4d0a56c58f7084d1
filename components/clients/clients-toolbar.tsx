'use client';

import { CheckSquare, Plus, Search, Square } from 'lucide-react';
import { Link } from '@/components/ui/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useState } from 'react';
import { CLIENT_TYPES } from '@/lib/clients/client-types';
import { Button } from '@/components/ui/button';
import { Select } from '@/components/ui/select';
import { preloadAddClientSheet } from './add-client-sheet-loader';
import { usePaneParam } from '@/components/forms/use-url-pane';
import { ADD_CLIENT_BUTTON_ID } from './ids';


/** The page's main action. In the toolbar, or in the empty list's call to action when the tenant has none yet. */
export function AddClientButton({ type }: { type: string }) {
  const addPane = usePaneParam('add', 'client');
  return (
    <Button id={ADD_CLIENT_BUTTON_ID} onClick={addPane.open} onPointerEnter={() => preloadAddClientSheet(type)} onFocus={() => preloadAddClientSheet(type)}>
      <Plus aria-hidden="true" className="h-4 w-4" />
      Add Client
    </Button>
  );
}

/**
 * Client Type, the search box and Add Client. Search and type live in the URL (server-side filtering). On a phone:
 * Client Type and Add Client on one line, the search under them (order-last). `showAdd` false: the empty list offers Add Client.
 */
/** The "Unused for N days" filter: a link that turns `?unused=1` on or off, keeping the search and the type. */
export type UnusedFilter = { days: number; on: boolean; href: string };

export function ClientsToolbar({
  q,
  type,
  showAdd = true,
  unused,
}: {
  q: string;
  type: string;
  showAdd?: boolean;
  unused?: UnusedFilter;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
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
      <div className="min-w-0 flex-1 space-y-1 sm:w-60 sm:flex-none">
        <label htmlFor="client-type" className="block text-sm font-medium text-slate-800">
          Client Type
        </label>
        <Select
          id="client-type"
          value={type}
          onValueChange={(value) => go({ type: value === 'client_credentials' ? '' : value })}
          options={CLIENT_TYPES.map((t) => ({ value: t.value, label: t.label }))}
        />
      </div>
      <form
        role="search"
        aria-label="Search clients"
        className="order-last flex w-full items-end gap-2 sm:order-none sm:w-auto"
        onSubmit={(e) => {
          e.preventDefault();
          go({ q: search.trim() });
        }}
      >
        {/* Before hydration the form submits itself: the type and the unused filter stay in the address. */}
        {type !== 'client_credentials' && <input type="hidden" name="type" value={type} />}
        {unused?.on && <input type="hidden" name="unused" value="1" />}
        <div className="min-w-0 flex-1 space-y-1 sm:w-72 sm:flex-none">
          <label htmlFor="client-search" className="block text-sm font-medium text-slate-800">
            Search
          </label>
          <div className="relative">
            <Search aria-hidden="true" className="pointer-events-none absolute top-1/2 left-3 h-4 w-4 -translate-y-1/2 text-slate-500" />
            <input
              id="client-search"
              name="q"
              type="search"
              value={search}
              onChange={(e) => setSearch(e.target.value)}
              placeholder="Name or Client Id"
              maxLength={100}
              className="block h-9 w-full rounded-md border border-slate-300 bg-white pr-3 pl-9 text-sm shadow-sm placeholder:text-slate-500 focus:border-brand-600 focus:outline-2 focus:outline-brand-600/30"
            />
          </div>
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
      {unused && (
        <Link
          href={unused.href}
          className={`order-last inline-flex h-9 items-center gap-2 rounded-md border px-3 text-sm font-medium shadow-sm focus-visible:outline-2 sm:order-none focus-visible:outline-brand-600 ${
            unused.on ? 'border-brand-600 bg-brand-50 text-brand-700' : 'border-slate-300 bg-white text-slate-700 hover:bg-slate-50'
          }`}
        >
          {unused.on ? <CheckSquare aria-hidden="true" className="h-4 w-4" /> : <Square aria-hidden="true" className="h-4 w-4 text-slate-500" />}
          Unused for {unused.days} days
          <span className="sr-only">{unused.on ? '(filter on)' : '(filter off)'}</span>
        </Link>
      )}
      {/* After the search in the document (and so in Tab order), as on wide screens; on a phone it sits beside Client Type. */}
      {showAdd && (
        <div className="sm:ml-auto" role="toolbar" aria-label="Clients">
          <AddClientButton type={type} />
        </div>
      )}
    </div>
  );
}
