// Blobs as files under <root>/ab/<sha256> (256 folders: few mkdirs, and
// ext4/xfs handle tens of thousands of names per folder). Written to a temporary name and
// renamed, so a crash never leaves a half-written blob under its final name,
// and two workers writing the same blob cannot corrupt it.
// File calls are synchronous on purpose: blobs are written from worker
// threads, where blocking is free, while async calls would queue on libuv's
// small shared thread pool and leave the workers idle.
import type { Readable } from 'node:stream';
import { createReadStream, closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, renameSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import type { BlobStore, LocalBlobFile } from './blob-store.ts';
import { FileBlobWriter, type BlobWriter } from './blob-writer.ts';

const SHA256_HEX = /^[0-9a-f]{64}$/;

export class LocalBlobStore implements BlobStore {
  readonly location: string;
  private readonly madeDirs = new Set<string>();
  constructor(root: string) { this.location = root; }

  /** The blob's file under the root: private, callers use readStream()/localFile(), which work on every store. */
  private pathOf(sha256: string): string {
    // Only hex digests reach the file system: a name from the dump never does.
    if (!SHA256_HEX.test(sha256)) throw new Error(`not a sha256 digest: ${sha256.slice(0, 80)}`);
    return join(this.location, sha256.slice(0, 2), sha256);
  }

  async readStream(sha256: string): Promise<Readable | undefined> {
    const path = this.pathOf(sha256);
    return existsSync(path) ? createReadStream(path) : undefined;
  }

  async has(sha256: string): Promise<boolean> {
    return existsSync(this.pathOf(sha256));
  }

  async size(sha256: string): Promise<number | undefined> {
    return statSync(this.pathOf(sha256), { throwIfNoEntry: false })?.size;
  }

  /** The blob's own file: nothing to copy or release. */
  async localFile(sha256: string): Promise<LocalBlobFile> {
    return { path: this.pathOf(sha256), release() {} };
  }

  /** Every write is done by the time its call returns. */
  async flush(): Promise<void> {}

  async put(sha256: string, bytes: Uint8Array): Promise<void> {
    const final = this.pathOf(sha256);
    if (existsSync(final)) return;
    const dir = join(this.location, sha256.slice(0, 2));
    if (!this.madeDirs.has(dir)) {
      mkdirSync(dir, { recursive: true });
      this.madeDirs.add(dir);
    }
    const tmp = join(dir, `.${sha256}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      writeFileSync(tmp, bytes);
      renameSync(tmp, final);
    } catch (err) {
      try { unlinkSync(tmp); } catch { /* already gone */ }
      throw err;
    }
  }

  /** Copy a file in, hashing as it streams: large originals never sit in memory. */
  async importFile(src: string): Promise<{ sha256: string; size: number }> {
    mkdirSync(this.location, { recursive: true });
    const tmp = join(this.location, `.import.${randomBytes(6).toString('hex')}.tmp`);
    const hash = createHash('sha256');
    const chunk = Buffer.allocUnsafe(8 << 20);
    const input = openSync(src, 'r');
    const output = openSync(tmp, 'w');
    let size = 0;
    try {
      for (let n = readSync(input, chunk); n > 0; n = readSync(input, chunk)) {
        hash.update(chunk.subarray(0, n));
        writeSync(output, chunk, 0, n);
        size += n;
      }
    } finally {
      closeSync(input);
      closeSync(output);
    }
    const sha256 = hash.digest('hex');
    const final = this.pathOf(sha256);
    if (existsSync(final)) unlinkSync(tmp);
    else {
      mkdirSync(join(this.location, sha256.slice(0, 2)), { recursive: true });
      renameSync(tmp, final);
    }
    return { sha256, size };
  }

  writer(): BlobWriter {
    return new FileBlobWriter(this.location, (sha256) => this.pathOf(sha256));
  }

  async get(sha256: string): Promise<Uint8Array> {
    return readFileSync(this.pathOf(sha256));
  }
}
