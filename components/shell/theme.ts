/**
 * The reader's colour theme: 'light' or 'dark' when chosen in the account menu, 'system' (no cookie) to follow the
 * operating system. A plain cookie, not a session value: it says nothing about the user and works on the sign-in page.
 * The server reads it into <html data-theme>, so the first paint is already right.
 */
export const THEME_COOKIE = 'theme';
export const THEMES = ['light', 'dark', 'system'] as const;
export type Theme = (typeof THEMES)[number];

export function parseTheme(value: string | undefined | null): Theme {
  return value === 'light' || value === 'dark' ? value : 'system';
}

/** Stores the choice for a year (or forgets it for 'system') and applies it to the page at once. */
export function applyTheme(theme: Theme) {
  const secure = location.protocol === 'https:' ? '; Secure' : '';
  document.cookie =
    theme === 'system'
      ? `${THEME_COOKIE}=; Path=/; Max-Age=0; SameSite=Lax${secure}`
      : `${THEME_COOKIE}=${theme}; Path=/; Max-Age=31536000; SameSite=Lax${secure}`;
  if (theme === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
}
