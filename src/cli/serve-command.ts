// `tamis serve`: the web UI and its API over a store, on this machine only by default.
import { parseArgs } from 'node:util';
import { TamisError } from '../core/errors.ts';
import { openStore } from '../store/open-store.ts';
import { buildApp, LOCAL_HOSTS } from '../server/app.ts';

const HELP = `Usage: tamis serve [options]

Starts the web UI (search, items with their evidence, threads, timeline,
correspondents, verification dashboard) and its API (docs/api.md).

Options:
  --db FILE          store file (default ./tamis.db)
  --port N           port (default 7300)
  --host ADDR        address to listen on (default 127.0.0.1: this machine only).
                     Local mode has no accounts: anyone who can reach the port
                     can read the whole store.
  --allow-host NAME  also answer requests addressed to NAME (repeatable; by
                     default only localhost/127.0.0.1/::1 and --host)
`;

export async function serveCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      db: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, 'allow-host': { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) { process.stdout.write(HELP); return 0; }
  const port = Number(values.port ?? 7300);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new TamisError('E_USAGE', '--port takes a whole number from 0 to 65535');
  const host = values.host ?? '127.0.0.1';
  const { store, blobs } = openStore(values.db, { mustExist: true });
  // Bound to every interface, the server is meant to be reached by any name.
  const wildcard = host === '0.0.0.0' || host === '::';
  const app = await buildApp({ store, blobs, allowedHosts: wildcard ? null : [...LOCAL_HOSTS, host, ...(values['allow-host'] ?? [])] });
  const stop = async () => { await app.close(); await store.close(); process.exit(0); };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let address: string;
  try {
    address = await app.listen({ port, host });
  } catch (err) {
    await store.close();
    throw new TamisError('E_USAGE', `cannot listen on ${host}:${port}: ${(err as Error).message}`);
  }
  process.stdout.write(`tamis is serving ${values.db ?? 'tamis.db'} at ${address.replace('127.0.0.1', 'localhost')}/  (Ctrl-C to stop)\n`);
  if (wildcard) process.stderr.write('Warning: listening on every network interface with no accounts: anyone on the network can read this store.\n');
  return new Promise<number>(() => { /* runs until a signal */ });
}
