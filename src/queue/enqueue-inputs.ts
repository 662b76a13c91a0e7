// The first half of a team ingest: list the inputs, copy each file not yet
// done into the shared blob store (so workers on other machines can read
// it), and queue one job per file. Walk problems are recorded at once.
import type { BlobStore } from '../store/blobs/blob-store.ts';
import type { Store } from '../store/store.ts';
import { walkInputs } from '../ingest/walk.ts';
import type { InputJob, WorkQueue } from './queue.ts';

export interface EnqueueSummary { queued: number; alreadyDone: number; problems: number; bytes: number }

export async function enqueueInputs(
  store: Store, blobs: BlobStore, queue: WorkQueue, inputs: string[], onFile?: (done: number, total: number) => void,
): Promise<EnqueueSummary> {
  const { files, problems } = await walkInputs(inputs);
  for (const p of problems) await store.recordFailure({ path: p.path, sha256: null, code: p.code, message: p.message });
  const summary: EnqueueSummary = { queued: 0, alreadyDone: 0, problems: problems.length, bytes: 0 };
  let batch: InputJob[] = [];
  for (const [i, f] of files.entries()) {
    onFile?.(i, files.length);
    if (await store.inputDone({ path: f.path, absPath: f.absPath, size: f.size, mtimeMs: f.mtimeMs })) { summary.alreadyDone++; continue; }
    let imported: { sha256: string; size: number };
    try {
      imported = await blobs.importFile(f.absPath);
    } catch (err) {
      await store.recordFailure({ path: f.path, sha256: null, code: 'E_IO', message: `The file could not be read: ${(err as Error).message}` });
      summary.problems++;
      continue;
    }
    batch.push({ path: f.path, sha256: imported.sha256, size: imported.size, mtimeMs: f.mtimeMs });
    summary.queued++;
    summary.bytes += imported.size;
    if (batch.length >= 500) { await queue.enqueue(batch); batch = []; }
  }
  if (batch.length) await queue.enqueue(batch);
  await store.flush();
  onFile?.(files.length, files.length);
  return summary;
}
