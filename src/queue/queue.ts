// The work queue of a team ingest: `tamis ingest --db postgres://…` puts one
// job per input file (already copied into the shared blob store), and any
// number of `tamis worker` processes, on any machines, take them. Behind an
// interface so the engine (pg-boss on PostgreSQL today) can change.

/** One input file to ingest with everything inside it. */
export interface InputJob {
  /** The file's path relative to the folder given to `tamis ingest` (the item's path in the store). */
  path: string;
  /** Its bytes are in the blob store under this SHA-256. */
  sha256: string;
  size: number;
  mtimeMs: number;
}

export interface QueueCounts { waiting: number; active: number; failed: number }

export interface WorkQueue {
  enqueue(jobs: InputJob[]): Promise<void>;
  /**
   * Take jobs in batches of up to `batchSize` and run `handler` on each batch
   * until stop(). A batch whose worker dies (killed, machine lost) stops
   * sending heartbeats and is handed to another worker: handlers must be
   * idempotent (the store's writes are).
   */
  work(batchSize: number, handler: (jobs: InputJob[]) => Promise<void>): Promise<void>;
  counts(): Promise<QueueCounts>;
  /** Inputs whose job failed for good (every retry's worker died): the caller records them as failures. */
  takeFailed(): Promise<InputJob[]>;
  stop(): Promise<void>;
}
