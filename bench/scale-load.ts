// Bench-only bulk path for bench/scale.ts: a million items through
// store.recordExtraction one at a time take ~40 min (a round trip, a parse
// and a transaction each). Here each statement hands a batch of extractions
// to the store's own server-side function, tamis_record_extraction, with
// exactly the arguments recordExtraction binds (extractionParams), so the
// rows, the tsvector (tamis_tsv, generated column) and the indexes are the
// ones the store writes; only the transaction boundaries differ (one per
// batch instead of one per item), and batches run on a few connections at once.
import type { PostgresStore } from '../src/store/postgres/pg-store.ts';
import { extractionParams } from '../src/store/postgres/pg-store.ts';
import { cleanText } from '../src/store/postgres/pg-db.ts';
import type { Generated } from './scale-corpus.ts';

const BATCH_SQL = `SELECT tamis_record_extraction(a.it, a.body, a.ch, a.occ, a.fs, a.now)
  FROM unnest($1::json[], $2::text[], $3::json[], $4::json[], $5::json[], $6::text[]) WITH ORDINALITY AS a(it, body, ch, occ, fs, now, ord)
  ORDER BY a.ord`;

/** Record every generated item; `onItem` sees each (verdicts, findings); returns how many were written. */
export async function bulkRecord(store: PostgresStore, dump: Iterable<Generated>, options: {
  batch?: number; inFlight?: number; onItem?: (g: Generated) => void; progress?: (n: number) => void;
} = {}): Promise<number> {
  const batch = options.batch ?? 500;
  const inFlight = options.inFlight ?? 3;
  const running = new Set<Promise<void>>();
  let written = 0;
  let next = 100_000;
  const send = (cols: string[][]) => {
    const p = store.db.rows(BATCH_SQL, cols).then(() => {
      running.delete(p);
      written += cols[0]!.length;
      if (written >= next) { options.progress?.(written); next += 100_000; }
    });
    running.add(p);
  };
  let cols: string[][] = [[], [], [], [], [], []];
  for (const g of dump) {
    options.onItem?.(g);
    const params = extractionParams(g.item, g.children, g.occ, g.failures).map(cleanText); // as PgDb.write cleans them
    params.forEach((v, k) => cols[k]!.push(v));
    if (cols[0]!.length < batch) continue;
    send(cols);
    cols = [[], [], [], [], [], []];
    if (running.size >= inFlight) await Promise.race(running);
  }
  if (cols[0]!.length) send(cols);
  await Promise.all(running);
  return written;
}
