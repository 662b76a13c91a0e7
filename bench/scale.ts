// The team server's scale (issue 8), on the machine's PostgreSQL:
//  1. ingest throughput of a queued dump read by 1, 2 and 4 `tamis worker`
//     processes (one parser thread each), parse and index only;
//  2. search latency (the API's faceted search) per query class on a store
//     of N generated French/English items (scale-search.ts).
// Usage: node bench/scale.ts [emails=5000] [searchItems=1000000]; emails = 0 skips part 1.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { makeMailDump } from '../test/fixtures/make-mail-dump.ts';
import { openStore } from '../src/store/open-store.ts';
import { searchBench } from './scale-search.ts';

const emails = Number(process.argv[2] ?? 5000);
const searchItems = Number(process.argv[3] ?? 1_000_000);
const here = fileURLToPath(new URL('.', import.meta.url));
const bin = join(here, '../bin/tamis.js');
const user = process.env.PGUSER || 'postgres';
const admin = `postgres://${user}@127.0.0.1:5432/postgres`;

async function freshDb(name: string): Promise<string> {
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  return `postgres://${user}@127.0.0.1:5432/${name}`;
}

async function dbExists(name: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  const found = (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
  await c.end();
  return found;
}

const result: Record<string, unknown> = {
  date: new Date().toISOString().slice(0, 10),
  machine: `${cpus()[0]?.model ?? 'cpu'} ×${availableParallelism()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
  postgres: spawnSync('psql', ['--version'], { encoding: 'utf8' }).stdout.trim(),
};

// 1. Workers (emails = 0 skips them).
const dump = join(here, 'out', `scale-maildir-${emails}`);
if (emails > 0 && !existsSync(dump)) await makeMailDump(dump, { count: emails, seed: 3, layout: 'maildir' });
const ingest: Record<string, unknown>[] = [];
for (const workers of emails > 0 ? [1, 2, 4] : []) {
  const url = await freshDb(`tamis_scale_w${workers}`);
  const blobs = join(here, 'out', `scale-blobs-${workers}`);
  rmSync(blobs, { recursive: true, force: true });
  const q = spawnSync(process.execPath, [bin, 'ingest', dump, '--db', url, '--blobs', blobs, '--no-wait', '--quiet'], { encoding: 'utf8' });
  if (q.status !== 0) throw new Error(q.stderr);
  const t = performance.now();
  const procs = Array.from({ length: workers }, () => spawn(process.execPath,
    [bin, 'worker', '--db', url, '--blobs', blobs, '--concurrency', '1', '--no-ocr', '--exit-when-idle', '2', '--quiet'], { stdio: 'inherit' }));
  await Promise.all(procs.map((p) => new Promise((r) => p.once('exit', r))));
  const secs = (performance.now() - t) / 1000 - 2; // minus the idle wait before exiting
  const { store } = await openStore(url, { mustExist: true, blobs });
  const items = (await store.counts()).items;
  await store.close();
  ingest.push({ workers, emails, items, seconds: +secs.toFixed(1), itemsPerSec: Math.round(items / secs) });
  rmSync(blobs, { recursive: true, force: true });
}
if (emails > 0) result.ingest = ingest;


// 2. Search on N items (scale-search.ts). SCALE_REUSE=1 keeps a database
// that already holds N generated items (to time the search again after a change).
const reuse = process.env.SCALE_REUSE === '1';
const dbName = 'tamis_scale_search';
const url = reuse && await dbExists(dbName) ? `postgres://${user}@127.0.0.1:5432/${dbName}` : await freshDb(dbName);
result.search = await searchBench(url, searchItems, { reuse });
console.log(JSON.stringify(result, null, 2));
