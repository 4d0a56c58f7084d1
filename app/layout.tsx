import type { Metadata, Viewport } from 'next';
import { cookies } from 'next/headers';
import { parseTheme, THEME_COOKIE } from '@/components/shell/theme';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Tenant Security Console', template: '%s · Tenant Security Console' },
  description: 'Manage client-credentials clients, roles and secrets for your tenant.',
};

export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#f8fafc' },
    { media: '(prefers-color-scheme: dark)', color: '#0b1120' },
  ],
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Every page is rendered per request already (its CSP nonce), so reading the theme cookie costs nothing extra.
  const theme = parseTheme((await cookies()).get(THEME_COOKIE)?.value);
  return (
    <html lang="en" data-theme={theme === 'system' ? undefined : theme}>
      <body>{children}</body>
    </html>
  );
}
