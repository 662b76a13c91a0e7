// `tamis <command>`: dispatch, and the one place errors become exit codes.
// Exit 0 success, 1 a coded error, 2 bad usage.
import { ERROR_CODES, TamisError } from '../core/errors.ts';
import { ingestCommand } from './ingest-command.ts';
import { searchCommand } from './search-command.ts';
import { reportCommand } from './report-command.ts';
import { keysCommand } from './keys-command.ts';
import { analyzeCommand } from './analyze-command.ts';
import { verifyStoreCommand } from './verify-store-command.ts';
import { manifestCommand } from './manifest-command.ts';
import { dupsCommand } from './dups-command.ts';
import { serveCommand } from './serve-command.ts';

const COMMANDS: Record<string, { run: (argv: string[]) => Promise<number>; help: string }> = {
  ingest: { run: ingestCommand, help: 'ingest <path...> [--db FILE] [--keys ZONEFILE]   read a dump into the store and verify it' },
  analyze: { run: analyzeCommand, help: 'analyze [--db FILE] [--keys ZONEFILE]   verify the store again (after adding keys)' },
  keys: { run: keysCommand, help: 'keys add FILE... | keys list   the archive of historical DKIM keys' },
  search: { run: searchCommand, help: 'search QUERY [--db FILE] [--json] [--limit N]   full-text search' },
  dups: { run: dupsCommand, help: 'dups [--db FILE] [--json]   clusters of near-duplicates and their verdicts' },
  'verify-store': { run: verifyStoreCommand, help: 'verify-store [--db FILE]   re-hash every stored original (evidence integrity)' },
  manifest: { run: manifestCommand, help: 'manifest [--db FILE] [--format sha256sum|json|csv]   input files as received (chain of custody)' },
  serve: { run: serveCommand, help: 'serve [--db FILE] [--port 7300] [--host 127.0.0.1]   the web UI: search, evidence, threads, timeline' },
  report: { run: reportCommand, help: 'report [--db FILE] --format json|csv [--out FILE]   every item with its verdict' },
};

export const USAGE = `tamis — sift a leaked dump: what is genuine, what was altered, what is inside.

Usage: tamis <command> [options]

Commands:
${Object.values(COMMANDS).map((c) => `  ${c.help}`).join('\n')}

Run \`tamis <command> --help\` for a command's options.`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE + '\n');
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write('tamis 0.1.0\n');
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) throw new TamisError('E_USAGE', `unknown command "${name}"; commands: ${Object.keys(COMMANDS).join(', ')}`);
  return command.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    if (err instanceof TamisError) {
      process.stderr.write(`tamis: ${err.code}: ${err.message}\n`);
      process.exitCode = err.code === 'E_USAGE' ? 2 : 1;
    } else if (err instanceof Error && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`tamis: E_USAGE: ${ERROR_CODES.E_USAGE}: ${err.message}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`tamis: internal error (please report it): ${(err as Error)?.stack ?? String(err)}\n`);
      process.exitCode = 1;
    }
  },
);
