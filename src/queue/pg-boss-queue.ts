// The work queue on PostgreSQL with pg-boss: jobs live in the investigation's
// own database (schema `tamis_queue`), so a team needs no other service.
import { PgBoss } from 'pg-boss';
import { TamisError } from '../core/errors.ts';
import type { InputJob, QueueCounts, WorkQueue } from './queue.ts';

const QUEUE = 'tamis-ingest';

export interface PgBossQueueOptions {
  /** A worker that sends no heartbeat for this long is presumed dead and its jobs go to another (pg-boss minimum: 10). */
  heartbeatSeconds?: number;
  /** How often an idle worker looks for jobs. */
  pollSeconds?: number;
}

export class PgBossQueue implements WorkQueue {
  private readonly boss: PgBoss;
  private readonly options: Required<PgBossQueueOptions>;
  private constructor(boss: PgBoss, options: Required<PgBossQueueOptions>) { this.boss = boss; this.options = options; }

  static async open(url: string, options: PgBossQueueOptions = {}): Promise<PgBossQueue> {
    const resolved = { heartbeatSeconds: options.heartbeatSeconds ?? 30, pollSeconds: options.pollSeconds ?? 1 };
    const boss = new PgBoss({ connectionString: url, schema: 'tamis_queue', superviseIntervalSeconds: 5, monitorIntervalSeconds: 5 });
    boss.on('error', (err: Error) => process.stderr.write(`tamis: queue: ${err.message}\n`));
    try {
      await boss.start();
      // Created once; an ingest job is tried up to 5 times (a poison file cannot loop forever:
      // its parse failures are recorded as the item's, the job itself succeeds).
      if (!(await boss.getQueue(QUEUE))) {
        // `exclusive`: one waiting or running job per input (path and bytes), so queueing a dump again while
        // the workers are at it (resuming an interrupted `tamis ingest`) adds no duplicate work.
        await boss.createQueue(QUEUE, { policy: 'exclusive', heartbeatSeconds: resolved.heartbeatSeconds, retryLimit: 5, retryDelay: 1, expireInSeconds: 6 * 3600 });
      }
    } catch (err) {
      await boss.stop({ graceful: false }).catch(() => {});
      throw new TamisError('E_QUEUE', `${url.replace(/\/\/[^@/]*@/, '//')}: ${(err as Error).message}`);
    }
    return new PgBossQueue(boss, resolved);
  }

  async enqueue(jobs: InputJob[]): Promise<void> {
    for (let i = 0; i < jobs.length; i += 1000) {
      await this.boss.insert(QUEUE, jobs.slice(i, i + 1000).map((data) => ({ data: { ...data }, singletonKey: `${data.sha256}:${data.path}` })));
    }
  }

  async work(batchSize: number, handler: (jobs: InputJob[]) => Promise<void>): Promise<void> {
    // burstWhenBatchFull: fetch again at once while batches come back full; poll only when the queue runs dry.
    await this.boss.work<InputJob>(QUEUE, { batchSize, pollingIntervalSeconds: this.options.pollSeconds, burstWhenBatchFull: true }, async (jobs) => {
      await handler(jobs.map((j) => j.data));
    });
  }

  /** Read from the job table itself: pg-boss's own statistics lag by a monitor interval. */
  async counts(): Promise<QueueCounts> {
    const { rows } = await this.boss.getDb().executeSql(
      `SELECT state, count(*)::int AS n FROM tamis_queue.job WHERE name = $1 AND state IN ('created', 'retry', 'active', 'failed') GROUP BY state`, [QUEUE]);
    const n = (state: string) => Number((rows as { state: string; n: number }[]).find((r) => r.state === state)?.n ?? 0);
    return { waiting: n('created') + n('retry'), active: n('active'), failed: n('failed') };
  }

  async takeFailed(): Promise<InputJob[]> {
    const { rows } = await this.boss.getDb().executeSql(
      `DELETE FROM tamis_queue.job WHERE name = $1 AND state = 'failed' RETURNING data`, [QUEUE]);
    return (rows as { data: InputJob }[]).map((r) => r.data);
  }

  async stop(): Promise<void> {
    await this.boss.stop({ graceful: true, timeout: 30_000 });
  }
}
