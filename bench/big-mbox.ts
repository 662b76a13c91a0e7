// A mailbox larger than memory should allow: generates an mbox of SIZE_MB
// (default 1024) of ~50 KB French messages, ingests it, and prints wall time
// and the peak RSS of the whole process (workers included).
// Usage: node bench/big-mbox.ts [sizeMB]
import { closeSync, existsSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism, cpus } from 'node:os';
import { ingest } from '../src/ingest/pipeline.ts';
import { openStore } from '../src/store/open-store.ts';

const sizeMb = Number(process.argv[2] ?? 1024);
const root = new URL('./out/', import.meta.url).pathname;
const mbox = join(root, `big-${sizeMb}.mbox`);
const db = join(root, `big-${sizeMb}.db`);

if (!existsSync(mbox) || statSync(mbox).size < sizeMb * 2 ** 20) {
  const para = 'La trésorerie de la campagne présente un solde de 12 000 euros au 2 mai. Le comité valide les dépenses de la salle. ';
  const body = Array.from({ length: 420 }, (_, i) => `${para}(${i})`).join('\n');
  const fd = openSync(mbox, 'w');
  let written = 0;
  for (let n = 0; written < sizeMb * 2 ** 20; n++) {
    const msg = `From equipe${n % 97}@en-marche.example Tue May  2 10:00:00 2017\nFrom: equipe${n % 97}@en-marche.example\nTo: tresorier@en-marche.example\nSubject: Point ${n}\nDate: Tue, 02 May 2017 10:00:00 +0200\nMessage-ID: <${n}@mx1.en-marche.example>\n\n${body}\n>From the archive ${n}\n\n`;
    written += writeSync(fd, msg);
  }
  closeSync(fd);
}
for (const p of [db, `${db}-wal`, `${db}-shm`, db.replace(/\.db$/, '.blobs')]) rmSync(p, { recursive: true, force: true });

const { store, blobs } = await openStore(db);
const t0 = performance.now();
const stats = await ingest({ store, blobs, inputs: [mbox], ocr: false });
const secs = (performance.now() - t0) / 1000;
await store.close();
console.log(JSON.stringify({
  date: new Date().toISOString().slice(0, 10),
  machine: `${cpus()[0]?.model ?? 'cpu'} ×${availableParallelism()}`,
  mboxMB: Math.round(statSync(mbox).size / 2 ** 20),
  items: stats.occurrences, failures: stats.failures,
  seconds: +secs.toFixed(1),
  peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
}, null, 2));
