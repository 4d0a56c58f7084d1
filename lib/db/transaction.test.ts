import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '.';
import { createTestDb } from '../testing/db';
import { inTransaction } from './transaction';

let handle: DbHandle;
// A table of this run's own (the PostgreSQL test database is shared by the test files).
const probe = sql.identifier(`tx_probe_${process.pid}_${Math.random().toString(36).slice(2, 8)}`);
beforeAll(async () => {
  handle = await createTestDb();
  await handle.db.execute(sql`create table ${probe} (n int)`);
});
afterAll(async () => {
  await handle.db.execute(sql`drop table if exists ${probe}`);
  await handle.close();
});

const rows = async () => (await handle.db.execute(sql`select n from ${probe} order by n`)) as unknown as { rows: { n: number }[] };

describe('inTransaction', () => {
  it('runs the hooks after the commit, in order, once per key: the committed rows are visible to them', async () => {
    const seen: string[] = [];
    const result = await inTransaction(handle.db, async (tx, afterCommit) => {
      await tx.execute(sql`insert into ${probe} values (1)`);
      afterCommit(async () => {
        seen.push(`first sees ${(await rows()).rows.map((r) => r.n).join(',')}`);
      }, 'client:a');
      afterCommit(() => void seen.push('second'));
      afterCommit(() => void seen.push('first again'), 'client:a');
      expect(seen).toEqual([]);
      return 'done';
    });
    expect(result).toBe('done');
    expect(seen).toEqual(['first sees 1', 'second']);
  });

  it('runs no hook when the transaction rolls back, and writes nothing', async () => {
    const seen: string[] = [];
    await expect(
      inTransaction(handle.db, async (tx, afterCommit) => {
        await tx.execute(sql`insert into ${probe} values (2)`);
        afterCommit(() => void seen.push('announced'));
        throw new Error('a later step failed');
      }),
    ).rejects.toThrow('a later step failed');
    expect(seen).toEqual([]);
    expect((await rows()).rows.map((r) => r.n)).toEqual([1]);
  });
});
