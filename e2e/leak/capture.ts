/**
 * What the secret-leak check collects, and the search over it. Every source is plain text with a name that says
 * where it came from, so a hit can be reported as "server log, line 12" or "browser response #88 GET /security/...".
 */
import type { BrowserContext, Request, Response } from '@playwright/test';

export type Source = { where: string; text: string };

/** A secret the run was given once: by a one-time dialog, a 201 answer of the REST API. */
export type IssuedSecret = {
  label: string;
  clientId: string;
  value: string;
  /** Browser responses with seq in [from, to] may carry it to its dialog (exactly one does). */
  window?: { from: number; to: number };
};

type BrowserResponse = {
  seq: number;
  method: string;
  url: string;
  status: number;
  /** Status line, headers and body; null when the browser could not give the body. */
  text: string | null;
  bodyError?: string;
};

/**
 * Every response the browser context receives (headers and body) and every request it sends, numbered in the order
 * they happen. Bodies are read asynchronously: call settle() before looking at them.
 */
export class BrowserCapture {
  private nextSeq = 0;
  readonly responses: BrowserResponse[] = [];
  readonly requests: Source[] = [];
  private pending: Promise<void>[] = [];

  constructor(context: BrowserContext) {
    context.on('response', (response) => this.onResponse(response));
    context.on('request', (request) => this.onRequest(request));
  }

  /** The number the next response will get: take it before an action and after it to bracket its responses. */
  get seq() {
    return this.nextSeq;
  }

  private onRequest(request: Request) {
    this.pending.push(
      request.allHeaders().then(
        (headers) => {
          this.requests.push({
            where: `browser request ${request.method()} ${request.url()}`,
            text: `${request.method()} ${request.url()}\n${headerText(headers)}\n\n${request.postData() ?? ''}`,
          });
        },
        () => {
          this.requests.push({ where: `browser request ${request.method()} ${request.url()}`, text: `${request.url()}\n${request.postData() ?? ''}` });
        },
      ),
    );
  }

  private onResponse(response: Response) {
    const entry: BrowserResponse = {
      seq: this.nextSeq++,
      method: response.request().method(),
      url: response.url(),
      status: response.status(),
      text: null,
    };
    this.responses.push(entry);
    this.pending.push(
      (async () => {
        const headers = await response.allHeaders().catch(() => response.headers());
        const head = `${entry.status} ${entry.method} ${entry.url}\n${headerText(headers)}\n\n`;
        try {
          entry.text = head + (await response.body()).toString('utf8');
        } catch (err) {
          // Redirects have no body to give; anything else is recorded and judged by the caller.
          entry.bodyError = (err as Error).message.split('\n')[0];
          entry.text = head;
        }
      })(),
    );
  }

  /** Wait until every body seen so far has been read (new ones may arrive meanwhile: loop until quiet). */
  async settle() {
    while (this.pending.length) {
      const batch = this.pending;
      this.pending = [];
      await Promise.all(batch);
    }
  }

  responseSources(): (Source & { seq: number })[] {
    return this.responses.map((r) => ({ seq: r.seq, where: `browser response #${r.seq} ${r.method} ${r.url} (${r.status})`, text: r.text ?? '' }));
  }

  unreadBodies() {
    return this.responses.filter((r) => r.bodyError);
  }
}

/** Responses the test itself received from the REST API and the token endpoints (Node's fetch). */
export class ApiCapture {
  readonly responses: (Source & { carries?: string })[] = [];

  async call(origin: string, method: string, path: string, init: { headers?: Record<string, string>; body?: string; carries?: boolean } = {}) {
    const res = await fetch(origin + path, { method, headers: init.headers, body: init.body });
    const text = await res.text();
    const headers: Record<string, string> = {};
    res.headers.forEach((v, k) => (headers[k] = v));
    const entry: Source & { carries?: string } = {
      where: `API response #${this.responses.length} ${method} ${path} (${res.status})`,
      text: `${res.status} ${method} ${path}\n${headerText(headers)}\n\n${text}`,
    };
    this.responses.push(entry);
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
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
            hits.push({ secret: secret.label, kind: needle.kind, where: source.where, line, context });
          }
          at = source.text.indexOf(needle.value, at + 1);
        }
      }
    }
  }
  return hits;
}
