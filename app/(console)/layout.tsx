import { cookies } from 'next/headers';
import { connection } from 'next/server';
import { getSessionUser } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { getTenantName } from '@/lib/tenants/queries';
import { AppShell } from '@/components/shell/app-shell';
import { parseTheme, THEME_COOKIE } from '@/components/shell/theme';

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  await connection();
  const user = await getSessionUser();
  // Each page sends an anonymous visitor to sign-in with its own return address; nothing is rendered here without a user.
  if (!user) return <>{children}</>;
  const [tenantName, cookieStore] = await Promise.all([getTenantName(await getDb(), user.tenantId), cookies()]);
  return (
    <AppShell
      user={{ name: user.name, email: user.email, isAdmin: user.roleTypes.includes('tenant_administrator') }}
      tenantName={tenantName}
      theme={parseTheme(cookieStore.get(THEME_COOKIE)?.value)}
    >
      {children}
    </AppShell>
  );
}
