// `tamis dups`: clusters of near-duplicate documents and of emails met with
// different bytes under one Message-ID, with each member's verdict.
import { parseArgs } from 'node:util';
import { openStore } from '../store/open-store.ts';

const HELP = `Usage: tamis dups [--db FILE|URL] [--json]

Lists the clusters found by the last analysis: documents and attachments
whose texts are at least 80% alike (word 5-shingles, Jaccard), and emails
sharing a Message-ID with different bytes. A copy that differs from a
verified member carries a dup.altered-copy finding with the changes (see
\`tamis report\`).

Options:
  --db FILE|URL store file (default ./tamis.db) or postgres:// URL
  --json        machine-readable output: { "clusters": [...] }
`;

export async function dupsCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { db: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) { process.stdout.write(HELP); return 0; }
  const { store } = await openStore(values.db, { mustExist: true });
  try {
    const clusters = await store.clusters();
    if (values.json) {
      process.stdout.write(JSON.stringify({ clusters }, null, 2) + '\n');
      return 0;
    }
    process.stdout.write(`${clusters.length} cluster${clusters.length === 1 ? '' : 's'}\n`);
    for (const c of clusters) {
      process.stdout.write(`\n#${c.cluster} (${c.reason === 'near-text' ? 'near-identical text' : 'same Message-ID'}, ${c.members.length} items)\n`);
      for (const m of c.members) process.stdout.write(`  ${m.verdict.padEnd(12)} ${m.path}${m.title ? `  — ${m.title}` : ''}\n`);
    }
    return 0;
  } finally {
    await store.close();
  }
}
