// `tamis <command>`: dispatch, and the one place errors become exit codes.
// Exit 0 success, 1 a coded error, 2 bad usage.
import { ERROR_CODES, TamisError } from '../core/errors.ts';

type Run = (argv: string[]) => Promise<number>;
// Commands are loaded when called: `tamis search` need not load the parsers, the analyzers and the web server.
const lazy = (load: () => Promise<Run>): Run => async (argv) => (await load())(argv);

const COMMANDS: Record<string, { run: Run; help: string }> = {
  ingest: { run: lazy(async () => (await import('./ingest-command.ts')).ingestCommand), help: 'ingest <path...> [--db FILE|URL] [--keys ZONEFILE]   read a dump into the store and verify it' },
  analyze: { run: lazy(async () => (await import('./analyze-command.ts')).analyzeCommand), help: 'analyze [--db FILE|URL] [--keys ZONEFILE]   verify the store again (after adding keys)' },
  keys: { run: lazy(async () => (await import('./keys-command.ts')).keysCommand), help: 'keys add FILE... | keys list   the archive of historical DKIM keys' },
  search: { run: lazy(async () => (await import('./search-command.ts')).searchCommand), help: 'search QUERY [--db FILE|URL] [--json] [--limit N]   full-text search' },
  dups: { run: lazy(async () => (await import('./dups-command.ts')).dupsCommand), help: 'dups [--db FILE|URL] [--json]   clusters of near-duplicates and their verdicts' },
  'verify-store': { run: lazy(async () => (await import('./verify-store-command.ts')).verifyStoreCommand), help: 'verify-store [--db FILE|URL]   re-hash every stored original (evidence integrity)' },
  manifest: { run: lazy(async () => (await import('./manifest-command.ts')).manifestCommand), help: 'manifest [--db FILE|URL] [--format sha256sum|json|csv]   input files as received (chain of custody)' },
  worker: { run: lazy(async () => (await import('./worker-command.ts')).workerCommand), help: 'worker --db postgres://… [--concurrency N]   one of the processes of a team ingest' },
  serve: { run: lazy(async () => (await import('./serve-command.ts')).serveCommand), help: 'serve [--db FILE|URL] [--port 7300] [--host 127.0.0.1]   the web UI: search, evidence, threads, timeline' },
  team: { run: lazy(async () => (await import('./team-command.ts')).teamCommand), help: 'team init|add-user|add-investigation|grant|revoke|list --team postgres://…   accounts and investigations for serve --team' },
  report: { run: lazy(async () => (await import('./report-command.ts')).reportCommand), help: 'report [--db FILE|URL] --format json|csv [--out FILE]   every item with its verdict' },
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

// `tamis manifest | head`: a reader that stops early ends the command quietly,
// with the status of a process stopped by SIGPIPE (128 + 13), as `cat` would:
// an ingest cut short this way must not look complete.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => { if (err.code === 'EPIPE') process.exit(141); else throw err; });
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
