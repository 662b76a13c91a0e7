// Worker-thread entry: runs extract-task.ts for each message from the pool,
// strictly one after another (the pool's time limit assumes it).
import { parentPort, workerData } from 'node:worker_threads';
import { toFailure } from '../core/errors.ts';
import { LocalBlobStore } from '../store/blobs/local-blob-store.ts';
import { runExtract, type ExtractRequest } from './extract-task.ts';

const blobs = new LocalBlobStore((workerData as { blobRoot: string }).blobRoot);
let chain: Promise<void> = Promise.resolve();
// A parser may leave a stray rejected promise behind after its job already
// answered; it must not kill the thread (and the next job with it).
process.on('unhandledRejection', () => {});

parentPort!.on('message', (msg: { id: number; req: ExtractRequest }) => {
  chain = chain.then(async () => {
    try {
      const res = await runExtract(msg.req, blobs);
      parentPort!.postMessage({ id: msg.id, ok: true, res });
    } catch (err) {
      parentPort!.postMessage({ id: msg.id, ok: false, error: toFailure(err, 'E_IO') });
    }
  });
});
