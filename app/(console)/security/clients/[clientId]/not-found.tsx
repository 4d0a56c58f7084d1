import Link from 'next/link';

export default function ClientNotFound() {
  return (
    <section className="max-w-xl rounded-lg border border-slate-200 bg-white p-8">
      <h1 className="text-xl font-semibold">Client not found</h1>
      <p className="mt-3 text-slate-700">There is no client with this Client Id in your tenant. It may have been removed.</p>
      <Link className="mt-6 inline-block text-sm font-medium text-brand-700 underline" href="/security/clients">
        Go to Clients
      </Link>
    </section>
  );
}
