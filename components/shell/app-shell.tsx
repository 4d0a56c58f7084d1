import { Link } from '@/components/ui/link';
import { signOutAction } from '@/app/(console)/actions';
import { AccountMenu } from './account-menu';
import { LogoMark } from './logo-mark';
import { MainNav } from './main-nav';
import { MobileNav } from './mobile-nav';
import { NavigationPendingProvider, PendingMain } from './navigation-pending';
import type { Theme } from './theme';

/**
 * The signed-in console: a header (menu button on phones, the mark, the tenant, the account menu), the navigation in
 * a sidebar from the md breakpoint up (a drawer below it), and the page. Nothing in it is wider than a phone.
 */
export function AppShell({
  user,
  tenantName,
  theme,
  children,
}: {
  user: { name: string; email: string; isAdmin: boolean };
  tenantName: string | null;
  theme: Theme;
  children: React.ReactNode;
}) {
  return (
    <NavigationPendingProvider>
      <div className="flex min-h-full flex-col">
        <header className="sticky top-0 z-30 flex h-14 shrink-0 items-center gap-2 border-b border-slate-200 bg-white px-3 sm:gap-3 sm:px-4">
          <MobileNav tenantName={tenantName} isAdmin={user.isAdmin} />
          {/* The landing page: Overview for administrators, their own account for everyone else (Security is theirs only). */}
          <Link
            href={user.isAdmin ? '/overview' : '/account'}
            className="flex min-w-0 items-center gap-2 rounded-md font-semibold text-slate-900 focus-visible:outline-2 focus-visible:outline-brand-600"
          >
            <LogoMark />
            <span className="hidden sm:inline">Security Console</span>
            <span className="sr-only sm:hidden">Security Console</span>
          </Link>
          {tenantName && (
            <p className="flex min-w-0 items-center gap-2 text-sm text-slate-600">
              <span aria-hidden="true" className="text-slate-300">
                /
              </span>
              <span className="sr-only">Tenant</span>
              <span className="truncate font-medium text-slate-800">{tenantName}</span>
            </p>
          )}
          <div className="ml-auto flex shrink-0 items-center gap-2">
            <AccountMenu user={{ name: user.name, email: user.email }} tenantName={tenantName} theme={theme} />
            {/* Without JavaScript the account menu cannot open: Sign out stays one click away. */}
            <noscript>
              <form action={signOutAction}>
                <button type="submit" className="h-10 rounded-md border border-slate-300 px-3 text-sm font-medium">
                  Sign out
                </button>
              </form>
            </noscript>
          </div>
        </header>
        <div className="flex flex-1">
          <aside className="hidden w-60 shrink-0 border-r border-slate-200 bg-white md:block">
            <div className="sticky top-14 p-3">
              <MainNav idPrefix="sidebar-nav" isAdmin={user.isAdmin} />
            </div>
          </aside>
          <main className="min-w-0 flex-1 px-4 py-5 sm:px-6 sm:py-6">
            <PendingMain>{children}</PendingMain>
          </main>
        </div>
      </div>
    </NavigationPendingProvider>
  );
}
