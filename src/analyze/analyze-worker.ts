// Worker-thread entry for per-item analysis: DKIM/ARC of one stored email.
import { parentPort, workerData } from 'node:worker_threads';
import { promises as dns } from 'node:dns';
import { toFailure } from '../core/errors.ts';
import { KeyIndex, type DkimKey } from '../keys/key-index.ts';
import { openBlobStore } from '../store/blobs/open-blob-store.ts';
import { verifyDkim } from './dkim/verify-message.ts';

const STREAM_ABOVE = 64 << 20;

const data = workerData as { blobRoot: string; keys: DkimKey[]; dns: boolean };
const blobs = await openBlobStore(data.blobRoot);
const keys = new KeyIndex(data.keys);

// Live DNS only when the investigator asked for it (--dns); results are
// returned to the main thread, which archives them with their retrieval time.
const liveLookup = data.dns
  ? async (name: string): Promise<DkimKey[]> => {
      try {
        const records = await dns.resolveTxt(name);
        const at = new Date().toISOString();
        return records.map((r) => ({ name, value: r.join(''), source: 'dns', importedAt: at }));
      } catch {
        return [];
      }
    }
  : undefined;

let chain: Promise<void> = Promise.resolve();
// A parser may leave a stray rejected promise behind after its job already
// answered; it must not kill the thread (and the next job with it).
process.on('unhandledRejection', () => {});
parentPort!.on('message', (msg: { id: number; req: { sha256: string } }) => {
  chain = chain.then(async () => {
    try {
      // A message too large to hold (a 1 GB attachment) is verified from a file, as a stream (from a temporary copy on S3).
      const large = ((await blobs.size(msg.req.sha256)) ?? 0) > STREAM_ABOVE ? await blobs.localFile(msg.req.sha256) : null;
      try {
        const raw = large ? { path: large.path } : await blobs.get(msg.req.sha256);
        const res = await verifyDkim(raw, { keys, liveLookup });
        parentPort!.postMessage({ id: msg.id, ok: true, res });
      } finally {
        large?.release();
      }
    } catch (err) {
      parentPort!.postMessage({ id: msg.id, ok: false, error: toFailure(err) });
    }
  });
});
