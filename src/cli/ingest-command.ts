// `tamis ingest <path...>`: read files, folders and archives into the store.
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { TamisError } from '../core/errors.ts';
import { ingest } from '../ingest/pipeline.ts';
import { openStore } from '../store/open-store.ts';
import { formatBytes, formatDuration } from './format.ts';
import { Progress } from './progress.ts';
import { parseSize } from './parse-size.ts';
import { importKeyFiles } from './keys-command.ts';
import { runAnalysis } from '../analyze/run-analysis.ts';
import { parseLeakDate, printAnalysis } from './analyze-command.ts';
import { availableParallelism } from 'node:os';
import { teamIngest } from './team-ingest.ts';
import { queueUrl } from './worker-command.ts';

const HELP = `Usage: tamis ingest <path...> [options]

Reads files and folders (recursively), unpacks archives, splits mailboxes,
extracts emails' attachments, and records every item by its SHA-256.
Running it again adds nothing; after an interruption it resumes.

Options:
  --db FILE|URL    store file (default ./tamis.db; original bytes go to ./tamis.blobs/)
                   or postgres:// URL (team store)
  --workers N      parser threads (default: number of cores)
  --timeout SECS   time limit to parse one item (default 120)
  --max-depth N    deepest nesting of containers (default 32)
  --keys FILE      import DKIM keys (BIND zone file or JSON) before verifying; repeatable
  --dns            fetch DKIM keys missing from the archive from live DNS (off by
                   default: lookups reveal what you examine); fetched keys are archived
  --retry-failed   first run again what failed in earlier runs (e.g. with a longer --timeout)
  --leak-date DATE when the dump appeared (ISO date); documents modified later are flagged
                   (default: the newest modification time of the input files)
  --no-analyze     extract only; run \`tamis analyze\` later
  --no-ocr         do not OCR images and scanned PDFs (tesseract, French + English)
  --quiet          no progress display

Team ingest (PostgreSQL store, see \`tamis worker\`):
  --db postgres://…  queue the inputs for the team's workers (files are first copied
                   into the shared blob store), work the queue here too, wait until it
                   is drained, then verify everything once
  --blobs DIR      the shared folder of original bytes, or s3://BUCKET/PREFIX for
                   S3-compatible storage (endpoint and keys from the environment:
                   TAMIS_S3_ENDPOINT, AWS_ACCESS_KEY_ID, …; also without PostgreSQL)
  --queue URL      the queue's PostgreSQL database (default: --db)
  --no-wait        return once the inputs are queued (run \`tamis analyze\` when the
                   workers are done)
  --workers 0      only queue and wait: leave the parsing to \`tamis worker\` processes

Limits against hostile input (each hit is recorded as a failure with a code):
  --max-member-size SIZE     largest member/attachment unpacked (default 1G)
  --max-archive-size SIZE    most one archive may expand to (default 8G)
  --max-input-expansion SIZE most one input file may expand to, all levels (default 64G)
  --max-ratio N              largest expansion ratio of a member over 1 MB (default 1000)
  --max-entries N            most members read from one archive (default 200000)
  --max-worker-memory SIZE   run each parser in a process of its own with this heap cap (at least
                             32M; default: threads capped at 4G); an item that needs more fails
                             with E_OUT_OF_MEMORY and the run goes on
`;

