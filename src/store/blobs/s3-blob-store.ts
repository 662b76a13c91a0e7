// Blobs as objects in S3-compatible storage, keyed <prefix><sha256[0:2]>/<sha256>
// (the local folder's layout), so several machines share one store. Only hex
// digests become keys: no name from the dump reaches the bucket.
// Writes are idempotent and leave an object that is there alone: a small blob
// goes in one conditional PUT (If-None-Match: a server that ignores it rewrites
// the same bytes), a larger one only after a HEAD finds it absent.
// BlobWriter is synchronous (it runs inside parsers), so a writer's bytes go to
// a local spool file (spool.ts); commit starts the upload in the background
// and flush() waits for it. A worker answers for an item only after flush, so
// the store never records an item whose bytes are not kept.
import { createReadStream, createWriteStream, existsSync, linkSync, openSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { join } from 'node:path';
import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { TamisError } from '../../core/errors.ts';
import type { BlobStore, LocalBlobFile } from './blob-store.ts';
import { FileBlobWriter, type BlobWriter } from './blob-writer.ts';
import { parseS3Location, s3ClientConfig } from './s3-location.ts';
import { hashFile, putBytes, uploadFile, type Target } from './s3-upload.ts';
import { Spool } from './spool.ts';

const SHA256_HEX = /^[0-9a-f]{64}$/;
/** Uploads at once per store instance (each worker has its own): enough to hide latency, few part buffers in memory. */
const UPLOAD_SLOTS = 4;
/** Above this, a HEAD first saves sending bytes already there; below, a conditional PUT saves the round trip. */
const HEAD_FIRST_ABOVE = 1 << 20;
/** The largest body size() keeps for the get() after it (one per store instance). */
const READ_AHEAD_MAX = 8 << 20;

const notFound = (err: unknown): boolean => {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NotFound' || e?.name === 'NoSuchKey' || e?.$metadata?.httpStatusCode === 404;
};

export class S3BlobStore implements BlobStore {
  readonly location: string;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly client: S3Client;
  private readonly spool = new Spool();
  /** Writers' blobs being uploaded from the spool, by SHA-256. */
  private readonly uploads = new Map<string, Promise<void>>();
  private failures: unknown[] = [];
  /** The body size() read, for the get() that follows it. */
  private readAhead: { sha256: string; bytes: Uint8Array } | null = null;
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  /** `location` is s3://bucket/prefix; the client defaults to one configured from the environment. */
  constructor(location: string, client?: S3Client) {
    const loc = parseS3Location(location);
    this.location = loc.location;
    this.bucket = loc.bucket;
    this.prefix = loc.prefix;
    this.client = client ?? new S3Client(s3ClientConfig());
  }

  private key(sha256: string): string {
    // Only hex digests become keys: a name from the dump never does.
    if (!SHA256_HEX.test(sha256)) throw new Error(`not a sha256 digest: ${sha256.slice(0, 80)}`);
    return `${this.prefix}${sha256.slice(0, 2)}/${sha256}`;
  }

  private target(sha256: string): Target {
    return { client: this.client, bucket: this.bucket, key: this.key(sha256), sha256 };
  }

  private fail(what: string, sha256: string, err: unknown): TamisError {
    if (err instanceof TamisError) return err;
    const e = err as Error;
    return new TamisError('E_BLOB_STORE', `${what} ${sha256} in ${this.location}: ${e.name}: ${e.message}`, { cause: err });
  }

  /** Bounds concurrent uploads (and their part buffers). */
  private async slot<T>(fn: () => Promise<T>): Promise<T> {
    while (this.active >= UPLOAD_SLOTS) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try { return await fn(); } finally { this.active--; this.waiting.shift()?.(); }
  }

  /** The spool file of a blob waiting for upload (it exists only while the upload runs). */
  private spoolPath(sha256: string): string {
    this.key(sha256);
    return join(this.spool.dir, sha256);
  }

  private spooled(sha256: string): string | null {
    const path = this.spoolPath(sha256);
    return this.uploads.has(sha256) && existsSync(path) ? path : null;
  }

  /**
   * Readers ask a blob's size, then read it (whole, or from a file when large): a GET instead of a HEAD
   * answers both in one request. A small body is kept for the get() that follows; a large one is left unread.
   */
  async size(sha256: string): Promise<number | undefined> {
    const path = this.spooled(sha256);
    if (path) return statSync(path).size;
    this.readAhead = null;
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key(sha256) }));
      const size = res.ContentLength ?? 0;
      if (size > READ_AHEAD_MAX) (res.Body as Readable).destroy();
      else this.readAhead = { sha256, bytes: await res.Body!.transformToByteArray() };
      return size;
    } catch (err) {
      if (notFound(err)) return undefined;
      throw this.fail('GET', sha256, err);
    }
  }

  /** The object's size in the bucket; undefined when it is not there. */
  private async head(sha256: string): Promise<number | undefined> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.key(sha256) }));
      return head.ContentLength ?? 0;
    } catch (err) {
      if (notFound(err)) return undefined;
      throw this.fail('HEAD', sha256, err);
    }
  }

  async has(sha256: string): Promise<boolean> {
    return this.uploads.has(sha256) || (await this.head(sha256)) !== undefined;
  }

  async put(sha256: string, bytes: Uint8Array): Promise<void> {
    if (this.uploads.has(sha256)) return;
    if (bytes.length > HEAD_FIRST_ABOVE && (await this.head(sha256)) !== undefined) return;
    try {
      await this.slot(() => putBytes(this.target(sha256), bytes));
    } catch (err) {
      throw this.fail('PUT', sha256, err);
    }
  }

  /** Hashes the file first (its key is its SHA-256), then uploads it, re-hashing as it goes: two reads, no copy, bounded memory. */
  async importFile(path: string): Promise<{ sha256: string; size: number }> {
    const { sha256, size } = hashFile(path);
    await this.upload(sha256, path, size);
    return { sha256, size };
  }

  private async upload(sha256: string, path: string, size: number): Promise<void> {
    try {
      await this.slot(async () => {
        if (size <= HEAD_FIRST_ABOVE || (await this.head(sha256)) === undefined) await uploadFile(this.target(sha256), path, size);
      });
    } catch (err) {
      throw this.fail('upload of', sha256, err);
    }
  }

  writer(): BlobWriter {
    const inner = new FileBlobWriter(this.spool.ensure(), (sha256) => this.spoolPath(sha256));
    return {
      write: (bytes) => inner.write(bytes),
      get size() { return inner.size; },
      abort: () => inner.abort(),
      commit: () => {
        const done = inner.commit();
        this.uploadSpooled(done.sha256);
        return done;
      },
    };
  }

  /** Starts uploading a committed writer's spool file (once per blob), removing the file when done. */
  private uploadSpooled(sha256: string): void {
    if (this.uploads.has(sha256)) return; // the same bytes written twice: the first upload carries them
    const path = this.spoolPath(sha256);
    const job = this.upload(sha256, path, statSync(path).size)
      .catch((err: unknown) => { this.failures.push(err); })
      .finally(() => {
        this.uploads.delete(sha256);
        try { unlinkSync(path); } catch { /* gone already */ }
      });
    this.uploads.set(sha256, job);
  }

  async flush(): Promise<void> {
    while (this.uploads.size) await Promise.all(this.uploads.values());
    const [first] = this.failures;
    this.failures = [];
    if (first) throw first;
  }

  async get(sha256: string): Promise<Uint8Array> {
    const path = this.spooled(sha256);
    if (path) return readFileSync(path);
    const ahead = this.readAhead;
    this.readAhead = null;
    if (ahead?.sha256 === sha256) return ahead.bytes;
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key(sha256) }));
      return await res.Body!.transformToByteArray();
    } catch (err) {
      throw this.fail(notFound(err) ? 'no blob' : 'GET', sha256, err);
    }
  }

  async readStream(sha256: string): Promise<Readable | undefined> {
    const path = this.spooled(sha256);
    // Opened now: the spool file may be removed once its upload ends, an open descriptor still reads it.
    if (path) return createReadStream(path, { fd: openSync(path, 'r') });
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key(sha256) }));
      return res.Body as Readable;
    } catch (err) {
      if (notFound(err)) return undefined;
      throw this.fail('GET', sha256, err);
    }
  }

  /** A temporary copy in the spool (a hard link when the blob is still there), removed by release(). */
  async localFile(sha256: string): Promise<LocalBlobFile> {
    const tmp = this.spool.temp('read');
    const release = () => { try { unlinkSync(tmp); } catch { /* gone already */ } };
    const path = this.spooled(sha256);
    if (path) {
      linkSync(path, tmp);
      return { path: tmp, release };
    }
    const ahead = this.readAhead;
    this.readAhead = null;
    if (ahead?.sha256 === sha256) {
      writeFileSync(tmp, ahead.bytes);
      return { path: tmp, release };
    }
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key(sha256) }));
      await pipeline(res.Body as Readable, createWriteStream(tmp));
    } catch (err) {
      release();
      throw this.fail(notFound(err) ? 'no blob' : 'download of', sha256, err);
    }
    return { path: tmp, release };
  }
}
