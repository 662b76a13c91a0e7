// When the parser thread gives up on an input file (time limit, crash, out of
// memory), its bytes are still kept and hashed here, in the main thread: the
// store then holds the evidence, the manifest names the file's SHA-256, and
// `--retry-failed` can read it again. Streamed: the file may be large.
import { closeSync, openSync, readSync } from 'node:fs';
import type { BlobStore } from '../store/blobs/blob-store.ts';
import type { ItemRecord } from '../store/store.ts';
import { sniff } from './sniff.ts';

const SNIFF_BYTES = 64 * 1024;

function head(path: string): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const buf = new Uint8Array(SNIFF_BYTES);
    return buf.subarray(0, readSync(fd, buf, 0, SNIFF_BYTES, 0));
  } finally {
    closeSync(fd);
  }
}

/** The file as a failed item (nothing parsed); null when the file itself cannot be read. */
export async function keepUnparsed(path: string, name: string, blobs: BlobStore, failure: { code: string; message: string }): Promise<ItemRecord | null> {
  try {
    const { mime } = sniff(head(path), name);
    const { sha256, size } = await blobs.importFile(path);
    return {
      sha256, size, mime, ingestor: null, title: null, date: null, meta: {}, text: '',
      status: 'failed', errorCode: failure.code, errorMessage: failure.message,
    };
  } catch {
    return null; // unreadable now too: the failure alone is recorded
  }
}