export async function ingestCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true,
    options: {
      db: { type: 'string' }, workers: { type: 'string' }, timeout: { type: 'string' }, 'max-depth': { type: 'string' },
      quiet: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
      keys: { type: 'string', multiple: true }, dns: { type: 'boolean' }, 'no-analyze': { type: 'boolean' }, 'no-ocr': { type: 'boolean' }, 'retry-failed': { type: 'boolean' }, 'leak-date': { type: 'string' },
      'max-member-size': { type: 'string' }, 'max-archive-size': { type: 'string' }, 'max-input-expansion': { type: 'string' },
      'max-ratio': { type: 'string' }, 'max-entries': { type: 'string' }, 'max-worker-memory': { type: 'string' },
      blobs: { type: 'string' }, queue: { type: 'string' }, 'no-wait': { type: 'boolean' },
    },
  });
  if (values.help) { process.stdout.write(HELP); return 0; }
  if (positionals.length === 0) throw new TamisError('E_USAGE', 'ingest needs at least one file or folder');
  const num = (v: string | undefined, name: string) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new TamisError('E_USAGE', `--${name} takes a positive number, not "${v}"`);
    return n;
  };
  const workerMemory = values['max-worker-memory'] === undefined ? undefined : parseSize(values['max-worker-memory'], 'max-worker-memory');
  // A parser needs about 16 MB of heap just to load: below 32 MB none could start.
  if (workerMemory !== undefined && workerMemory < 32 * 2 ** 20) throw new TamisError('E_USAGE', `--max-worker-memory must be at least 32M, not "${values['max-worker-memory']}"`);
  // Check the inputs before creating a store, so a typo leaves no empty tamis.db behind.
  for (const p of positionals) if (!existsSync(p)) throw new TamisError('E_NOT_FOUND', p);
  const team = Boolean(values.queue) || /^postgres(ql)?:\/\//i.test(values.db ?? '');
  // In a team ingest, --workers 0 leaves all parsing to `tamis worker` processes.
  const workers = team && values.workers === '0' ? 0 : num(values.workers, 'workers');
  const { store, blobs } = await openStore(values.db, { blobs: values.blobs });
  const progress = values.quiet ? null : new Progress();
  try {
    if (values.keys?.length) await importKeyFiles(store, values.keys, (l) => process.stderr.write(l + '\n'));
    const settings = {
      timeoutMs: (num(values.timeout, 'timeout') ?? 120) * 1000,
      maxDepth: num(values['max-depth'], 'max-depth'),
      ocr: !values['no-ocr'],
      maxWorkerMemoryMb: workerMemory === undefined ? undefined : Math.floor(workerMemory / 2 ** 20),
      limits: {
        ...(values['max-member-size'] ? { maxMemberBytes: parseSize(values['max-member-size'], 'max-member-size') } : {}),
        ...(values['max-archive-size'] ? { maxArchiveBytes: parseSize(values['max-archive-size'], 'max-archive-size') } : {}),
        ...(values['max-input-expansion'] ? { maxInputExpandedBytes: parseSize(values['max-input-expansion'], 'max-input-expansion') } : {}),
        ...(values['max-ratio'] ? { maxRatio: num(values['max-ratio'], 'max-ratio') } : {}),
        ...(values['max-entries'] ? { maxEntries: num(values['max-entries'], 'max-entries') } : {}),
      },
    };
    if (team) {
      const started = Date.now();
      const r = await teamIngest(store, blobs, {
        queueUrl: queueUrl(values.db, values.queue), inputs: positionals, workers: workers ?? availableParallelism(),
        noWait: values['no-wait'] ?? false, ingest: settings, log: (l) => { if (!values.quiet) process.stderr.write(l + '\n'); },
      });
      if (!r.drained) {
        process.stdout.write(`Queued ${r.summary.queued} files for the workers; run \`tamis analyze --db …\` once they are done.\n`);
        return 0;
      }
      process.stdout.write(`Team ingest of ${r.summary.queued} files done in ${formatDuration((Date.now() - started) / 1000)}${r.lost ? ` (${r.lost} lost with their workers, recorded as E_WORKER_CRASH)` : ''}.\n`);
    }
    const stats = team ? null : await ingest({
      ...settings, store, blobs, inputs: positionals, workers,
      retryFailed: values['retry-failed'] ?? false,
      onProgress: progress ? (s) => progress.update(s) : undefined,
    });
    progress?.finish();
    const analysis = values['no-analyze'] ? null : await runAnalysis({
      store, blobs, workers: workers || undefined, dns: values.dns ?? false, leakDate: parseLeakDate(values['leak-date']),
    });
    const counts = await store.counts();
    const out = process.stdout;
    if (stats) {
      out.write(`Ingested ${stats.inputsDone} files (${stats.inputsSkipped} already done) in ${formatDuration(stats.elapsedMs / 1000)}: ` +
        `${stats.occurrences} items met, ${stats.newItems} new (${formatBytes(stats.newBytes)}).\n`);
    }
    out.write(`Store ${values.db ?? 'tamis.db'}: ${counts.items} distinct items, ${formatBytes(counts.bytes)}.\n`);
    out.write(`  by kind: ${Object.entries(counts.byKind).map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}\n`);
    const codes = Object.entries(counts.failuresByCode);
    out.write(codes.length
      ? `  failures: ${counts.failed} (${codes.map(([c, n]) => `${c} ${n}`).join(', ')}) — see \`tamis report\`\n`
      : '  failures: none\n');
    if (analysis) printAnalysis(analysis, out);
    return 0;
  } finally {
    await store.close();
  }
}
