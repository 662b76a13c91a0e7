// `tamis worker`: one of any number of processes, on any machines, that
// share a team ingest queued by `tamis ingest --db postgres://…`.
import { parseArgs } from 'node:util';
import { hostname } from 'node:os';
import { TamisError } from '../core/errors.ts';
import { openStore } from '../store/open-store.ts';
import { PgBossQueue } from '../queue/pg-boss-queue.ts';
import { runWorker } from '../queue/run-worker.ts';

const HELP = `Usage: tamis worker --db postgres://… [options]

Takes input files queued by \`tamis ingest --db postgres://…\` and ingests
them into the shared store; runs until stopped (Ctrl-C, SIGTERM). A worker
that dies mid-job loses nothing: its jobs go to another worker once it stops
sending heartbeats (30 s), and the store's writes are idempotent.

Options:
  --db URL             the team store (postgres://…)
  --blobs DIR          the shared folder of original bytes, or s3://bucket/prefix (default ./tamis.blobs)
  --queue URL          the queue's PostgreSQL database (default: --db)
  --concurrency N      parser threads (default: number of cores)
  --timeout SECS       time limit to parse one item (default 120)
  --no-ocr             do not OCR images and scanned PDFs
  --exit-when-idle S   stop once the queue has been empty for S seconds
  --quiet              no progress lines
`;

export function queueUrl(db: string | undefined, queue: string | undefined): string {
  const url = queue ?? db;
  if (!url || !/^postgres(ql)?:\/\//i.test(url)) {
    throw new TamisError('E_USAGE', 'a team ingest needs a PostgreSQL database: --db postgres://… (or --queue postgres://…)');
  }
  return url;
}

export async function workerCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      db: { type: 'string' }, blobs: { type: 'string' }, queue: { type: 'string' }, concurrency: { type: 'string' }, timeout: { type: 'string' },
      'no-ocr': { type: 'boolean' }, 'exit-when-idle': { type: 'string' }, quiet: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) { process.stdout.write(HELP); return 0; }
  const url = queueUrl(values.db, values.queue);
  const positive = (v: string | undefined, name: string): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new TamisError('E_USAGE', `--${name} takes a positive number, not "${v}"`);
    return n;
  };
  const concurrency = Math.floor(positive(values.concurrency, 'concurrency') ?? (await import('node:os')).availableParallelism());
  const idle = positive(values['exit-when-idle'], 'exit-when-idle');
  // Workers may start before the first `tamis ingest`: opening brings the schema up (safely, under a lock).
  const { store, blobs } = await openStore(values.db, { blobs: values.blobs });
  const queue = await PgBossQueue.open(url);
  const name = `${hostname()}:${process.pid}`;
  const stop = async () => { await queue.stop().catch(() => {}); await store.close(); process.exit(0); };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  if (!values.quiet) process.stderr.write(`tamis worker ${name}: ${concurrency} parser threads, waiting for jobs\n`);
  try {
    const done = await runWorker(store, blobs, queue, {
      concurrency, timeoutMs: (positive(values.timeout, 'timeout') ?? 120) * 1000, ocr: !values['no-ocr'],
      exitWhenIdleMs: idle === undefined ? undefined : idle * 1000,
      onBatch: values.quiet ? undefined : (s) => process.stderr.write(`tamis worker ${name}: ${s.inputsDone} files, ${s.occurrences} items, ${s.failures} failures\n`),
    });
    if (!values.quiet) process.stderr.write(`tamis worker ${name}: idle, stopping after ${done.files} files in ${done.batches} batches\n`);
    return 0;
  } finally {
    await store.close();
  }
}
