// The ingest job: walk the inputs, extract every item in the worker pool,
// record each result in one store transaction, then descend into children.
// Idempotent by construction (items are keyed by SHA-256, occurrences by
// path), so a killed run is resumed by running it again; the inputs ledger
// only saves re-reading files that were already finished.
import { availableParallelism } from 'node:os';
import { TamisError, toFailure } from '../core/errors.ts';
import type { BlobStore } from '../store/blobs/blob-store.ts';
import type { ChildRecord, FailureRecord, InputRecord, Occurrence, Role, Store } from '../store/store.ts';
import type { ExtractRequest, ExtractResponse } from './extract-task.ts';
import { keepUnparsed } from './keep-unparsed.ts';
import { kindOf } from './kind.ts';
import { WorkerPool } from './worker-pool.ts';
import { sweepTemporaryFiles } from '../store/blobs/blob-writer.ts';
import { walkInputs } from './walk.ts';
import { IngestStats } from './ingest-stats.ts';
import { DEFAULT_LIMITS, type Limits } from '../core/limits.ts';
import type { InputJob } from '../queue/queue.ts';

export interface IngestOptions {
  store: Store;
  blobs: BlobStore;
  inputs: string[];
  workers?: number;
  maxDepth?: number;
  timeoutMs?: number;
  maxTextChars?: number;
  /** OCR images and scanned PDFs (default true). */
  ocr?: boolean;
  limits?: Partial<Limits>;
  /** Heap cap of each parser, in MiB: parsers then run as processes, and an item that needs more fails with E_OUT_OF_MEMORY (default: threads with a 4096 MiB cap). */
  maxWorkerMemoryMb?: number;
  /** Files and blobs larger than this are read as a stream (default 64 MiB); for tests. */
  streamAboveBytes?: number;
  /** First run again what failed before (items that failed, jobs that timed out or crashed). */
  retryFailed?: boolean;
  /** Input files taken from the team queue, already in the blob store (instead of walking `inputs`). */
  queued?: InputJob[];
  /** A parser pool to use (and leave open) instead of starting one. */
  pool?: ExtractPool;
  onProgress?: (stats: IngestStats) => void;
}

interface Job {
  input: InputTracker;
  path: string;
  name: string;
  role: Role;
  sha256: string | null;
  parentSha256: string | null;
  parentPath: string | null;
  depth: number;
  /** SHA-256 of every container above, to stop a zip that holds itself. */
  ancestors: string[];
}

/** The input file a job descends from; `record` is null for retried jobs, which do not touch the ledger. */
interface InputTracker { record: InputRecord | null; pending: number; sha256: string | null; expanded: number }

const MEMBER_SEP = '!/';

export type ExtractPool = WorkerPool<ExtractRequest, ExtractResponse>;

/** The parser pool; a team worker keeps one across batches instead of starting threads for each. */
export function extractPool(options: Pick<IngestOptions, 'workers' | 'timeoutMs' | 'maxWorkerMemoryMb'>, blobs: BlobStore): ExtractPool {
  return new WorkerPool<ExtractRequest, ExtractResponse>({
    script: new URL('./extract-worker.ts', import.meta.url),
    size: Math.max(1, options.workers ?? availableParallelism()),
    timeoutMs: options.timeoutMs ?? 120_000,
    workerData: { blobRoot: blobs.location },
    resourceLimits: { maxOldGenerationSizeMb: 4096 },
    // Under a chosen cap, parsers run in processes: one that reaches it dies alone (pool-process.ts).
    processHeapMb: options.maxWorkerMemoryMb,
  });
}

