/**
 * For e2e/ops.spec.ts: the production server as an operator runs it (`npm start`, or `node dist/server.js`), its JSON
 * log lines, a TCP proxy in front of PostgreSQL that the test can cut, a strict Prometheus text parser, and fresh
 * PostgreSQL databases.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { expect } from '@playwright/test';

export type LogLine = Record<string, unknown> & { level: string; time: string; msg: string };

export type RunningServer = {
  pid: number;
  origin: string;
  /** Every line the process wrote (stdout and stderr), as received. */
  output: () => string;
  /** The JSON log lines (npm's own "> tenant-security-console start" banner is not ours and is skipped). */
  lines: () => LogLine[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  hasExited: () => boolean;
  kill: (signal?: NodeJS.Signals) => void;
};

export function startServer(opts: { port: number; env: Record<string, string | undefined>; npm?: boolean }): RunningServer {
  if (!fs.existsSync('dist/server.js')) throw new Error('dist/server.js is missing: run `npm run build` (or `npm run build:server`) first.');
  const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', PORT: String(opts.port), HOST: '127.0.0.1' };
  delete env.DATABASE_URL;
  delete env.PGLITE_DIR;
  delete env.AUTH_URL;
  for (const [k, v] of Object.entries(opts.env)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  // `npm start` exactly as an operator types it (package.json: NODE_ENV=production exec node dist/server.js).
  const child: ChildProcess = opts.npm
    ? spawn('npm', ['start', '--silent'], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(process.execPath, ['dist/server.js'], { env: { ...env, NODE_ENV: (opts.env.NODE_ENV ?? 'production') as 'production' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => {
      done = true;
      resolve({ code, signal });
    }),
  );
  return {
    pid: child.pid!,
    origin: `http://127.0.0.1:${opts.port}`,
    output: () => out,
    lines: () =>
      out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as LogLine),
    exited,
    hasExited: () => done,
    kill: (signal = 'SIGTERM') => {
      if (done) return;
      // SIGKILL cannot be forwarded: npm would die and leave the server running, so its children get it first.
      if (signal === 'SIGKILL') for (const pid of descendants(child.pid!).reverse()) process.kill(pid, 'SIGKILL');
      child.kill(signal);
    },
  };
}

export async function waitReady(server: RunningServer, url = `${server.origin}/health/ready`) {
  await expect
    .poll(
      async () => {
        if (server.hasExited()) throw new Error(`the server exited before it was ready:\n${server.output()}`);
        try {
          return (await fetch(url)).status;
        } catch {
          return 0;
        }
      },
      { timeout: 90_000, intervals: [250] },
    )
    .toBe(200);
}

/** Process ids below `pid` (children, grandchildren...), from ps. */
export function descendants(pid: number): number[] {
  const ps = spawnSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' }).stdout;
  const children = new Map<number, number[]>();
  for (const line of ps.trim().split('\n')) {
    const [p, pp] = line.trim().split(/\s+/).map(Number);
    children.set(pp, [...(children.get(pp) ?? []), p]);
  }
  const out: number[] = [];
  const visit = (p: number) => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      visit(c);
    }
  };
  visit(pid);
  return out;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A TCP proxy to PostgreSQL: `cut()` drops every connection and refuses new ones (as a stopped database does). */
export class DatabaseProxy {
  private server: net.Server | null = null;
  private sockets = new Set<net.Socket>();
  port = 0;

  constructor(
    private readonly target: { host: string; port: number },
  ) {}

  async open() {
    const server = net.createServer((client) => {
      const upstream = net.connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {});
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', () => resolve()));
    this.port = (server.address() as net.AddressInfo).port;
    this.server = server;
  }

  async cut() {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  close() {
    return this.cut();
  }
}

export { dropDatabase, freshDatabase } from '../lib/testing/postgres-databases';

/** A request with a Host header of our choosing (fetch does not let one be set). */
export function rawRequest(
  origin: string,
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  const u = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: u.hostname, port: u.port, path, method: opts.method ?? 'GET', headers: opts.headers, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

export type Sample = { name: string; labels: Record<string, string>; value: number };

/**
 * Prometheus text exposition format 0.0.4, strictly: every line is a # HELP, a # TYPE or a sample
 * (`name{label="value",...} number`); anything else throws with the line.
 */
export function parsePrometheus(text: string): { samples: Sample[]; types: Map<string, string> } {
  const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
  const LABEL = '[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*"';
  const VALUE = '(?:[-+]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][-+]?\\d+)?|[-+]?Inf|NaN)';
  const sample = new RegExp(`^(${NAME})(?:\\{((?:${LABEL})(?:,${LABEL})*)?,?\\})? (${VALUE})(?: -?\\d+)?$`);
  const help = new RegExp(`^# HELP ${NAME} .*$`);
  const type = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '' || help.test(line)) continue;
    const t = type.exec(line);
    if (t) {
      types.set(t[1], t[2]);
      continue;
    }
    const m = sample.exec(line);
    if (!m) throw new Error(`not Prometheus text format: ${JSON.stringify(line)}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
    samples.push({ name: m[1], labels, value: Number(m[3].replace(/^\+?Inf$/, 'Infinity').replace(/^-Inf$/, '-Infinity')) });
  }
  return { samples, types };
}

export function sampleValue(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return found.reduce((sum, s) => sum + s.value, 0);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}
