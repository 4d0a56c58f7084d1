import { KeyRound } from 'lucide-react';
import { Link } from '@/components/ui/link';
import { buttonClasses } from '@/components/ui/button';

export default function ClientNotFound() {
  return (
    <section className="max-w-xl rounded-lg border border-slate-200 bg-white p-6 sm:p-8">
      <span aria-hidden="true" className="flex h-11 w-11 items-center justify-center rounded-full bg-brand-50 text-brand-600">
        <KeyRound className="h-5 w-5" />
      </span>
      <h1 className="mt-4 text-xl font-semibold">Client not found</h1>
      <p className="mt-2 text-slate-700">There is no client with this Client Id in your tenant. It may have been removed.</p>
      <Link className={`mt-6 ${buttonClasses({ variant: 'secondary' })}`} href="/security/clients">
        Go to Clients
      </Link>
    </section>
  );
}