export async function ingest(options: IngestOptions): Promise<IngestStats> {
  const { store, blobs } = options;
  const maxDepth = options.maxDepth ?? 32;
  const stats = new IngestStats();
  const retries = options.retryFailed ? await store.takeFailedForRetry() : [];
  const { files, problems } = await walkInputs(options.inputs);
  for (const p of problems) {
    await store.recordFailure({ path: p.path, sha256: null, code: p.code, message: `${p.message}` });
    stats.failure(p.code);
  }
  stats.inputsTotal = files.length + (options.queued?.length ?? 0);
  stats.inputBytesTotal = files.reduce((n, f) => n + f.size, 0) + (options.queued ?? []).reduce((n, f) => n + f.size, 0);

  // Temporary copies a worker killed mid-write left behind (a large file past the time limit): only blobs stay.
  // Not in a team worker: other processes share the folder and may be writing right now.
  if (!options.queued) sweepTemporaryFiles(blobs.location);
  const ownPool = !options.pool;
  const pool = options.pool ?? extractPool(options, blobs);
  const maxTextChars = options.maxTextChars ?? 20_000_000;
  const limits: Limits = { ...DEFAULT_LIMITS, ...options.limits };
  const stack: Job[] = retries.map((r) => ({
    input: { record: null, pending: 1, sha256: null, expanded: 0 }, path: r.path, name: r.name, role: r.role,
    sha256: r.sha256, parentSha256: r.parentSha256, parentPath: r.parentPath,
    depth: r.path.split('!/').length - 1, ancestors: r.parentSha256 ? [r.parentSha256] : [],
  }));
  let nextFile = 0;
  let inFlight = 0;
  const limit = pool.size * 4;

  const done = async (job: Job) => {
    if (--job.input.pending === 0 && job.input.record) {
      await store.markInputDone(job.input.record, job.input.sha256);
      stats.inputDone(job.input.record.size);
    }
  };

  const failAt = async (job: Job, code: string, message: string, sha256: string | null = job.sha256) => {
    await store.recordFailure({ path: job.path, sha256, code, message });
    stats.failure(code);
  };

  const descend = async (job: Job, sha256: string, children: ChildRecord[]) => {
    for (const c of [...children].reverse()) {
      const path = job.path + MEMBER_SEP + c.name;
      const child: Job = {
        input: job.input, path, name: c.name, role: c.role, sha256: c.sha256,
        parentSha256: sha256, parentPath: job.path, depth: job.depth + 1, ancestors: [...job.ancestors, sha256],
      };
      if (job.input.expanded + c.size > limits.maxInputExpandedBytes) {
        await failAt(child, 'E_BOMB', `the input file expands past ${limits.maxInputExpandedBytes} bytes across its nested containers`);
      } else if (child.depth > maxDepth) {
        await failAt(child, 'E_TOO_DEEP', `depth ${child.depth} is over the limit of ${maxDepth}`);
      } else if (child.ancestors.includes(c.sha256)) {
        await failAt(child, 'E_RECURSIVE', 'member is byte-identical to a container that holds it');
      } else {
        job.input.expanded += c.size;
        job.input.pending++;
        stack.push(child);
      }
    }
  };

  const occurrenceOf = (job: Job, sha256: string, mime: string, ingestor: string | null): Occurrence => ({
    path: job.path, sha256, parentSha256: job.parentSha256, parentPath: job.parentPath,
    role: job.role, kind: kindOf(job.role, mime, ingestor), name: job.name,
  });

  const handle = async (job: Job) => {
    const known = job.sha256 ? await store.knownItem(job.sha256) : undefined;
    if (known) {
      await store.recordOccurrence(occurrenceOf(job, known.sha256, known.mime, known.ingestor), []);
      stats.occurrence(false, 0);
      await descend(job, known.sha256, known.children);
      return;
    }
    const source = job.sha256 ? { sha256: job.sha256 } : { path: job.input.record!.absPath };
    let res: ExtractResponse;
    try {
      res = await pool.run({ source, name: job.name, maxTextChars, ocr: options.ocr ?? true, limits, streamAbove: options.streamAboveBytes });
    } catch (err) {
      const f = toFailure(err);
      const kept = job.sha256 ? null : await keepUnparsed(job.input.record!.absPath, job.name, blobs, f);
      if (!kept) { await failAt(job, f.code, f.message); return; }
      job.input.sha256 = kept.sha256;
      const occurrence = occurrenceOf(job, kept.sha256, kept.mime, null);
      if (await store.knownItem(kept.sha256)) {
        await store.recordOccurrence(occurrence, []);
        await failAt(job, f.code, f.message, kept.sha256);
      } else {
        await store.recordExtraction(kept, [], occurrence, [{ path: job.path, sha256: kept.sha256, code: f.code, message: f.message, itemSha256: kept.sha256, member: '' }]);
        stats.occurrence(true, kept.size, occurrence.kind);
        stats.failure(f.code);
      }
      return;
    }
    if (job.depth === 0) job.input.sha256 = res.sha256;
    const again = await store.knownItem(res.sha256);
    if (again) {
      await store.recordOccurrence(occurrenceOf(job, again.sha256, again.mime, again.ingestor), []);
      stats.occurrence(false, 0);
      await descend(job, again.sha256, again.children);
      return;
    }
    const failures: FailureRecord[] = [];
    if (res.error) failures.push({ path: job.path, sha256: res.sha256, code: res.error.code, message: res.error.message, itemSha256: res.sha256, member: '' });
    for (const w of res.warnings) {
      const member = w.member ? MEMBER_SEP + w.member : '';
      failures.push({ path: job.path + member, sha256: member ? null : res.sha256, code: w.code, message: w.message, itemSha256: res.sha256, member });
    }
    await store.recordExtraction({
      sha256: res.sha256, size: res.size, mime: res.mime, ingestor: res.ingestor, title: res.title, date: res.date,
      meta: res.meta, text: res.text, status: res.error ? 'failed' : 'done',
      errorCode: res.error?.code ?? null, errorMessage: res.error?.message ?? null,
    }, res.children, occurrenceOf(job, res.sha256, res.mime, res.ingestor), failures);
    stats.occurrence(true, res.size, occurrenceOf(job, res.sha256, res.mime, res.ingestor).kind);
    for (const f of failures) stats.failure(f.code);
    await descend(job, res.sha256, res.children);
  };

  const queued = [...(options.queued ?? [])];
  const nextJob = async (): Promise<Job | undefined> => {
    if (stack.length) return stack.pop();
    while (queued.length) {
      // A queued input is read from the blob store; its ledger entry names the blob.
      const q = queued.shift()!;
      const record: InputRecord = { path: q.path, absPath: `blob:${q.sha256}`, size: q.size, mtimeMs: q.mtimeMs };
      if (await store.inputDone(record)) { stats.inputSkipped(q.size); continue; }
      return {
        input: { record, pending: 1, sha256: q.sha256, expanded: 0 }, path: q.path, name: q.path.split('/').pop()!, role: 'file',
        sha256: q.sha256, parentSha256: null, parentPath: null, depth: 0, ancestors: [],
      };
    }
    while (nextFile < files.length) {
      const f = files[nextFile++]!;
      const record: InputRecord = { path: f.path, absPath: f.absPath, size: f.size, mtimeMs: f.mtimeMs };
      if (await store.inputDone(record)) { stats.inputSkipped(f.size); continue; }
      return {
        input: { record, pending: 1, sha256: null, expanded: 0 }, path: f.path, name: f.path.split('/').pop()!, role: 'file',
        sha256: null, parentSha256: null, parentPath: null, depth: 0, ancestors: [],
      };
    }
    return undefined;
  };

  const progressTimer = options.onProgress ? setInterval(() => options.onProgress!(stats), 200) : null;
  // Commit the open write batch even while a slow item holds the pipeline.
  const flushTimer = setInterval(() => void store.flush(), 1000);
  try {
    await new Promise<void>((resolve, reject) => {
      const pump = async () => {
        while (inFlight < limit) {
          inFlight++; // counted before the await, so a concurrent pump cannot see an idle pipeline
          const job = await nextJob();
          if (!job) { inFlight--; break; }
          handle(job)
            .then(() => done(job))
            .catch(reject)
            .finally(() => { inFlight--; void pump(); });
        }
        if (inFlight === 0 && stack.length === 0 && nextFile >= files.length && queued.length === 0) resolve();
      };
      void pump().catch(reject);
    });
  } catch (err) {
    throw err instanceof TamisError ? err : new TamisError('E_EXTRACT', (err as Error).message, { cause: err });
  } finally {
    if (progressTimer) clearInterval(progressTimer);
    clearInterval(flushTimer);
    await store.flush();
    if (ownPool) await pool.close();
    if (!options.queued) sweepTemporaryFiles(blobs.location);
  }
  options.onProgress?.(stats);
  return stats;
}
