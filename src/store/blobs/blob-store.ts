// Original bytes, content-addressed by SHA-256. Blobs are written once and
// never modified: the evidence stays as it was received.
import type { Readable } from 'node:stream';

export interface BlobStore {
  /** Where blobs live, for worker threads that open the same store themselves. */
  readonly location: string;
  has(sha256: string): Promise<boolean>;
  /** Store bytes whose SHA-256 the caller computed. Idempotent. */
  put(sha256: string, bytes: Uint8Array): Promise<void>;
  get(sha256: string): Promise<Uint8Array>;
  /** The bytes as a stream, for downloads of any size; undefined when the blob is missing. */
  readStream(sha256: string): Promise<Readable | undefined>;
  /** Copy a file in while hashing it, without holding it in memory. */
  importFile(path: string): Promise<{ sha256: string; size: number }>;
}
