/**
 * What the secret-leak check collects, and the search over it. Every source is plain text with a name that says
 * where it came from, so a hit can be reported as "server log, line 12" or "browser response #88 GET /security/...".
 */
import { randomUUID } from 'node:crypto';
import type { APIResponse, BrowserContext, Request, Route } from '@playwright/test';

export type Source = { where: string; text: string };

/** A secret the run was given once: by a one-time dialog, a 201 answer of the REST API. */
export type IssuedSecret = {
  label: string;
  clientId: string;
  value: string;
  /** For a secret the browser received: the capture's seq just before the request that created it. */
  issuedAfter?: number;
};

type BrowserResponse = {
  seq: number;
  method: string;
  url: string;
  status: number;
  /** The X-Request-Id this request was sent with: the server's access log line for it carries the same id. */
  requestId: string;
  /** Status line, headers and body. */
  text: string;
};

/**
 * Every response the browser context receives (headers and body) and every request it sends, numbered in the order
 * the responses arrive. Each request goes out through route.fetch() and its answer is recorded before it is handed
 * to the page: Chrome's own copy of a body (what response.body() reads) can be gone by the time it is asked for,
 * e.g. after the next navigation ("No data found for resource"), and a missed body would be a silent gap in the check.
 * The context's 'response' events are kept as a cross-check: each must be one of the recorded answers.
 */
export class BrowserCapture {
  private nextSeq = 0;
  readonly responses: BrowserResponse[] = [];
  readonly requests: Source[] = [];
  readonly failures: string[] = [];
  private routed = new WeakSet<Request>();
  readonly unrouted: string[] = [];
  private pending = new Set<Promise<void>>();

  private constructor() {}

  static async attach(context: BrowserContext) {
    const capture = new BrowserCapture();
    await context.route('**/*', (route) => capture.track(capture.onRoute(route)));
    context.on('response', (response) => {
      // A redirect's follow-up request is routed too; only an answer that bypassed the route is a gap.
      if (!capture.routed.has(response.request())) capture.unrouted.push(`${response.request().method()} ${response.url()} (${response.status()})`);
    });
    return capture;
  }

  /** The number the next response will get: take it before an action, to know which responses came after it. */
  get seq() {
    return this.nextSeq;
  }

  private track(p: Promise<void>) {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
    return p;
  }

  private async onRoute(route: Route) {
    const request = route.request();
    this.routed.add(request);
    const method = request.method();
    const url = request.url();
    this.requests.push({
      where: `browser request ${method} ${url}`,
      text: `${method} ${url}\n${headerText(await request.allHeaders().catch(() => request.headers()))}\n\n${request.postData() ?? ''}`,
    });
    let response: APIResponse;
    const requestId = `leak-browser-${randomUUID()}`;
    try {
      // Redirects go back to the browser as they are, so it follows them as it would without the route. Each request
      // gets an id of its own, to find its line in the server's access log.
      const headers = { ...(await request.allHeaders().catch(() => request.headers())), 'x-request-id': requestId };
      response = await route.fetch({ maxRedirects: 0, headers });
    } catch (err) {
      // The page gave up on the request (e.g. navigated away) before an answer came.
      this.failures.push(`${method} ${url}: ${(err as Error).message.split('\n')[0]}`);
      await route.abort().catch(() => {});
      return;
    }
    const body = await response.body();
    const headers = response.headersArray().map(({ name, value }) => `${name}: ${value}`).join('\n');
    this.responses.push({
      seq: this.nextSeq++,
      method,
      url,
      status: response.status(),
      requestId,
      text: `${response.status()} ${method} ${url}\n${headers}\n\n${body.toString('utf8')}`,
    });
    await route.fulfill({ response, body }).catch(() => {});
  }

