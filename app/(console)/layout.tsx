import { connection } from 'next/server';
import { getSessionUser } from '@/lib/auth/session';
import { AppShell } from '@/components/shell/app-shell';

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  await connection();
  const user = await getSessionUser();
  // Each page sends an anonymous visitor to sign-in with its own return address; nothing is rendered here without a user.
  if (!user) return <>{children}</>;
  return (
    <AppShell user={{ name: user.name, email: user.email, isAdmin: user.roleTypes.includes('tenant_administrator') }}>
      {children}
    </AppShell>
  );
}
