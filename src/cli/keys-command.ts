// `tamis keys add FILE... | list`: the archive of historical DKIM keys.
import { parseArgs } from 'node:util';
import { TamisError } from '../core/errors.ts';
import { keyId } from '../keys/key-index.ts';
import { readKeyFile } from '../keys/import-keys.ts';
import { openStore } from '../store/open-store.ts';
import type { Store } from '../store/store.ts';

const HELP = `Usage: tamis keys add FILE... [--db FILE|URL]
       tamis keys list [--db FILE|URL] [--json]

Keeps DKIM public keys in the store, each with where it came from, so
signatures are verified offline. FILE is a BIND zone file (TXT records under
_domainkey, multi-string and parenthesised forms) or a JSON object mapping
"selector._domainkey.domain" to the TXT value. Emails whose signatures use an
added key are checked again by the next \`tamis analyze\` or \`tamis ingest\`.

Options:
  --db FILE|URL store file (default ./tamis.db) or postgres:// URL
  --json        with list: machine-readable output, { "keys": [...] }
`;

export async function importKeyFiles(store: Store, files: string[], log: (line: string) => void): Promise<number> {
  let added = 0;
  for (const file of files) {
    const { keys, problems } = readKeyFile(file);
    for (const p of problems) log(`${file}:${p.line}: skipped: ${p.message}`);
    const n = await store.addKeys(keys);
    added += n;
    log(`${file}: ${keys.length} DKIM keys read, ${n} new`);
  }
  return added;
}

export async function keysCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true,
    options: { db: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  const [action, ...files] = positionals;
  if (values.help || !action) { process.stdout.write(HELP); return values.help ? 0 : 2; }
  if (action !== 'add' && action !== 'list') throw new TamisError('E_USAGE', `keys takes "add" or "list", not "${action}"`);
  if (action === 'add' && files.length === 0) throw new TamisError('E_USAGE', 'keys add needs a zone or JSON file');
  const { store } = await openStore(values.db, { mustExist: action === 'list' });
  try {
    if (action === 'add') {
      await importKeyFiles(store, files, (l) => process.stdout.write(l + '\n'));
      return 0;
    }
    const keys = await store.listKeys();
    if (values.json) {
      process.stdout.write(JSON.stringify({ keys: keys.map((k) => ({ ...k, id: keyId(k.value) })) }, null, 2) + '\n');
    } else {
      process.stdout.write(`${keys.length} DKIM key${keys.length === 1 ? '' : 's'}\n`);
      for (const k of keys) process.stdout.write(`${k.name}  id ${keyId(k.value)}  ${k.source}  imported ${k.importedAt}\n`);
    }
    return 0;
  } finally {
    await store.close();
  }
}
