// What a `tamis worker` does: take batches of input files from the queue and
// ingest each with the ordinary pipeline (the same code as a local ingest),
// reading the files from the shared blob store. A batch that throws is
// retried by the queue; the writes are idempotent, so a retry after a crash
// duplicates nothing.
import type { BlobStore } from '../store/blobs/blob-store.ts';
import type { Store } from '../store/store.ts';
import { extractPool, ingest, type IngestOptions } from '../ingest/pipeline.ts';
import type { WorkQueue } from './queue.ts';
import type { IngestStats } from '../ingest/ingest-stats.ts';

export interface WorkerOptions extends Omit<IngestOptions, 'store' | 'blobs' | 'inputs' | 'queued' | 'retryFailed' | 'onProgress'> {
  /** Parser threads; a batch holds a few files per thread so none sits idle. */
  concurrency: number;
  /** Return once the queue has stayed empty this long (for scripts and tests); otherwise run until stopped. */
  exitWhenIdleMs?: number;
  onBatch?: (stats: IngestStats) => void;
}

export async function runWorker(store: Store, blobs: BlobStore, queue: WorkQueue, options: WorkerOptions): Promise<{ batches: number; files: number }> {
  const done = { batches: 0, files: 0 };
  let busy = 0;
  const { concurrency, exitWhenIdleMs, onBatch, ...ingestOptions } = options;
  const pool = extractPool({ ...ingestOptions, workers: concurrency }, blobs);
  await queue.work(concurrency * 4, async (jobs) => {
    busy++;
    try {
      const stats = await ingest({ ...ingestOptions, store, blobs, inputs: [], queued: jobs, workers: concurrency, pool });
      await store.flush();
      done.batches++;
      done.files += jobs.length;
      onBatch?.(stats);
    } finally {
      busy--;
    }
  });
  if (exitWhenIdleMs === undefined) return new Promise(() => { /* until a signal stops the process */ });
  let idleSince = Date.now();
  for (;;) {
    await new Promise((r) => setTimeout(r, 500));
    const c = await queue.counts();
    if (busy > 0 || c.waiting > 0 || c.active > 0) idleSince = Date.now();
    else if (Date.now() - idleSince >= exitWhenIdleMs) break;
  }
  await queue.stop();
  await pool.close();
  return done;
}