  /** Wait until every request routed so far has its answer recorded. */
  async settle() {
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  /** What the access log must hold: one line per answered request, by its id. */
  accessExpectations(): AccessExpectation[] {
    return this.responses.map((r) => ({ requestId: r.requestId, method: r.method, path: new URL(r.url).pathname, status: r.status, where: `browser #${r.seq} ${r.method} ${new URL(r.url).pathname}` }));
  }

  responseSources(): (Source & { seq: number })[] {
    return this.responses.map((r) => ({ seq: r.seq, where: `browser response #${r.seq} ${r.method} ${r.url} (${r.status})`, text: r.text }));
  }
}

export type AccessExpectation = { requestId: string; method: string; path: string; status: number; where: string };

/** Responses the test itself received from the REST API and the token endpoints (Node's fetch). */
export class ApiCapture {
  readonly responses: (Source & { carries?: string })[] = [];
  readonly expectations: AccessExpectation[] = [];
  /** Every access, ID and refresh token the endpoints handed out: none may reach the server's log. */
  readonly issuedTokens: { label: string; value: string }[] = [];

  async call(origin: string, method: string, path: string, init: { headers?: Record<string, string>; body?: string; carries?: boolean } = {}) {
    const requestId = `leak-api-${randomUUID()}`;
    const res = await fetch(origin + path, { method, headers: { ...init.headers, 'X-Request-Id': requestId }, body: init.body });
    const text = await res.text();
    const headers: Record<string, string> = {};
    res.headers.forEach((v, k) => (headers[k] = v));
    const entry: Source & { carries?: string } = {
      where: `API response #${this.responses.length} ${method} ${path} (${res.status})`,
      text: `${res.status} ${method} ${path}\n${headerText(headers)}\n\n${text}`,
    };
    this.responses.push(entry);
    this.expectations.push({ requestId, method, path: path.split('?')[0], status: res.status, where: entry.where });
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
    for (const kind of ['access_token', 'id_token', 'refresh_token'] as const) {
      const value = (json as Record<string, unknown> | null)?.[kind];
      if (typeof value === 'string') this.issuedTokens.push({ label: `${kind} from ${entry.where}`, value });
    }
    return {
      status: res.status,
      text,
      json: json as Record<string, unknown> & unknown[],
      headers,
      /** This answer is the one that hands over `secret`: it is not searched for that secret. */
      carries: (secret: string) => (entry.carries = secret),
    };
  }
}

function headerText(headers: Record<string, string>) {
  return Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
}

export type Needle = { secret: IssuedSecret; kind: string; value: string };

/** The forms a leaked secret could take: whole, its random part without the prefix, or the random part cut short. */
export function needlesOf(secret: IssuedSecret): Needle[] {
  const withoutPrefix = secret.value.slice(secret.value.indexOf('_') + 1);
  const body = withoutPrefix.slice(0, 43);
  return [
    { secret, kind: 'secret', value: secret.value },
    { secret, kind: 'random part', value: withoutPrefix },
    { secret, kind: 'random body', value: body },
    { secret, kind: 'first 12 random characters', value: body.slice(0, 12) },
  ];
}

export type Hit = { secret: string; kind: string; where: string; line: number; context: string };

/**
 * Every place a needle occurs, one hit per (secret, source, line), the strongest form first. `exempt(source, secret)`
 * says a source is the one allowed carrier of that secret.
 */
export function findHits(sources: Source[], secrets: IssuedSecret[], exempt: (source: Source, secret: IssuedSecret) => boolean = () => false): Hit[] {
  const hits: Hit[] = [];
  for (const secret of secrets) {
    const needles = needlesOf(secret);
    for (const source of sources) {
      if (exempt(source, secret)) continue;
      const seen = new Set<number>();
      for (const needle of needles) {
        let at = source.text.indexOf(needle.value);
        while (at !== -1) {
          const line = source.text.slice(0, at).split('\n').length;
          if (!seen.has(line)) {
            seen.add(line);
            const context = source.text
              .slice(Math.max(0, at - 60), at + needle.value.length + 60)
              .replaceAll(needle.value, `<${secret.label} ${needle.kind}>`)
              .replace(/\s+/g, ' ');
            const where = source.where.replaceAll(needle.value, `<${secret.label} ${needle.kind}>`);
            hits.push({ secret: secret.label, kind: needle.kind, where, line, context });
          }
          at = source.text.indexOf(needle.value, at + 1);
        }
      }
    }
  }
  return hits;
}
