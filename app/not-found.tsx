import Link from 'next/link';

export default function NotFound() {
  return (
    <main className="mx-auto mt-24 max-w-lg rounded-lg border border-slate-200 bg-white p-8 shadow-sm">
      <h1 className="text-xl font-semibold">Page not found</h1>
      <p className="mt-3 text-slate-700">There is nothing at this address, or it was removed.</p>
      <Link className="mt-6 inline-block text-sm font-medium text-brand-700 underline" href="/security/clients">
        Go to Clients
      </Link>
    </main>
  );
}
