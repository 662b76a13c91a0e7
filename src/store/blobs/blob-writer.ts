// A blob written piece by piece (a decoded attachment, a mailbox message, a
// copied file), hashed as it goes, so bytes of any size reach the store
// without sitting in memory. The bytes go to a temporary file inside the
// blob folder, never outside the store, and are renamed to their SHA-256
// only once complete. Synchronous, as the rest of the local store: it runs
// in worker threads, where blocking is free.
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createHash, randomBytes, type Hash } from 'node:crypto';
import { isS3Location } from './s3-location.ts';
import { sweepSpools } from './spool.ts';

export interface BlobWriter {
  write(bytes: Uint8Array): void;
  /** Bytes written so far. */
  readonly size: number;
  /** Files the bytes under their SHA-256 (when that blob already exists, the copy is dropped). */
  commit(): { sha256: string; size: number };
  /** Drops what was written. */
  abort(): void;
}

const BUFFER_BYTES = 1 << 20; // few, large writes: callers often pass one line at a time

export class FileBlobWriter implements BlobWriter {
  private readonly tmp: string;
  private readonly finalPath: (sha256: string) => string;
  private readonly hash: Hash = createHash('sha256');
  private fd: number | null;
  private buf = Buffer.allocUnsafe(BUFFER_BYTES);
  private used = 0;
  size = 0;

  constructor(root: string, finalPath: (sha256: string) => string) {
    mkdirSync(root, { recursive: true });
    this.tmp = join(root, `.write.${randomBytes(6).toString('hex')}.tmp`);
    this.finalPath = finalPath;
    this.fd = openSync(this.tmp, 'w');
  }

  write(bytes: Uint8Array): void {
    if (this.fd === null) throw new Error('blob writer already closed');
    this.hash.update(bytes);
    this.size += bytes.length;
    if (this.used + bytes.length > BUFFER_BYTES) this.flush();
    if (bytes.length >= BUFFER_BYTES) { writeSync(this.fd, bytes); return; }
    this.buf.set(bytes, this.used);
    this.used += bytes.length;
  }

  private flush(): void {
    if (this.used) writeSync(this.fd!, this.buf, 0, this.used);
    this.used = 0;
  }

  commit(): { sha256: string; size: number } {
    this.flush();
    closeSync(this.fd!);
    this.fd = null;
    const sha256 = this.hash.digest('hex');
    const final = this.finalPath(sha256);
    if (existsSync(final)) unlinkSync(this.tmp);
    else {
      mkdirSync(dirname(final), { recursive: true });
      renameSync(this.tmp, final);
    }
    return { sha256, size: this.size };
  }

  abort(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    try { unlinkSync(this.tmp); } catch { /* already gone */ }
  }
}

const TEMPORARY = /^\.(write|import)\.[0-9a-f]+\.tmp$/;

/**
 * Removes temporary files a stopped writer left in the blob folder (a worker
 * killed at its time limit while copying a large file), or an S3 store's spools. Call only while no
 * writer of this store is open: at the start and end of an ingest.
 */
export function sweepTemporaryFiles(root: string): number {
  // An S3 store keeps its temporary files in local spool folders instead.
  if (isS3Location(root)) return sweepSpools();
  let removed = 0;
  let names: string[];
  try { names = readdirSync(root); } catch { return 0; }
  for (const name of names) {
    if (!TEMPORARY.test(name)) continue;
    try { unlinkSync(join(root, name)); removed++; } catch { /* gone already */ }
  }
  return removed;
}
