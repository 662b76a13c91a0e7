// The blob-store contract, run against both kinds: the local folder and S3
// (a real S3-compatible server, s3rver, on 127.0.0.1). Then what is S3's own:
// the key layout, idempotent writes, background uploads and their failures,
// and a 50 MB file imported with bounded memory.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCipheriv, createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readdirSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Readable } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { openBlobStore } from '../../src/store/blobs/open-blob-store.ts';
import type { BlobStore } from '../../src/store/blobs/blob-store.ts';
import { S3BlobStore } from '../../src/store/blobs/s3-blob-store.ts';
import { parseS3Location, s3ClientConfig } from '../../src/store/blobs/s3-location.ts';
import { hashFile, uploadFile } from '../../src/store/blobs/s3-upload.ts';
import { startS3Server, type S3TestServer } from '../helpers/s3-server.ts';
import { tempDir } from '../helpers/tmp.ts';

const BUCKET = 'tamis-test';
const tmp = tempDir();
let s3: S3TestServer;
beforeAll(async () => { s3 = await startS3Server(BUCKET); });
afterAll(async () => { await s3?.stop(); tmp.cleanup(); });

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const bytesOf = (text: string): Uint8Array => new TextEncoder().encode(text);
async function drain(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const p of stream) parts.push(p as Buffer);
  return Buffer.concat(parts);
}
/** Deterministic bytes that do not compress (an AES-CTR key stream), written 1 MiB at a time. */
function writeBigFile(path: string, bytes: number, seed: string): void {
  const key = createHash('sha256').update(seed).digest();
  const stream = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  const zeros = Buffer.alloc(1 << 20);
  const fd = openSync(path, 'w');
  try {
    for (let done = 0; done < bytes;) {
      const block = stream.update(zeros.subarray(0, Math.min(zeros.length, bytes - done)));
      writeSync(fd, block);
      done += block.length;
    }
  } finally {
    closeSync(fd);
  }
}

const kinds: [string, () => string][] = [
  ['a local folder', () => join(tmp.dir, 'local-blobs')],
  ['S3', () => `s3://${BUCKET}/contract/run`],
];

describe.each(kinds)('the blob store in %s', (_name, location) => {
  let blobs: BlobStore;
  beforeAll(async () => { blobs = await openBlobStore(location()); });

  it('keeps bytes under their SHA-256: put (twice), has, size, get, readStream, localFile', async () => {
    const data = bytesOf('Trésorerie 2017 — prévisionnel\n'.repeat(1000));
    const h = sha(data);
    await blobs.put(h, data);
    await blobs.put(h, data);
    expect(await blobs.has(h)).toBe(true);
    expect(await blobs.size(h)).toBe(data.length);
    expect(Buffer.from(await blobs.get(h)).equals(data)).toBe(true);
    expect((await drain((await blobs.readStream(h))!)).equals(data)).toBe(true);
    const local = await blobs.localFile(h);
    expect(readFileSync(local.path).equals(data)).toBe(true);
    local.release();
    expect(await blobs.has(h)).toBe(true);
  });

  it('answers for a missing blob without inventing one', async () => {
    const h = sha(bytesOf('never stored'));
    expect(await blobs.has(h)).toBe(false);
    expect(await blobs.size(h)).toBeUndefined();
    expect(await blobs.readStream(h)).toBeUndefined();
    await expect(blobs.get(h)).rejects.toThrow();
  });

  it('takes only hex digests as names (never a name from the dump)', async () => {
    for (const name of ['../../etc/passwd', 'ab/../../x', 'A'.repeat(64), `${'a'.repeat(63)}/`]) {
      await expect(blobs.put(name, bytesOf('x'))).rejects.toThrow(/not a sha256 digest/);
      await expect(blobs.get(name)).rejects.toThrow(/not a sha256 digest/);
      await expect(blobs.has(name)).rejects.toThrow(/not a sha256 digest/);
    }
  });

  it('imports files while hashing them, the empty file included', async () => {
    for (const [name, data] of [['small.bin', bytesOf('a small original\n')], ['empty.bin', new Uint8Array(0)]] as const) {
      const path = join(tmp.dir, name);
      writeFileSync(path, data);
      expect(await blobs.importFile(path)).toEqual({ sha256: sha(data), size: data.length });
      await blobs.flush();
      expect(Buffer.from(await blobs.get(sha(data))).equals(data)).toBe(true);
    }
  });

  it('writes a blob piece by piece; it is readable at once and kept for good after flush', async () => {
    const line = bytesOf('From: a@example.fr\r\nSubject: piece\r\n');
    const big = new Uint8Array(3 << 20).fill(0x41);
    const w = blobs.writer();
    for (let i = 0; i < 1000; i++) w.write(line);
    w.write(big);
    const expected = Buffer.concat([...Array.from({ length: 1000 }, () => line), big]);
    expect(w.size).toBe(expected.length);
    const { sha256, size } = w.commit();
    expect({ sha256, size }).toEqual({ sha256: sha(expected), size: expected.length });
    expect(Buffer.from(await blobs.get(sha256)).equals(expected)).toBe(true); // before flush: from the spool on S3
    await blobs.flush();
    expect(Buffer.from(await blobs.get(sha256)).equals(expected)).toBe(true);
    // The same bytes again: the same name, nothing else.
    const again = blobs.writer();
    again.write(expected);
    expect(again.commit().sha256).toBe(sha256);
    const dropped = blobs.writer();
    dropped.write(bytesOf('abandoned half-written attachment'));
    dropped.abort();
    await blobs.flush();
    expect(await blobs.has(sha(bytesOf('abandoned half-written attachment')))).toBe(false);
    if (!location().startsWith('s3://')) {
      expect(readdirSync(location()).filter((n) => n.startsWith('.'))).toEqual([]); // no temporary file left
    }
  });
});

