/**
 * Sign in to the console over plain HTTP, as a browser without JavaScript does: load /sign-in, post its form
 * (React renders the server action's hidden $ACTION_ fields into it) with email and password, keep the cookies.
 * For scripts and tests that need a console session without a browser.
 */
export class CookieJar {
  private jar = new Map<string, string>();
  take(res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      // An expired or emptied cookie is a deletion.
      if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(c)) this.jar.delete(name);
      else this.jar.set(name, value);
    }
  }
  get(name: string) {
    return this.jar.get(name);
  }
  header() {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

const decode = (v: string) =>
  v.replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The hidden inputs of the first form labelled `formLabel` in a page's HTML. */
export function hiddenFields(html: string, formLabel: string): [string, string][] {
  const start = html.indexOf(`aria-label="${formLabel}"`);
  if (start < 0) throw new Error(`no form "${formLabel}" in the page`);
  const end = html.indexOf('</form>', start);
  const form = html.slice(start, end);
  const fields: [string, string][] = [];
  for (const m of form.matchAll(/<input([^>]*)>/g)) {
    const attrs = m[1];
    if (!/type="hidden"/.test(attrs)) continue;
    const name = /name="([^"]*)"/.exec(attrs)?.[1];
    const value = /value="([^"]*)"/.exec(attrs)?.[1] ?? '';
    if (name) fields.push([decode(name), decode(value)]);
  }
  return fields;
}

/** POST a page's server-action form without JavaScript; returns the answer (redirects not followed). */
export async function postPageForm(
  base: string,
  path: string,
  formLabel: string,
  values: Record<string, string>,
  jar: CookieJar,
  headers: Record<string, string> = {},
): Promise<Response> {
  const page = await fetch(`${base}${path}`, { headers: { Cookie: jar.header(), ...headers } });
  jar.take(page);
  const body = new FormData();
  for (const [k, v] of hiddenFields(await page.text(), formLabel)) body.append(k, v);
  for (const [k, v] of Object.entries(values)) body.set(k, v);
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { Cookie: jar.header(), Origin: base, ...headers },
    body,
  });
  jar.take(res);
  return res;
}

/** Sign in with email and password; the jar then holds the session cookie. Throws when no session results. */
export async function signInOverHttp(base: string, email: string, password: string, jar = new CookieJar(), headers: Record<string, string> = {}) {
  const res = await postPageForm(base, '/sign-in', 'Sign in', { email, password }, jar, headers);
  if (res.status !== 303 || ![...jar.header().matchAll(/authjs\.session-token/g)].length) {
    throw new Error(`sign-in as ${email} failed (HTTP ${res.status})`);
  }
  return jar;
}
