// A fixed pool of worker threads. A job that runs past its time limit, or a
// worker that dies (out of memory, native crash), fails that job with a coded
// error and the worker is replaced: one hostile file never stops a batch.
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
  job: Job<Req, Res> | null;
  timer: NodeJS.Timeout | null;
}

export interface PoolOptions {
  script: URL;
  size: number;
  timeoutMs: number;
  workerData?: unknown;
  resourceLimits?: ResourceLimits;
}

export class WorkerPool<Req, Res> {
  private readonly slots: Slot<Req, Res>[] = [];
  private readonly queue: Job<Req, Res>[] = [];
  private nextId = 1;
  private closed = false;
  private readonly options: PoolOptions;

  constructor(options: PoolOptions) {
    this.options = options;
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
    const slot: Slot<Req, Res> = { worker, job: null, timer: null };
    worker.on('message', (msg: { id: number; ok: boolean; res?: Res; error?: { code: ErrorCode; message: string } }) => {
      const job = slot.job;
      if (!job || job.id !== msg.id) return;
      this.finish(slot);
      if (msg.ok) job.resolve(msg.res as Res);
      else job.reject(new TamisError(msg.error!.code, msg.error!.message.replace(/^[^:]*: /, '')));
      this.dispatch();
    });
    worker.on('error', (err) => this.replace(slot, 'E_WORKER_CRASH', err.message));
    worker.on('exit', (code) => {
      if (!this.closed && slot.job) this.replace(slot, 'E_WORKER_CRASH', `worker exited with code ${code}`);
    });
    return slot;
  }

  private finish(slot: Slot<Req, Res>): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.job = null;
  }

  /** Fail the slot's job, kill its worker and put a fresh one in its place. */
  private replace(slot: Slot<Req, Res>, code: ErrorCode, detail: string): void {
    const job = slot.job;
    this.finish(slot);
    const index = this.slots.indexOf(slot);
    if (index === -1) return;
    slot.worker.removeAllListeners();
    slot.worker.on('error', () => {});
    void slot.worker.terminate();
    if (!this.closed) this.slots[index] = this.spawn();
    else this.slots.splice(index, 1);
    job?.reject(new TamisError(code, detail));
    this.dispatch();
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.job || this.queue.length === 0) continue;
      const job = this.queue.shift()!;
      slot.job = job;
      slot.timer = setTimeout(
        () => this.replace(slot, 'E_TIMEOUT', `no result after ${Math.round(this.options.timeoutMs / 1000)} s`),
        this.options.timeoutMs,
      );
      slot.worker.postMessage({ id: job.id, req: job.req });
    }
  }
}
