// Pool workers as child processes, used when a heap cap is asked for
// (`--max-worker-memory`). A worker thread can be given a heap cap too, but
// Node only gives a thread 16 MB of leeway once it reaches it: a parser that
// allocates a larger block at that moment (a big string) makes V8 abort the
// whole program, not just the thread (measured with a 16 MB email body under
// a 64 MB cap). A process that reaches its cap dies alone, and the pool
// reports E_OUT_OF_MEMORY. The adapter speaks the Worker events the pool
// uses: 'message', 'error' (code ERR_WORKER_OUT_OF_MEMORY on a heap
// overflow, as threads), 'exit'.
import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';

const OUT_OF_MEMORY = /heap out of memory|Reached heap limit|Allocation failed/i;

export class ProcessWorker extends EventEmitter {
  private readonly child: ChildProcess;
  private tail = '';
  private readonly closed: Promise<void>;

  constructor(script: URL, data: unknown, maxOldSpaceMb: number) {
    super();
    this.child = fork(fileURLToPath(script), [], {
      execArgv: [`--max-old-space-size=${maxOldSpaceMb}`],
      serialization: 'advanced', // structured clone, as between threads
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    // V8's out-of-memory report goes to stderr: kept (its end only) to tell that death from a crash.
    this.child.stderr!.on('data', (d: Buffer) => { this.tail = (this.tail + d.toString('latin1')).slice(-16_384); });
    this.child.on('message', (m) => this.emit('message', m));
    this.child.on('error', (err) => this.emit('error', err));
    this.closed = new Promise((resolve) => this.child.once('close', (code, signal) => {
      if (OUT_OF_MEMORY.test(this.tail)) this.emit('error', Object.assign(new Error(`heap out of memory (${maxOldSpaceMb} MB cap)`), { code: 'ERR_WORKER_OUT_OF_MEMORY' }));
      else this.emit('exit', code ?? signal);
      resolve();
    }));
    this.postMessage({ init: data });
  }

  postMessage(msg: unknown): void {
    // A dead child cannot take messages; its 'close' tells the pool, which requeues the job.
    if (this.child.connected) this.child.send(msg as never, (err) => { if (err) this.tail += `\n${err.message}`; });
  }

  async terminate(): Promise<number> {
    this.child.kill('SIGKILL');
    await this.closed;
    return 0;
  }
}

export interface WorkerSide<T> { data: T; post(msg: unknown): void; onMessage<M>(fn: (msg: M) => void): void }

/** Inside a pool worker: its start-up data and its link to the pool, whether it runs as a thread or a process. */
export async function workerSide<T>(): Promise<WorkerSide<T>> {
  if (parentPort) {
    const port = parentPort;
    return { data: workerData as T, post: (m) => port.postMessage(m), onMessage: (fn) => port.on('message', fn) };
  }
  // A child process: the first message carries the start-up data. Jobs may follow in the same
  // read, before the caller has its handler in place: they wait in a queue.
  const queue: unknown[] = [];
  let handler: ((msg: unknown) => void) | null = null;
  let init: ((data: T) => void) | null = null;
  const data = new Promise<T>((resolve) => { init = resolve; });
  process.on('message', (m: unknown) => {
    if (init) { const start = init; init = null; start((m as { init: T }).init); } else if (handler) handler(m); else queue.push(m);
  });
  return {
    data: await data,
    post: (m) => process.send!(m as never),
    onMessage: <M>(fn: (msg: M) => void) => { handler = fn as (msg: unknown) => void; for (const m of queue.splice(0)) handler(m); },
  };
}