describe('the S3 blob store', () => {
  it('files objects under <prefix>/<sha256[0:2]>/<sha256>, never replaces one, and reads with one request', async () => {
    const sent: string[] = [];
    const client = new S3Client(s3ClientConfig());
    client.middlewareStack.add((next, context) => (args) => {
      const conditional = (args.request as { headers?: Record<string, string> }).headers?.['if-none-match'] === '*';
      sent.push(context.commandName!.replace('ObjectCommand', '') + (conditional ? ' if-none-match' : ''));
      return next(args);
    }, { step: 'finalizeRequest', name: 'record' });
    const blobs = new S3BlobStore(`s3://${BUCKET}/layout/deep/`, client);
    expect(blobs.location).toBe(`s3://${BUCKET}/layout/deep`);
    // A small blob: one conditional PUT (S3 answers 412 when the object is there; s3rver ignores the condition).
    const small = bytesOf('one original');
    const h = sha(small);
    await blobs.put(h, small);
    await blobs.put(h, small);
    expect(sent.splice(0)).toEqual(['Put if-none-match', 'Put if-none-match']);
    const raw = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: `layout/deep/${h.slice(0, 2)}/${h}` }));
    expect(Buffer.from(await raw.Body!.transformToByteArray()).equals(small)).toBe(true);
    sent.splice(0);
    // A larger one: a HEAD first, and its bytes are not sent again.
    const large = new Uint8Array(2 << 20).fill(7);
    await blobs.put(sha(large), large);
    await blobs.put(sha(large), large);
    expect(sent.splice(0)).toEqual(['Head', 'Put if-none-match', 'Head']);
    // size() then get(), as readers do: one GET.
    expect(await blobs.size(h)).toBe(small.length);
    expect(Buffer.from(await blobs.get(h)).equals(small)).toBe(true);
    expect(sent.splice(0)).toEqual(['Get']);
  });

  it('reports a failed background upload at flush, once, and leaves no spool file behind', async () => {
    const blobs = await openBlobStore('s3://no-such-bucket-here/x');
    const w = blobs.writer();
    w.write(bytesOf('bytes with nowhere to go'));
    w.commit();
    await expect(blobs.flush()).rejects.toMatchObject({ code: 'E_BLOB_STORE' });
    await expect(blobs.flush()).resolves.toBeUndefined();
    const spool = process.env.TAMIS_S3_SPOOL!;
    const left = readdirSync(spool).flatMap((d) => readdirSync(join(spool, d)));
    expect(left).toEqual([]);
  });

  it('abandons an upload whose bytes do not hash to the name they would get', async () => {
    const client = new S3Client(s3ClientConfig());
    const path = join(tmp.dir, 'twenty.bin');
    writeBigFile(path, 20 << 20, 'twenty');
    const wrong = sha(bytesOf('something else'));
    const key = `mismatch/${wrong.slice(0, 2)}/${wrong}`;
    await expect(uploadFile({ client, bucket: BUCKET, key, sha256: wrong }, path, 20 << 20)).rejects.toMatchObject({ code: 'E_IO' });
    await expect(client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }))).rejects.toMatchObject({ name: 'NotFound' });
  });

  it('imports a 50 MB file in parts with memory bounded, and gives it back intact', async () => {
    const path = join(tmp.dir, 'fifty.bin');
    const size = 50 << 20;
    writeBigFile(path, size, 'fifty');
    const expected = hashFile(path);
    const measure = async (location: string) => {
      const { stdout } = await promisify(execFile)(process.execPath, [join(import.meta.dirname, '../helpers/s3-import-rss.ts'), location, path]);
      return JSON.parse(stdout) as { sha256: string; size: number; ms: number; growth: number };
    };
    const onS3 = await measure(`s3://${BUCKET}/big`);
    const onDisk = await measure(join(tmp.dir, 'big-local'));
    console.log(`import of 50 MB: S3 ${Math.round(onS3.ms)} ms, memory +${(onS3.growth / 2 ** 20).toFixed(1)} MiB; local folder ${Math.round(onDisk.ms)} ms, +${(onDisk.growth / 2 ** 20).toFixed(1)} MiB`);
    expect({ sha256: onS3.sha256, size: onS3.size }).toEqual(expected);
    expect(onS3.growth).toBeLessThan(32 << 20); // parts of 8 MiB: well under the file's 50 MB
    const blobs = await openBlobStore(`s3://${BUCKET}/big`);
    expect(await blobs.size(expected.sha256)).toBe(size);
    const hash = createHash('sha256');
    for await (const p of (await blobs.readStream(expected.sha256))!) hash.update(p as Buffer);
    expect(hash.digest('hex')).toBe(expected.sha256);
    const local = await blobs.localFile(expected.sha256);
    expect(hashFile(local.path)).toEqual(expected);
    local.release();
    expect(existsSync(local.path)).toBe(false);
  });

  it('names stores by s3://bucket/prefix, with settings from the environment', () => {
    expect(parseS3Location('s3://evidence')).toEqual({ bucket: 'evidence', prefix: '', location: 's3://evidence' });
    expect(parseS3Location('S3://evidence//leaks/2017/')).toEqual({ bucket: 'evidence', prefix: 'leaks/2017/', location: 's3://evidence/leaks/2017' });
    for (const bad of ['s3://', 's3://Evidence', 's3://a', 's3://ev/../x', 's3://ev/a/./b', 's3://ev/a\u0000b']) {
      expect(() => parseS3Location(bad), bad).toThrow(/E_USAGE|s3:\/\/BUCKET|prefix/);
    }
    expect(s3ClientConfig({ TAMIS_S3_ENDPOINT: 'http://127.0.0.1:9000' })).toMatchObject({ endpoint: 'http://127.0.0.1:9000', forcePathStyle: true, region: 'us-east-1' });
    expect(s3ClientConfig({ AWS_REGION: 'eu-west-3' })).toMatchObject({ endpoint: undefined, forcePathStyle: false, region: 'eu-west-3' });
  });

  it('is what openBlobStore gives for s3:// (and a folder otherwise)', async () => {
    expect(await openBlobStore(`s3://${BUCKET}/p`)).toBeInstanceOf(S3BlobStore);
    expect((await openBlobStore(join(tmp.dir, 'folder'))).constructor.name).toBe('LocalBlobStore');
    // An object put there by another client is read as any other.
    const data = bytesOf('put by another machine');
    const h = sha(data);
    const client = new S3Client(s3ClientConfig());
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: `p/${h.slice(0, 2)}/${h}`, Body: data }));
    expect(Buffer.from(await (await openBlobStore(`s3://${BUCKET}/p`)).get(h)).equals(data)).toBe(true);
  });
});
