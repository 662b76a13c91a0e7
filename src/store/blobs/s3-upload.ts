// Uploading a file as one object without holding it in memory: one PUT for a
// small file, a multipart upload part by part for a large one (S3 takes at
// most 5 GB in one PUT). The bytes are hashed again as they are read, and
// the upload is abandoned when they no longer match the SHA-256 they will be
// filed under: a key must always name its bytes.
import { closeSync, openSync, readSync } from 'node:fs';
import { createHash } from 'node:crypto';
import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateMultipartUploadCommand, PutObjectCommand, UploadPartCommand,
  type CompletedPart, type S3Client,
} from '@aws-sdk/client-s3';
import { TamisError } from '../../core/errors.ts';

/** Parts of 8 MiB (S3's least is 5 MiB): the memory one upload needs. */
export const PART_BYTES = 8 << 20;
/** S3's most parts in one upload: past 80 GB, parts grow. */
const MAX_PARTS = 10_000;

export interface Target { client: S3Client; bucket: string; key: string; sha256: string }

/** Reads exactly buf.length bytes at `position`; a file that shrank is an error. */
function readFully(fd: number, buf: Buffer, position: number): void {
  for (let done = 0; done < buf.length;) {
    const n = readSync(fd, buf, done, buf.length - done, position + done);
    if (n === 0) throw new TamisError('E_IO', 'the file shrank while it was being uploaded');
    done += n;
  }
}

/** SHA-256 and size of a file, read in chunks (synchronous, as the local store: it runs in worker threads). */
export function hashFile(path: string): { sha256: string; size: number } {
  const hash = createHash('sha256');
  const chunk = Buffer.allocUnsafe(PART_BYTES);
  const fd = openSync(path, 'r');
  let size = 0;
  try {
    for (let n = readSync(fd, chunk); n > 0; n = readSync(fd, chunk)) { hash.update(chunk.subarray(0, n)); size += n; }
  } finally {
    closeSync(fd);
  }
  return { sha256: hash.digest('hex'), size };
}

const changed = (t: Target): TamisError =>
  new TamisError('E_IO', `the file changed while it was being uploaded: its bytes no longer hash to ${t.sha256}`);

/** Uploads `size` bytes of the file at `path` under t.key, checking they hash to t.sha256. */
export async function uploadFile(t: Target, path: string, size: number): Promise<void> {
  const fd = openSync(path, 'r');
  try {
    if (size <= PART_BYTES) {
      const body = Buffer.allocUnsafe(size);
      readFully(fd, body, 0);
      if (createHash('sha256').update(body).digest('hex') !== t.sha256) throw changed(t);
      await putBytes(t, body);
    } else {
      await uploadParts(t, fd, size);
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * One PUT carrying the SHA-256, which S3 (and servers that check it) verify on arrival, and If-None-Match: *,
 * so an object already there is left as it is (412). A server that ignores the condition rewrites the same bytes.
 */
export async function putBytes(t: Target, body: Uint8Array): Promise<void> {
  try {
    await t.client.send(new PutObjectCommand({
      Bucket: t.bucket, Key: t.key, Body: body, ContentLength: body.length, ContentType: 'application/octet-stream',
      ChecksumSHA256: Buffer.from(t.sha256, 'hex').toString('base64'), IfNoneMatch: '*',
    }));
  } catch (err) {
    if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode !== 412) throw err;
  }
}

async function uploadParts(t: Target, fd: number, size: number): Promise<void> {
  const partBytes = Math.max(PART_BYTES, Math.ceil(size / MAX_PARTS / (1 << 20)) * (1 << 20));
  const { UploadId } = await t.client.send(new CreateMultipartUploadCommand({ Bucket: t.bucket, Key: t.key, ContentType: 'application/octet-stream' }));
  const hash = createHash('sha256');
  const parts: CompletedPart[] = [];
  // One buffer for every part, reused once the SDK is done with it: memory stays at one part whatever the size.
  const buf = Buffer.allocUnsafe(partBytes);
  try {
    for (let offset = 0, n = 1; offset < size; offset += partBytes, n++) {
      const body = buf.subarray(0, Math.min(partBytes, size - offset));
      readFully(fd, body, offset);
      hash.update(body);
      const r = await t.client.send(new UploadPartCommand({ Bucket: t.bucket, Key: t.key, UploadId, PartNumber: n, Body: body, ContentLength: body.length }));
      parts.push({ ETag: r.ETag, PartNumber: n });
    }
    if (hash.digest('hex') !== t.sha256) throw changed(t);
    await t.client.send(new CompleteMultipartUploadCommand({ Bucket: t.bucket, Key: t.key, UploadId, MultipartUpload: { Parts: parts } }));
  } catch (err) {
    // Parts of an unfinished upload are billed until aborted.
    await t.client.send(new AbortMultipartUploadCommand({ Bucket: t.bucket, Key: t.key, UploadId })).catch(() => {});
    throw err;
  }
}
