// `tamis.report/1` (../shared/report-schema.md), streamed item by item so a
// million-item report never sits whole in memory. Extensions to the contract
// are additive: `paths` lists every place the same bytes were met.
import type { Writable } from 'node:stream';
import type { Store } from '../store/store.ts';
import { writeChunk } from './write-chunk.ts';

export const REPORT_SCHEMA = 'tamis.report/1';

export async function writeJsonReport(store: Store, out: Writable, now: Date = new Date()): Promise<void> {
  const counts = await store.counts();
  const head = {
    schema: REPORT_SCHEMA,
    generatedAt: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    corpus: { items: counts.items, bytes: counts.bytes, failed: counts.failed },
  };
  await writeChunk(out, JSON.stringify(head, null, 2).replace(/\n}$/, ',\n  "items": ['));
  let first = true;
  for await (const item of store.reportItems()) {
    await writeChunk(out, (first ? '\n    ' : ',\n    ') + JSON.stringify(item));
    first = false;
  }
  const failures = (await store.failures()).map((f) => ({ path: f.path, code: f.code, message: f.message }));
  await writeChunk(out, `${first ? '' : '\n  '}],\n  "failures": ${JSON.stringify(failures, null, 2).replace(/\n/g, '\n  ')}\n}\n`);
}
