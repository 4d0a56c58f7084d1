/**
 * A short, readable name for a browser from its User-Agent ("Chrome 156 on Linux"), for the sessions list. Only
 * a few well-known patterns: the full string is shown next to it as a tooltip, so nothing is lost when this guesses.
 */
const BROWSERS: [RegExp, string][] = [
  [/Edg(?:e|A|iOS)?\/(\d+)/, 'Edge'],
  [/OPR\/(\d+)/, 'Opera'],
  [/Firefox\/(\d+)/, 'Firefox'],
  [/FxiOS\/(\d+)/, 'Firefox'],
  [/CriOS\/(\d+)/, 'Chrome'],
  [/(?:Chrome|Chromium)\/(\d+)/, 'Chrome'],
  [/Version\/(\d+)[\d.]* (?:Mobile\/\S+ )?Safari\//, 'Safari'],
  [/curl\/(\d+)/, 'curl'],
];
const SYSTEMS: [RegExp, string][] = [
  [/Windows NT/, 'Windows'],
  [/iPhone|iPad|iPod/, 'iOS'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/Android/, 'Android'],
  [/CrOS/, 'ChromeOS'],
  [/Linux/, 'Linux'],
];

export function describeUserAgent(ua: string | null | undefined): string {
  if (!ua) return 'Unknown browser';
  let browser = 'Unknown browser';
  for (const [re, name] of BROWSERS) {
    const m = re.exec(ua);
    if (m) {
      browser = `${name} ${m[1]}`;
      break;
    }
  }
  const system = SYSTEMS.find(([re]) => re.test(ua))?.[1];
  return system ? `${browser} on ${system}` : browser;
}

const METHODS: Record<string, string> = {
  pwd: 'Password',
  otp: 'Authenticator app',
  hwk: 'Passkey',
  swk: 'Passkey',
  fed: 'Single sign-on',
};

/** How a session signed in, in words ("Password + Authenticator app"); "mfa" itself adds nothing to read. */
export function describeAmr(amr: string[]): string {
  const words = [...new Set(amr.map((a) => METHODS[a] ?? (a === 'mfa' ? '' : a)).filter(Boolean))];
  return words.length ? words.join(' + ') : 'Unknown';
}
