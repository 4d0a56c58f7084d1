'use client';

import { BellRing, BookOpen, KeyRound, LayoutDashboard, MonitorSmartphone, Network, ScrollText, Server, Settings, ShieldCheck, UserRound, Users, type LucideIcon } from 'lucide-react';
import { Link } from '@/components/ui/link';
import { usePathname } from 'next/navigation';
import { useStartNavigation, type PageShape } from './navigation-pending';

type Item = { href: string; label: string; icon: LucideIcon; shape?: PageShape };
type Section = { id: string; title: string; items: Item[] };
const DEVELOPERS: Section = { id: 'developers', title: 'Developers', items: [{ href: '/api-docs', label: 'API Reference', icon: BookOpen, shape: 'document' }] };
/** Tenant Administrators: every Security page (each requires that role). */
const ADMIN_SECTIONS: Section[] = [
  {
    id: 'security',
    title: 'Security',
    items: [
      { href: '/overview', label: 'Overview', icon: LayoutDashboard, shape: 'document' },
      { href: '/security/clients', label: 'Clients', icon: KeyRound },
      { href: '/security/apis', label: 'APIs', icon: Server },
      { href: '/security/roles', label: 'Roles', icon: ShieldCheck },
      { href: '/security/communities', label: 'Communities', icon: Network },
      { href: '/security/users', label: 'Users', icon: Users },
      { href: '/security/audit-log', label: 'Audit Log', icon: ScrollText },
      { href: '/security/notifications', label: 'Notifications', icon: BellRing, shape: 'document' },
      { href: '/security/settings', label: 'Settings', icon: Settings, shape: 'document' },
    ],
  },
  DEVELOPERS,
];
/** Everyone else: no Security links that would only lead to the 403 page; their account and the device page instead. */
const MEMBER_SECTIONS: Section[] = [
  {
    id: 'account',
    title: 'Account',
    items: [
      { href: '/account', label: 'Account', icon: UserRound, shape: 'document' },
      { href: '/device', label: 'Connect a device', icon: MonitorSmartphone, shape: 'document' },
    ],
  },
  DEVELOPERS,
];

/**
 * The console's navigation, in the sidebar (wide screens) and in the menu drawer (phones). `idPrefix` keeps the
 * section headings' ids unique when both are in the document. `onNavigate`: the drawer closes when a link is chosen.
 */
export function MainNav({ idPrefix, isAdmin, onNavigate }: { idPrefix: string; isAdmin: boolean; onNavigate?: () => void }) {
  const pathname = usePathname();
  const startNavigation = useStartNavigation();
  return (
    <nav aria-label="Main" className="space-y-4">
      {(isAdmin ? ADMIN_SECTIONS : MEMBER_SECTIONS).map((section) => (
        <div key={section.id}>
          <p id={`${idPrefix}-${section.id}`} className="px-2 pb-1 text-xs font-semibold tracking-wide text-slate-500 uppercase">
            {section.title}
          </p>
          <ul aria-labelledby={`${idPrefix}-${section.id}`} className="space-y-0.5">
            {section.items.map(({ href, label, icon: Icon, shape = 'list' }) => {
              const active = pathname === href || pathname.startsWith(`${href}/`);
              return (
                <li key={href}>
                  <Link
                    href={href}
                    onClick={(e) => {
                      // A plain click navigates here; with a modifier key the browser opens a new tab instead.
                      if (!(e.metaKey || e.ctrlKey || e.shiftKey || e.altKey || e.button !== 0)) startNavigation(href, shape);
                      onNavigate?.();
                    }}
                    aria-current={active ? 'page' : undefined}
                    className={`flex h-9 items-center gap-2.5 rounded-md px-2 text-sm focus-visible:outline-2 focus-visible:outline-brand-600 ${
                      active ? 'bg-brand-50 font-medium text-brand-700' : 'text-slate-700 hover:bg-slate-100 hover:text-slate-900'
                    }`}
                  >
                    <Icon aria-hidden="true" className={`h-4 w-4 shrink-0 ${active ? 'text-brand-600' : 'text-slate-500'}`} />
                    {label}
                  </Link>
                </li>
              );
            })}
          </ul>
        </div>
      ))}
    </nav>
  );
}
