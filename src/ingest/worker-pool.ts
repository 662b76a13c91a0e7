// A fixed pool of worker threads. A job that runs past its time limit, or a
// worker that dies (E_OUT_OF_MEMORY when it reached its heap cap, else
// E_WORKER_CRASH), fails that job with a coded error and the worker is
// replaced: one hostile file never stops a batch.
// Each worker holds up to `depth` jobs: it works through them one at a time,
// so it never waits idle for the main thread to send the next one.
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { TamisError, type ErrorCode } from '../core/errors.ts';
import { ProcessWorker } from './pool-process.ts';

interface Job<Req, Res> {
  id: number;
  req: Req;
  resolve: (res: Res) => void;
  reject: (err: TamisError) => void;
}

/** What the pool uses of a worker, thread or process. */
interface PoolWorker {
  // any: the listener type of Worker#on and EventEmitter#on themselves.
  on(event: 'message' | 'error' | 'exit', listener: (...args: any[]) => void): unknown;
  postMessage(msg: unknown): void;
  terminate(): Promise<number>;
  removeAllListeners(): unknown;
}

interface Slot<Req, Res> {
  worker: PoolWorker;
  /** Jobs sent to this worker, oldest first; the first is the one running. */
  jobs: Job<Req, Res>[];
  timer: NodeJS.Timeout | null;
}

export interface PoolOptions {
  script: URL;
  size: number;
  timeoutMs: number;
  workerData?: unknown;
  resourceLimits?: ResourceLimits;
  /** Run each worker as a child process with this heap cap in MB, instead of a thread (see pool-process.ts). */
  processHeapMb?: number;
  /** Jobs queued inside each worker (default 2). */
  depth?: number;
}

type Reply<Res> = { id: number; ok: boolean; res?: Res; error?: { code: ErrorCode; message: string } };

export class WorkerPool<Req, Res> {
  private readonly slots: Slot<Req, Res>[] = [];
  private readonly queue: Job<Req, Res>[] = [];
  private nextId = 1;
  private closed = false;
  private readonly options: PoolOptions;
  private readonly depth: number;

  constructor(options: PoolOptions) {
    this.options = options;
    this.depth = Math.max(1, options.depth ?? 2);
    for (let i = 0; i < options.size; i++) this.slots.push(this.spawn());
  }

  get size(): number { return this.slots.length; }

  run(req: Req): Promise<Res> {
    if (this.closed) return Promise.reject(new TamisError('E_EXTRACT', 'the worker pool is closed'));
    return new Promise<Res>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, req, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private spawn(): Slot<Req, Res> {
    const { script, workerData, resourceLimits, processHeapMb } = this.options;
    const worker: PoolWorker = processHeapMb ? new ProcessWorker(script, workerData, processHeapMb) : new Worker(script, { workerData, resourceLimits });
    const slot: Slot<Req, Res> = { worker, jobs: [], timer: null };
    worker.on('message', (msg: Reply<Res>) => {
      const job = slot.jobs[0];
      if (!job || job.id !== msg.id) return;
      slot.jobs.shift();
      this.startTimer(slot);
      if (msg.ok) job.resolve(msg.res as Res);
      else job.reject(new TamisError(msg.error!.code, msg.error!.message.replace(/^[^:]*: /, '')));
      this.dispatch();
    });
    worker.on('error', (err: Error & { code?: string }) => {
      // A worker that reaches its heap cap dies with this code: the item needs more memory than allowed.
      if (err.code !== 'ERR_WORKER_OUT_OF_MEMORY') { this.replace(slot, 'E_WORKER_CRASH', err.message); return; }
      const cap = processHeapMb ?? resourceLimits?.maxOldGenerationSizeMb;
      this.replace(slot, 'E_OUT_OF_MEMORY', cap ? `the parser reached its ${cap} MB heap cap` : err.message);
    });
    worker.on('exit', (code: number | string) => {
      if (!this.closed && slot.jobs.length) this.replace(slot, 'E_WORKER_CRASH', `worker exited with code ${code}`);
    });
    return slot;
  }

  /** The time limit runs for the job at the head of the worker's list. */
  private startTimer(slot: Slot<Req, Res>): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = slot.jobs.length
      ? setTimeout(() => this.replace(slot, 'E_TIMEOUT', `no result after ${Math.round(this.options.timeoutMs / 1000)} s`), this.options.timeoutMs)
      : null;
  }

  /** Fail the running job, kill the worker, requeue the jobs waiting behind it. */
  private replace(slot: Slot<Req, Res>, code: ErrorCode, detail: string): void {
    const [running, ...waiting] = slot.jobs;
    slot.jobs = [];
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    const index = this.slots.indexOf(slot);
    if (index === -1) return;
    slot.worker.removeAllListeners();
    slot.worker.on('error', () => {});
    void slot.worker.terminate();
    if (!this.closed) this.slots[index] = this.spawn();
    else this.slots.splice(index, 1);
    this.queue.unshift(...waiting);
    running?.reject(new TamisError(code, detail));
    this.dispatch();
  }

  private dispatch(): void {
    for (let round = 0; round < this.depth; round++) {
      for (const slot of this.slots) {
        if (this.queue.length === 0) return;
        if (slot.jobs.length > round) continue;
        const job = this.queue.shift()!;
        slot.jobs.push(job);
        if (slot.jobs.length === 1) this.startTimer(slot);
        slot.worker.postMessage({ id: job.id, req: job.req });
      }
    }
  }
}
