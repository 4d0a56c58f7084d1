import { sql } from 'drizzle-orm';
import type { Db } from '../db';
import { deliverDue, type DeliveryContext } from './delivery';
import { createMailer, smtpConfig, type Mailer } from './email';
import { forwardAuditEvents, scanExpiries, scanFailureSpikes, scanUnusedClients } from './scans';
import { compactUsage } from '../usage/queries';

/**
 * The notification scheduler: runs on every instance, and the instances share the work through PostgreSQL. Each scan
 * is a row of scheduler_jobs: the instance that locks it (FOR UPDATE SKIP LOCKED) and finds it due runs it, the others
 * pass; what a scan finds goes into the outbox under a unique key, so even two runs of a scan create each alert once.
 * Deliveries are claimed row by row (lib/notifications/delivery.ts). The clock is injected: tests drive it.
 */
export type SchedulerOptions = {
  now?: () => Date;
  mailer?: Mailer | null;
  consoleUrl?: string | null;
  /** Tests: a scheduler_jobs namespace of their own, so runs of other files or earlier runs do not make a scan "not due". */
  jobNamespace?: string;
};

export const TICK_MS = 30_000;
const JOBS = [
  { name: 'expiry-scan', everyMs: 5 * 60_000, run: scanExpiries },
  { name: 'unused-scan', everyMs: 60 * 60_000, run: scanUnusedClients },
  { name: 'audit-forward', everyMs: 0, run: forwardAuditEvents },
  { name: 'failure-spikes', everyMs: 60_000, run: scanFailureSpikes },
  { name: 'usage-compact', everyMs: 60 * 60_000, run: compactUsage },
] as const;

function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}

export class NotificationScheduler {
  private readonly now: () => Date;
  private readonly ctx: DeliveryContext;
  private readonly namespace: string;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly db: Db,
    options: SchedulerOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    const smtp = smtpConfig();
    this.ctx = {
      db,
      now: this.now,
      mailer: options.mailer !== undefined ? options.mailer : smtp ? createMailer(smtp) : null,
      consoleUrl: options.consoleUrl !== undefined ? options.consoleUrl : (process.env.AUTH_URL?.replace(/\/+$/, '') ?? null),
    };
    this.namespace = options.jobNamespace ? `${options.jobNamespace}:` : '';
  }

  get deliveryContext(): DeliveryContext {
    return this.ctx;
  }

  /** One job, if this instance gets its row and it is due; the scan's writes commit with the job's run time. */
  private async runJob(job: (typeof JOBS)[number], now: Date): Promise<number> {
    const name = this.namespace + job.name;
    await this.db.execute(sql`insert into scheduler_jobs (name) values (${name}) on conflict do nothing`);
    return this.db.transaction(async (tx) => {
      const [row] = rowsOf<{ last_run_at: string | Date | null }>(
        await tx.execute(sql`select last_run_at from scheduler_jobs where name = ${name} for update skip locked`),
      );
      if (!row) return 0; // another instance is running it right now
      const last = row.last_run_at ? new Date(row.last_run_at).getTime() : null;
      if (last !== null && last <= now.getTime() && now.getTime() - last < job.everyMs) return 0;
      const created = await job.run(tx, now);
      await tx.execute(sql`update scheduler_jobs set last_run_at = ${now.toISOString()}::timestamptz where name = ${name}`);
      return created;
    });
  }

  /** One tick: the due scans, then every due delivery. */
  async runOnce(): Promise<{ created: number; attempts: number }> {
    const now = this.now();
    let created = 0;
    for (const job of JOBS) created += await this.runJob(job, now);
    const attempts = await deliverDue(this.ctx);
    return { created, attempts };
  }

  start(intervalMs = TICK_MS) {
    this.timer ??= setInterval(() => {
      if (this.running) return;
      this.running = this.runOnce()
        .catch((err) => console.error('[notifications] scheduler run failed:', (err as Error).message.split('\n')[0]))
        .finally(() => {
          this.running = null;
        });
    }, intervalMs);
    this.timer.unref();
  }

  async stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
