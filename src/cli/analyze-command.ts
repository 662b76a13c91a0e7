// `tamis analyze`: verify what is in the store again (after `tamis keys add`,
// or after an ingest run with --no-analyze).
import { parseArgs } from 'node:util';
import { runAnalysis, type AnalysisSummary } from '../analyze/run-analysis.ts';
import { openStore } from '../store/open-store.ts';
import { importKeyFiles } from './keys-command.ts';
import { TamisError } from '../core/errors.ts';

const HELP = `Usage: tamis analyze [--db FILE|URL] [--blobs DIR|s3://…] [--keys FILE] [--dns] [--workers N] [--leak-date DATE]

Checks DKIM/ARC of every email not checked yet (or whose keys changed),
then recomputes the corpus rules (signing profiles, provenance, key history)
and every item's verdict. See docs/verdicts.md.

--db takes a SQLite file (default ./tamis.db) or a postgres:// URL; --blobs
is where the original bytes are: a folder, or s3://bucket/prefix in
S3-compatible storage (default: beside a SQLite file, ./tamis.blobs for
PostgreSQL).
`;

export function parseLeakDate(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const t = Date.parse(value);
  if (!Number.isFinite(t)) throw new TamisError('E_USAGE', `--leak-date takes an ISO date like 2017-05-05, not "${value}"`);
  return new Date(t);
}

export function printAnalysis(a: AnalysisSummary, out: NodeJS.WritableStream): void {
  const order = ['verified', 'corroborated', 'consistent', 'suspicious', 'tampered'];
  out.write(`Checked the signatures of ${a.emailsChecked} email${a.emailsChecked === 1 ? '' : 's'}` +
    `${a.keysFetched ? ` (${a.keysFetched} keys fetched from DNS and archived)` : ''}.\n`);
  out.write(`  verdicts: ${order.filter((v) => a.verdicts[v]).map((v) => `${v} ${a.verdicts[v]}`).join(', ') || 'none'}\n`);
}

export async function analyzeCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      db: { type: 'string' }, blobs: { type: 'string' }, keys: { type: 'string', multiple: true }, dns: { type: 'boolean' },
      workers: { type: 'string' }, 'leak-date': { type: 'string' }, help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) { process.stdout.write(HELP); return 0; }
  const { store, blobs } = await openStore(values.db, { mustExist: true, blobs: values.blobs });
  try {
    if (values.keys?.length) await importKeyFiles(store, values.keys, (l) => process.stderr.write(l + '\n'));
    const summary = await runAnalysis({
      store, blobs, dns: values.dns ?? false, workers: values.workers ? Number(values.workers) : undefined, leakDate: parseLeakDate(values['leak-date']),
    });
    printAnalysis(summary, process.stdout);
    return 0;
  } finally {
    await store.close();
  }
}
