// Original bytes, content-addressed by SHA-256. Blobs are written once and
// never modified: the evidence stays as it was received. Two kinds: a local
// folder (local-blob-store.ts, the default) and S3-compatible object storage
// (s3-blob-store.ts); open-blob-store.ts opens either from its location.
import type { Readable } from 'node:stream';
import type { BlobWriter } from './blob-writer.ts';

/** A blob as a file on this machine; `release` once read (a remote store made a temporary copy). */
export interface LocalBlobFile { path: string; release(): void }

export interface BlobStore {
  /** Where blobs live (a folder, or s3://bucket/prefix), for worker threads that open the same store themselves. */
  readonly location: string;
  has(sha256: string): Promise<boolean>;
  /** The blob's size in bytes; undefined when it is missing. */
  size(sha256: string): Promise<number | undefined>;
  /** Store bytes whose SHA-256 the caller computed. Idempotent. */
  put(sha256: string, bytes: Uint8Array): Promise<void>;
  get(sha256: string): Promise<Uint8Array>;
  /** The bytes as a stream, for downloads of any size; undefined when the blob is missing. */
  readStream(sha256: string): Promise<Readable | undefined>;
  /** Copy a file in while hashing it, without holding it in memory. */
  importFile(path: string): Promise<{ sha256: string; size: number }>;
  /**
   * A blob written piece by piece and filed under its SHA-256 on commit (temporary bytes stay inside the store,
   * or in a remote store's local spool). A remote store may still be uploading after commit: see flush().
   */
  writer(): BlobWriter;
  /** Resolves once every blob written so far is kept for good (a remote store uploads writers' blobs in the background). */
  flush(): Promise<void>;
  /** A file holding the blob, for a reader that needs a file (or random access), on any store. */
  localFile(sha256: string): Promise<LocalBlobFile>;
}
