'use client';

import { RefreshCw, TriangleAlert } from 'lucide-react';
import { Link } from '@/components/ui/link';
import { Button, buttonClasses } from '@/components/ui/button';

/**
 * A page of the console failed on the server (the database is unreachable, a bug). The shell stays; this says what
 * happened and what to do. Nothing from the error itself is shown: it could carry internals. The digest lets an
 * operator find the server's log line.
 */
export default function ConsoleError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <section className="mx-auto mt-10 max-w-lg rounded-lg border border-slate-200 bg-white p-6 shadow-sm sm:mt-16 sm:p-8">
      <span aria-hidden="true" className="flex h-11 w-11 items-center justify-center rounded-full bg-red-50 text-red-700">
        <TriangleAlert className="h-5 w-5" />
      </span>
      <h1 className="mt-4 text-xl font-semibold">This page could not be loaded</h1>
      <p className="mt-2 text-sm text-slate-700">
        The server could not complete the request. Nothing was changed. Try again in a moment; if it keeps happening, tell
        your operator{error.digest ? ' this reference' : ''}.
      </p>
      {error.digest && (
        <p className="mt-2 text-sm text-slate-700">
          Reference: <code className="font-mono">{error.digest}</code>
        </p>
      )}
      <div className="mt-6 flex flex-wrap gap-2">
        <Button onClick={reset}>
          <RefreshCw aria-hidden="true" className="h-4 w-4" />
          Try again
        </Button>
        <Link href="/security/clients" className={buttonClasses({ variant: 'secondary' })}>
          Go to Clients
        </Link>
      </div>
    </section>
  );
}
