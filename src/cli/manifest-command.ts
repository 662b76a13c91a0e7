// `tamis manifest`: chain of custody. Every input file with the SHA-256 and
// size it had at intake, in `sha256sum -c` format by default so anyone can
// check a copy of the dump against it.
import { parseArgs } from 'node:util';
import { TamisError } from '../core/errors.ts';
import { openStore } from '../store/open-store.ts';

const HELP = `Usage: tamis manifest [--db FILE|URL] [--format sha256sum|json|csv]

Lists every input file the ingest finished, with its SHA-256, size and the
time it was recorded. The default format is that of \`sha256sum\`, so
\`tamis manifest > SHA256SUMS\` then \`sha256sum -c SHA256SUMS\` (run inside
the dump folder) checks a copy of the dump.

Options:
  --db FILE|URL store file (default ./tamis.db) or postgres:// URL
  --format F    sha256sum (default), json or csv
`;

export async function manifestCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { db: { type: 'string' }, format: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) { process.stdout.write(HELP); return 0; }
  const format = values.format ?? 'sha256sum';
  if (!['sha256sum', 'json', 'csv'].includes(format)) throw new TamisError('E_USAGE', `--format takes sha256sum, json or csv, not "${format}"`);
  const { store } = await openStore(values.db, { mustExist: true });
  try {
    const inputs = await store.inputs();
    if (format === 'json') process.stdout.write(JSON.stringify({ inputs: inputs.map(({ mtimeMs: _, ...i }) => i) }, null, 2) + '\n');
    else if (format === 'csv') {
      process.stdout.write('path,sha256,size,recorded_at\r\n');
      for (const i of inputs) process.stdout.write(`"${i.path.replace(/"/g, '""')}",${i.sha256 ?? ''},${i.size},${i.recordedAt}\r\n`);
    } else {
      // sha256sum escapes names holding a backslash or newline with a leading backslash.
      for (const i of inputs) {
        const odd = /[\\\n]/.test(i.path);
        const name = odd ? i.path.replace(/\\/g, '\\\\').replace(/\n/g, '\\n') : i.path;
        process.stdout.write(`${odd ? '\\' : ''}${i.sha256 ?? '-'.repeat(64)}  ${name}\n`);
      }
    }
    return 0;
  } finally {
    await store.close();
  }
}
