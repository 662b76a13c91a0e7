import { afterAll, expect, it } from 'vitest';
import { WorkerPool } from '../../src/ingest/worker-pool.ts';
import { TamisError } from '../../src/core/errors.ts';

type Req = { action: 'echo' | 'loop' | 'crash' | 'oom'; value?: number };
const pool = new WorkerPool<Req, number>({
  script: new URL('../helpers/looping-worker.ts', import.meta.url),
  size: 2,
  timeoutMs: 1500,
  resourceLimits: { maxOldGenerationSizeMb: 64 },
});
afterAll(() => pool.close());

async function failure(p: Promise<unknown>): Promise<string> {
  try { await p; return 'resolved'; } catch (err) { return (err as TamisError).code; }
}

it('runs jobs on both workers', async () => {
  expect(await Promise.all([1, 2, 3, 4, 5].map((value) => pool.run({ action: 'echo', value })))).toEqual([2, 4, 6, 8, 10]);
});

it('kills a worker that runs past the time limit, fails only that job, and keeps going', async () => {
  const stuck = failure(pool.run({ action: 'loop' }));
  const fine = pool.run({ action: 'echo', value: 21 });
  expect(await fine).toBe(42);
  expect(await stuck).toBe('E_TIMEOUT');
  expect(await pool.run({ action: 'echo', value: 1 })).toBe(2);
  expect(pool.size).toBe(2);
});

it('replaces a worker that crashes or runs out of memory', async () => {
  expect(await failure(pool.run({ action: 'crash' }))).toBe('E_WORKER_CRASH');
  expect(await failure(pool.run({ action: 'oom' }))).toBe('E_OUT_OF_MEMORY');
  expect(await Promise.all([pool.run({ action: 'echo', value: 3 }), pool.run({ action: 'echo', value: 4 })])).toEqual([6, 8]);
});

it('runs workers as processes under a heap cap: one that runs out of memory dies alone, with E_OUT_OF_MEMORY', async () => {
  const procs = new WorkerPool<Req, number>({ script: new URL('../helpers/looping-worker.ts', import.meta.url), size: 2, timeoutMs: 5000, processHeapMb: 64 });
  try {
    expect(await Promise.all([1, 2, 3].map((value) => procs.run({ action: 'echo', value })))).toEqual([2, 4, 6]);
    const oom = procs.run({ action: 'oom' }).then(() => 'resolved', (err: TamisError) => `${err.code} ${err.message}`);
    const fine = procs.run({ action: 'echo', value: 5 });
    expect(await oom).toMatch(/^E_OUT_OF_MEMORY .*64 MB heap cap/);
    expect(await fine).toBe(10);
    expect(await failure(procs.run({ action: 'crash' }))).toBe('E_WORKER_CRASH');
    expect(await procs.run({ action: 'echo', value: 7 })).toBe(14);
    expect(procs.size).toBe(2);
  } finally {
    await procs.close();
  }
});
