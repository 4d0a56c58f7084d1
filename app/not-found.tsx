import { SearchX } from 'lucide-react';
import { Link } from '@/components/ui/link';
import { buttonClasses } from '@/components/ui/button';

export default function NotFound() {
  return (
    <main className="mx-auto mt-16 max-w-lg px-4 sm:mt-24">
      <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm sm:p-8">
        <span aria-hidden="true" className="flex h-11 w-11 items-center justify-center rounded-full bg-brand-50 text-brand-600">
          <SearchX className="h-5 w-5" />
        </span>
        <h1 className="mt-4 text-xl font-semibold">Page not found</h1>
        <p className="mt-2 text-slate-700">There is nothing at this address, or it was removed.</p>
        <Link className={`mt-6 ${buttonClasses({ variant: 'secondary' })}`} href="/security/clients">
          Go to Clients
        </Link>
      </div>
    </main>
  );
}
