import Link from 'next/link';

// Shown inside the console shell, which already has the page's <main> landmark.
export default function Forbidden() {
  return (
    <section className="mx-auto mt-24 max-w-lg rounded-lg border border-slate-200 bg-white p-8 shadow-sm">
      <h1 className="text-xl font-semibold">Tenant Administrator role required</h1>
      <p className="mt-3 text-slate-700">
        Security pages, including Clients, are for Tenant Administrators of your tenant. Your account does not have
        that role. Ask a Tenant Administrator of your tenant to grant it to you.
      </p>
      <div className="mt-6 flex gap-4 text-sm">
        <Link className="font-medium text-brand-700 underline" href="/account">
          Your account
        </Link>
      </div>
    </section>
  );
}
