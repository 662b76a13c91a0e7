// The analysis phase after ingest: DKIM/ARC for every email not yet checked
// (in the worker pool), then the corpus pass (profiles, provenance, key
// history), then a verdict for every item. Rerunnable: per-item results are
// kept until keys change; corpus results are recomputed each time.
import { availableParallelism } from 'node:os';
import { toFailure } from '../core/errors.ts';
import type { Finding } from '../core/types.ts';
import type { DkimKey } from '../keys/key-index.ts';
import type { BlobStore } from '../store/blobs/blob-store.ts';
import type { Store } from '../store/store.ts';
import { WorkerPool } from '../ingest/worker-pool.ts';
import type { DkimOutcome } from './dkim/verify-message.ts';
import { runCorpusPass } from './corpus-pass.ts';

export const DKIM_ANALYZER = 'dkim';
/** Bump when the DKIM analyzer's findings change meaning: every email is checked again. */
export const DKIM_VERSION = 2;

export interface AnalysisOptions {
  store: Store;
  blobs: BlobStore;
  workers?: number;
  dns?: boolean;
  timeoutMs?: number;
  /** When the dump appeared (documents modified later are flagged); default: the newest input file time. */
  leakDate?: Date;
  onProgress?: (done: number, total: number) => void;
}

export interface AnalysisSummary { emailsChecked: number; verdicts: Record<string, number>; keysFetched: number }

export async function runAnalysis(options: AnalysisOptions): Promise<AnalysisSummary> {
  const { store, blobs } = options;
  const pending = await store.pendingAnalysis(DKIM_ANALYZER, DKIM_VERSION, 'email');
  let keysFetched = 0;
  if (pending.length) {
    const pool = new WorkerPool<{ sha256: string }, DkimOutcome>({
      script: new URL('./analyze-worker.ts', import.meta.url),
      size: Math.max(1, Math.min(options.workers ?? availableParallelism(), pending.length)),
      timeoutMs: options.timeoutMs ?? 60_000,
      workerData: { blobRoot: blobs.location, keys: await store.listKeys(), dns: options.dns ?? false },
    });
    let done = 0;
    try {
      await Promise.all(pending.map(async (sha256) => {
        let findings: Finding[];
        try {
          const res = await pool.run({ sha256 });
          findings = res.findings;
          if (res.fetchedKeys.length) keysFetched += await store.addKeys(res.fetchedKeys as DkimKey[]);
        } catch (err) {
          const f = toFailure(err);
          findings = [{ rule: 'dkim.unverifiable', severity: 'info', related: [], evidence: { code: f.code },
            message: `The signatures could not be checked: ${f.message}` }];
        }
        await store.saveItemFindings(sha256, DKIM_ANALYZER, DKIM_VERSION, findings);
        options.onProgress?.(++done, pending.length);
      }));
    } finally {
      await pool.close();
    }
  }
  const verdicts = await runCorpusPass(store, { dkimAnalyzer: DKIM_ANALYZER, leakDate: options.leakDate });
  return { emailsChecked: pending.length, verdicts, keysFetched };
}
