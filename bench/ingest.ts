// Ingest throughput: generates a maildir of N emails (default 10,000) with the
// project's fixture generator, ingests it into a fresh SQLite store, and
// prints items/s, MB/s and peak RSS. Usage: node bench/ingest.ts [count] [workers]
// TAMIS_BENCH_DB=postgres://host/db ingests into that (empty) PostgreSQL
// database instead, with the same pipeline, blobs in bench/out/.
import { existsSync, rmSync, statSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { makeMailDump } from '../test/fixtures/make-mail-dump.ts';
import { ingest } from '../src/ingest/pipeline.ts';
import { openStore } from '../src/store/open-store.ts';

const count = Number(process.argv[2] ?? 10_000);
const workers = Number(process.argv[3] ?? availableParallelism());
const root = new URL('./out/', import.meta.url).pathname;
const dump = join(root, `maildir-${count}`);
const db = process.env.TAMIS_BENCH_DB ?? join(root, `ingest-${count}.db`);
const pgBlobs = join(root, `ingest-${count}-pg.blobs`);

function duSync(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    n += e.isDirectory() ? duSync(p) : statSync(p).size;
  }
  return n;
}

if (!existsSync(dump)) {
  const t = Date.now();
  await makeMailDump(dump, { count, seed: 1, layout: 'maildir' });
  console.log(`generated ${count} emails in ${((Date.now() - t) / 1000).toFixed(1)} s`);
}
for (const p of [db, `${db}-wal`, `${db}-shm`, db.replace(/\.db$/, '.blobs'), pgBlobs]) if (!p.startsWith('postgres')) rmSync(p, { recursive: true, force: true });

const inputBytes = duSync(dump);
const { store, blobs } = await openStore(db, db.startsWith('postgres') ? { blobs: pgBlobs } : {});
const t0 = performance.now();
const ocr = process.env.TAMIS_BENCH_OCR !== "0";
const stats = await ingest({ store, blobs, inputs: [dump], workers, ocr });
const secs = (performance.now() - t0) / 1000;
const counts = await store.counts();
await store.close();

const rssMb = process.resourceUsage().maxRSS / 1024;
console.log(JSON.stringify({
  date: new Date().toISOString().slice(0, 10),
  machine: `${cpus()[0]?.model ?? 'cpu'} ×${availableParallelism()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
  node: process.version,
  store: db.startsWith('postgres') ? 'postgresql' : 'sqlite',
  emails: count, workers,
  items: stats.occurrences, distinctItems: counts.items, failures: counts.failed,
  inputMB: +(inputBytes / 2 ** 20).toFixed(1),
  seconds: +secs.toFixed(2),
  itemsPerSec: Math.round(stats.occurrences / secs),
  emailsPerSec: Math.round(count / secs),
  MBPerSec: +((inputBytes / 2 ** 20) / secs).toFixed(2),
  peakRssMB: Math.round(rssMb),
}, null, 2));
