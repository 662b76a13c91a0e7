// `tamis search QUERY`: accent-insensitive full-text search with snippets.
import { parseArgs } from 'node:util';
import { TamisError } from '../core/errors.ts';
import { openStore } from '../store/open-store.ts';

const HELP = `Usage: tamis search QUERY [options]

Words are all required; accents and case are ignored ("tresorerie" finds
"Trésorerie"). "exact phrase", word* (prefix), a OR b, -word (exclude).

Options:
  --db FILE|URL store file (default ./tamis.db) or postgres:// URL
  --limit N     number of hits (default 20)
  --offset N    skip the first N hits
  --json        machine-readable output: { "hits": [...], "total": N }
`;

export async function searchCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true,
    options: { db: { type: 'string' }, limit: { type: 'string' }, offset: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) { process.stdout.write(HELP); return 0; }
  const query = positionals.join(' ');
  if (!query.trim()) throw new TamisError('E_USAGE', 'search needs a query');
  const limit = Number(values.limit ?? 20);
  const offset = Number(values.offset ?? 0);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new TamisError('E_USAGE', '--limit takes a whole number from 1 to 10000');
  if (!Number.isInteger(offset) || offset < 0) throw new TamisError('E_USAGE', '--offset takes a whole number >= 0');
  const { store } = await openStore(values.db, { mustExist: true });
  try {
    const { hits, total } = await store.search(query, { limit, offset });
    if (values.json) {
      process.stdout.write(JSON.stringify({ hits, total }, null, 2) + '\n');
      return 0;
    }
    const tty = process.stdout.isTTY;
    const bold = (s: string) => (tty ? s.replace(/\*\*(.*?)\*\*/g, '\x1b[1;33m$1\x1b[0m') : s);
    process.stdout.write(`${total} item${total === 1 ? '' : 's'} match "${query}"${total > hits.length ? ` (showing ${offset + 1}–${offset + hits.length})` : ''}\n\n`);
    hits.forEach((h, i) => {
      process.stdout.write(`${offset + i + 1}. [${h.kind}] ${h.title ?? '(no title)'}\n   ${h.path}\n   ${bold(h.snippet.replace(/\s+/g, ' '))}\n   sha256 ${h.sha256}\n\n`);
    });
    return 0;
  } finally {
    await store.close();
  }
}
