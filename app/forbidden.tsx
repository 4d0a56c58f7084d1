import { ShieldAlert } from 'lucide-react';
import { Link } from '@/components/ui/link';
import { buttonClasses } from '@/components/ui/button';

// Shown inside the console shell, which already has the page's <main> landmark.
export default function Forbidden() {
  return (
    <section className="mx-auto mt-10 max-w-lg rounded-lg border border-slate-200 bg-white p-6 shadow-sm sm:mt-16 sm:p-8">
      <span aria-hidden="true" className="flex h-11 w-11 items-center justify-center rounded-full bg-amber-50 text-amber-700">
        <ShieldAlert className="h-5 w-5" />
      </span>
      <h1 className="mt-4 text-xl font-semibold">Tenant Administrator role required</h1>
      <p className="mt-2 text-slate-700">
        Security pages, including Clients, are for Tenant Administrators of your tenant. Your account does not have
        that role. Ask a Tenant Administrator of your tenant to grant it to you.
      </p>
      <div className="mt-6 flex gap-4 text-sm">
        <Link className={buttonClasses({ variant: 'secondary' })} href="/account">
          Your account
        </Link>
      </div>
    </section>
  );
}
