// Worker entry (a thread, or a process under a heap cap): runs extract-task.ts
// for each message from the pool, strictly one after another (the pool's time
// limit assumes it).
import { toFailure } from '../core/errors.ts';
import { workerSide } from './pool-process.ts';
import { openBlobStore } from '../store/blobs/open-blob-store.ts';
import { runExtract, type ExtractRequest } from './extract-task.ts';

const side = await workerSide<{ blobRoot: string }>();
const blobs = await openBlobStore(side.data.blobRoot);
let chain: Promise<void> = Promise.resolve();
// A parser may leave a stray rejected promise behind after its job already
// answered; it must not kill the thread (and the next job with it).
process.on('unhandledRejection', () => {});

side.onMessage((msg: { id: number; req: ExtractRequest }) => {
  chain = chain.then(async () => {
    try {
      const res = await runExtract(msg.req, blobs);
      // An S3 store may still be uploading what the parser wrote: the item is answered once its bytes are kept.
      await blobs.flush();
      side.post({ id: msg.id, ok: true, res });
    } catch (err) {
      await blobs.flush().catch(() => {}); // a failed job's uploads must not fail the next one
      side.post({ id: msg.id, ok: false, error: toFailure(err, 'E_IO') });
    }
  });
});
