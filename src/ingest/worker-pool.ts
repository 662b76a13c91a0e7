// A fixed pool of worker threads. A job that runs past its time limit, or a
// worker that dies (out of memory, native crash), fails that job with a coded
// error and the worker is replaced: one hostile file never stops a batch.
// Each worker holds up to `depth` jobs: it works through them one at a time,
// so it never waits idle for the main thread to send the next one.
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { TamisError, type ErrorCode } from '../core/errors.ts';

interface Job<Req, Res> {
  id: number;
  req: Req;
  resolve: (res: Res) => void;
  reject: (err: TamisError) => void;
}

interface Slot<Req, Res> {
  worker: Worker;
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
    const worker = new Worker(this.options.script, {
      workerData: this.options.workerData,
      resourceLimits: this.options.resourceLimits,
    });
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
    worker.on('error', (err) => this.replace(slot, 'E_WORKER_CRASH', err.message));
    worker.on('exit', (code) => {
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
