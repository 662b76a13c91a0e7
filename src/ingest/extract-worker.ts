// Worker-thread entry: runs extract-task.ts for each message from the pool.
import { parentPort, workerData } from 'node:worker_threads';
import { toFailure } from '../core/errors.ts';
import { LocalBlobStore } from '../store/blobs/local-blob-store.ts';
import { runExtract, type ExtractRequest } from './extract-task.ts';

const blobs = new LocalBlobStore((workerData as { blobRoot: string }).blobRoot);

parentPort!.on('message', async (msg: { id: number; req: ExtractRequest }) => {
  try {
    const res = await runExtract(msg.req, blobs);
    parentPort!.postMessage({ id: msg.id, ok: true, res });
  } catch (err) {
    parentPort!.postMessage({ id: msg.id, ok: false, error: toFailure(err, 'E_IO') });
  }
});
