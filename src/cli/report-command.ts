// `tamis report --format json|csv`: the publishable account of every item.
import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { finished } from 'node:stream/promises';
import { TamisError } from '../core/errors.ts';
import { openStore } from '../store/open-store.ts';
import { writeJsonReport } from '../report/json-report.ts';
import { writeCsvReport } from '../report/csv-report.ts';

const HELP = `Usage: tamis report --format json|csv [options]

Every item with its SHA-256, path, kind, verdict and findings, and every
failure with its code. JSON follows the tamis.report/1 contract.

Options:
  --db FILE|URL    store file (default ./tamis.db) or postgres:// URL
  --format F       json (default) or csv
  --out FILE       write to FILE instead of standard output
`;

export async function reportCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { db: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) { process.stdout.write(HELP); return 0; }
  const format = values.format ?? 'json';
  if (format !== 'json' && format !== 'csv') throw new TamisError('E_USAGE', `--format takes json or csv, not "${format}"`);
  const { store } = await openStore(values.db, { mustExist: true });
  try {
    const out = values.out ? createWriteStream(values.out) : process.stdout;
    if (format === 'json') await writeJsonReport(store, out);
    else await writeCsvReport(store, out);
    if (values.out) {
      out.end();
      await finished(out);
      process.stderr.write(`Report written to ${values.out}\n`);
    }
    return 0;
  } finally {
    await store.close();
  }
}
