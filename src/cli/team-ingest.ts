// `tamis ingest --db postgres://…`: queue the inputs for the team's workers,
// work the queue here too (unless --workers 0), wait until it is drained,
// then run the corpus-level analysis once, over everything.
import type { BlobStore } from '../store/blobs/blob-store.ts';
import type { Store } from '../store/store.ts';
import type { IngestOptions } from '../ingest/pipeline.ts';
import { PgBossQueue } from '../queue/pg-boss-queue.ts';
import { enqueueInputs, type EnqueueSummary } from '../queue/enqueue-inputs.ts';
import { runWorker } from '../queue/run-worker.ts';

export interface TeamIngestOptions {
  queueUrl: string;
  inputs: string[];
  /** Parser threads of this process (0: only queue, let the workers do it). */
  workers: number;
  /** Return once queued, without waiting for the workers. */
  noWait: boolean;
  ingest: Omit<IngestOptions, 'store' | 'blobs' | 'inputs' | 'queued' | 'onProgress' | 'workers'>;
  log: (line: string) => void;
}

export async function teamIngest(store: Store, blobs: BlobStore, o: TeamIngestOptions): Promise<{ summary: EnqueueSummary; drained: boolean; lost: number }> {
  const queue = await PgBossQueue.open(o.queueUrl);
  try {
    const summary = await enqueueInputs(store, blobs, queue, o.inputs);
    o.log(`Queued ${summary.queued} files (${summary.alreadyDone} already done${summary.problems ? `, ${summary.problems} unreadable` : ''}).`);
    if (o.noWait) return { summary, drained: false, lost: 0 };
    let lastLine = 0;
    const report = async () => {
      if (Date.now() - lastLine < 5000) return;
      lastLine = Date.now();
      const c = await queue.counts();
      o.log(`queue: ${c.waiting} files waiting, ${c.active} being read by workers`);
    };
    if (o.workers > 0) {
      // This process is one more worker until the queue is empty.
      await runWorker(store, blobs, queue, { ...o.ingest, concurrency: o.workers, exitWhenIdleMs: 2000, onBatch: () => void report() });
    } else {
      let stalledSince = 0;
      let hinted = false;
      for (;;) {
        const c = await queue.counts();
        if (c.waiting === 0 && c.active === 0) break;
        // Jobs wait and nobody takes them: say so once, rather than wait in silence.
        stalledSince = c.active > 0 ? 0 : stalledSince || Date.now();
        if (!hinted && stalledSince && Date.now() - stalledSince > 30_000) {
          o.log(`no worker has taken a job for 30 s: start \`tamis worker --db …\` on a machine that reaches this database and the blob store`);
          hinted = true;
        }
        await report();
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
    // Inputs whose every attempt killed its worker are failures, never silent gaps.
    const failedQueue = o.workers > 0 ? await PgBossQueue.open(o.queueUrl) : queue;
    const lost = await failedQueue.takeFailed();
    for (const job of lost) {
      await store.recordFailure({ path: job.path, sha256: job.sha256, code: 'E_WORKER_CRASH', message: 'The parser process crashed on this item: every worker that took this input file stopped before finishing it' });
    }
    if (failedQueue !== queue) await failedQueue.stop();
    await store.flush();
    return { summary, drained: true, lost: lost.length };
  } finally {
    await queue.stop().catch(() => {});
  }
}
