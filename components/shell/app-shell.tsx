import Link from 'next/link';
import { signOutAction } from '@/app/(console)/actions';
import { NavLink } from './nav-link';

export function AppShell({
  user,
  children,
}: {
  user: { name: string; email: string; isAdmin: boolean };
  children: React.ReactNode;
}) {
  return (
    <div className="flex min-h-full flex-col">
      <header className="flex h-14 items-center justify-between border-b border-slate-200 bg-white px-4">
        <Link href="/security/clients" className="font-semibold text-brand-900">
          Tenant Security Console
        </Link>
        <div className="flex items-center gap-3 text-sm">
          <span className="text-slate-700" data-testid="signed-in-user">
            {user.name} <span className="text-slate-500">({user.email})</span>
          </span>
          <form action={signOutAction}>
            <button type="submit" className="rounded-md border border-slate-300 px-3 py-1.5 font-medium hover:bg-slate-50">
              Sign out
            </button>
          </form>
        </div>
      </header>
      <div className="flex flex-1">
        <nav aria-label="Main" className="w-56 shrink-0 border-r border-slate-200 bg-white p-3">
          <p id="nav-security" className="px-2 pt-2 pb-1 text-xs font-semibold tracking-wide text-slate-500 uppercase">
            Security
          </p>
          <ul aria-labelledby="nav-security" className="space-y-0.5">
            <li>
              <NavLink href="/security/clients">Clients</NavLink>
            </li>
            <li>
              <NavLink href="/security/roles">Roles</NavLink>
            </li>
            <li>
              <NavLink href="/security/communities">Communities</NavLink>
            </li>
            <li>
              <NavLink href="/security/users">Users</NavLink>
            </li>
            <li>
              <NavLink href="/security/audit-log">Audit Log</NavLink>
            </li>
            <li>
              <NavLink href="/security/settings">Settings</NavLink>
            </li>
          </ul>
          <p id="nav-developers" className="px-2 pt-4 pb-1 text-xs font-semibold tracking-wide text-slate-500 uppercase">
            Developers
          </p>
          <ul aria-labelledby="nav-developers" className="space-y-0.5">
            <li>
              <NavLink href="/api-docs">API Reference</NavLink>
            </li>
          </ul>
        </nav>
        <main className="min-w-0 flex-1 p-6">{children}</main>
      </div>
    </div>
  );
}
