// The team server's scale (issue 8), on the machine's PostgreSQL:
//  1. ingest throughput of a queued dump read by 1, 2 and 4 `tamis worker`
//     processes (one parser thread each), parse and index only;
//  2. search latency (the API's faceted search) on a store of N items written
//     straight through the store interface (generated French/English text).
// Usage: node bench/scale.ts [emails=5000] [searchItems=1000000]
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { makeMailDump } from '../test/fixtures/make-mail-dump.ts';
import { openStore } from '../src/store/open-store.ts';

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

const result: Record<string, unknown> = {
  date: new Date().toISOString().slice(0, 10),
  machine: `${cpus()[0]?.model ?? 'cpu'} ×${availableParallelism()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
  postgres: spawnSync('psql', ['--version'], { encoding: 'utf8' }).stdout.trim(),
};

// 1. Workers.
const dump = join(here, 'out', `scale-maildir-${emails}`);
if (!existsSync(dump)) await makeMailDump(dump, { count: emails, seed: 3, layout: 'maildir' });
const ingest: Record<string, unknown>[] = [];
for (const workers of [1, 2, 4]) {
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
result.ingest = ingest;

// 2. Search on N items.
const url = await freshDb('tamis_scale_search');
const { store } = await openStore(url, { blobs: join(here, 'out', 'scale-search-blobs') });
const words = ('trésorerie comité campagne budget réunion prévisions dons salle presse équipe meeting invoice donors schedule venue ' +
  'délégués départementaux facture virement compte banque rapport financier bénévoles sécurité discours déplacement').split(' ');
let seed = 1;
const rnd = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
const t0 = performance.now();
for (let i = 0; i < searchItems; i++) {
  const text = Array.from({ length: 60 }, () => words[Math.floor(rnd() * words.length)]).join(' ') + ` n°${i}`;
  const sha256 = createHash('sha256').update(text).digest('hex');
  const sender = `p${Math.floor(rnd() * 500)}@en-marche.example`;
  const date = new Date(Date.UTC(2015, 0, 1) + Math.floor(rnd() * 850) * 86_400_000).toISOString();
  await store.recordExtraction(
    { sha256, size: text.length, mime: 'message/rfc822', ingestor: 'email', title: text.slice(0, 40), date, meta: { from: { name: '', address: sender } }, text, status: 'done', errorCode: null, errorMessage: null },
    [], { path: `mail/${i}.eml`, sha256, parentSha256: null, parentPath: null, role: 'file', kind: 'email', name: `${i}.eml` }, []);
  if (i % 100_000 === 99_999) process.stderr.write(`${i + 1} items written\n`);
}
await store.setVerdicts(new Map());
await store.flush();
const writeSecs = (performance.now() - t0) / 1000;
const times: number[] = [];
const queries = [...words.slice(0, 20).map((w) => ({ q: w })), { q: 'trésorerie', verdict: ['consistent'] }, { q: 'facture virement' }, { q: 'dél*' }, {}];
for (let round = 0; round < 10; round++) {
  for (const f of queries) { const t = performance.now(); await store.explore.search(f, { limit: 20, offset: 0 }); times.push(performance.now() - t); }
}
await store.close();
times.sort((a, b) => a - b);
result.search = {
  items: searchItems, writeSeconds: +writeSecs.toFixed(0), queries: times.length,
  p50ms: +times[Math.floor(times.length / 2)]!.toFixed(1), p95ms: +times[Math.floor(times.length * 0.95)]!.toFixed(1), maxMs: +times[times.length - 1]!.toFixed(1),
};
console.log(JSON.stringify(result, null, 2));
