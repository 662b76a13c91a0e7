// `tamis serve`: the web UI and its API over a store, on this machine only by
// default; with --team, over the team's investigations, with accounts.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { TamisError } from '../core/errors.ts';
import { openStore } from '../store/open-store.ts';
import { buildApp, LOCAL_HOSTS } from '../server/app.ts';
import { TeamDb, redact } from '../team/team-db.ts';

const HELP = `Usage: tamis serve [options]

Starts the web UI (search, items with their evidence, threads, timeline,
correspondents, verification dashboard) and its API (docs/api.md).

Options:
  --db FILE|URL      the store: a file (default ./tamis.db) or postgres://…
  --blobs DIR        its folder of original bytes, or s3://bucket/prefix
                     (default: beside a store file; ./tamis.blobs for PostgreSQL)
  --team URL         team mode: accounts, investigations and the audit log in
                     this PostgreSQL database (postgres://…; $TAMIS_TEAM
                     when neither --team nor --db is given),
                     set up with \`tamis team\`. --db is then not used: each
                     investigation names its own store.
  --port N           port (default 7300)
  --host ADDR        address to listen on (default 127.0.0.1: this machine only).
                     Local mode has no accounts: anyone who can reach the port
                     can read the whole store.
  --allow-host NAME  also answer requests addressed to NAME (repeatable; by
                     default only localhost/127.0.0.1/::1 and --host)
  --tls-cert FILE    serve https with this certificate (PEM) …
  --tls-key FILE     … and this private key (PEM)
  --trust-proxy      behind a reverse proxy (nginx, caddy): take the client
                     address and https from its X-Forwarded-For/-Proto headers
`;

export async function serveCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      db: { type: 'string' }, blobs: { type: 'string' }, team: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, 'allow-host': { type: 'string', multiple: true },
      'tls-cert': { type: 'string' }, 'tls-key': { type: 'string' }, 'trust-proxy': { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) { process.stdout.write(HELP); return 0; }
  const port = Number(values.port ?? 7300);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new TamisError('E_USAGE', '--port takes a whole number from 0 to 65535');
  const host = values.host ?? '127.0.0.1';
  if (!values['tls-cert'] !== !values['tls-key']) throw new TamisError('E_USAGE', '--tls-cert and --tls-key go together');
  const teamUrl = values.team ?? (values.db || values.blobs ? undefined : process.env.TAMIS_TEAM || undefined);
  if (teamUrl && (values.db || values.blobs)) throw new TamisError('E_USAGE', 'in team mode each investigation names its store: drop --db and --blobs (see `tamis team add-investigation`)');
  let https: { key: Buffer; cert: Buffer } | undefined;
  try {
    if (values['tls-cert']) https = { cert: readFileSync(values['tls-cert']), key: readFileSync(values['tls-key']!) };
  } catch (err) {
    throw new TamisError('E_USAGE', `cannot read the TLS certificate or key: ${(err as Error).message}`);
  }

  // Bound to every interface, the server is meant to be reached by any name.
  const wildcard = host === '0.0.0.0' || host === '::';
  const common = {
    allowedHosts: wildcard ? null : [...LOCAL_HOSTS, host, ...(values['allow-host'] ?? [])], https, trustProxy: values['trust-proxy'] ?? false,
  };
  let close: () => Promise<void>;
  let app;
  if (teamUrl) {
    const db = await TeamDb.connect(teamUrl);
    await db.migrate();
    app = await buildApp({ ...common, team: { db } });
    close = () => db.close();
  } else {
    const { store, blobs } = await openStore(values.db, { mustExist: true, blobs: values.blobs });
    app = await buildApp({ ...common, store, blobs });
    close = () => store.close();
  }
  const stop = async () => { await app.close(); await close(); process.exit(0); };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let address: string;
  try {
    address = await app.listen({ port, host });
  } catch (err) {
    await close();
    throw new TamisError('E_USAGE', `cannot listen on ${host}:${port}: ${(err as Error).message}`);
  }
  const what = teamUrl ? `team ${redact(teamUrl)}` : (values.db ?? 'tamis.db');
  process.stdout.write(`tamis is serving ${what} at ${address.replace('127.0.0.1', 'localhost')}/  (Ctrl-C to stop)\n`);
  if (wildcard && !teamUrl) process.stderr.write('Warning: listening on every network interface with no accounts: anyone on the network can read this store.\n');
  if (teamUrl && !https && !values['trust-proxy'] && host !== '127.0.0.1' && host !== 'localhost' && host !== '::1') {
    process.stderr.write('Warning: team mode over plain http: passwords and session cookies cross the network in clear. Use --tls-cert/--tls-key or a TLS reverse proxy (--trust-proxy).\n');
  }
  return new Promise<number>(() => { /* runs until a signal */ });
}
