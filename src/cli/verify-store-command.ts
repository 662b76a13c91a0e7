// `tamis verify-store`: evidence integrity. Re-hashes every stored original
// against the SHA-256 it is filed under (read as a stream, from a folder or a
// bucket alike); any difference means the evidence was changed after intake.
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { BlobStore } from '../store/blobs/blob-store.ts';
import { openStore } from '../store/open-store.ts';

const HELP = `Usage: tamis verify-store [--db FILE|URL] [--blobs DIR|s3://…] [--json]

Reads every original kept in the store's blob folder (or bucket) and checks its SHA-256.
Exit status 0 when every blob is present and intact, 1 otherwise.
--blobs: the folder of original bytes, or s3://bucket/prefix (default: beside
a SQLite file, ./tamis.blobs for a postgres:// store).
`;

/**
 * The blob's SHA-256 and size, hashed as it streams: bounded memory for any blob size, and the same
 * code for a folder or a bucket. Undefined when the store has no such blob.
 */
async function hashBlob(blobs: BlobStore, sha256: string): Promise<{ actual: string; size: number } | undefined> {
  const stream = await blobs.readStream(sha256);
  if (!stream) return undefined;
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Uint8Array>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { actual: hash.digest('hex'), size };
}

export async function verifyStoreCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { db: { type: 'string' }, blobs: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) { process.stdout.write(HELP); return 0; }
  const { store, blobs } = await openStore(values.db, { mustExist: true, blobs: values.blobs });
  const missing: string[] = [];
  const altered: { sha256: string; actual: string }[] = [];
  let checked = 0;
  let bytes = 0;
  try {
    for (const sha256 of await store.itemHashes()) {
      checked++;
      let read: { actual: string; size: number } | undefined;
      try { read = await hashBlob(blobs, sha256); } catch { read = undefined; }
      if (!read) { missing.push(sha256); continue; }
      bytes += read.size;
      if (read.actual !== sha256) altered.push({ sha256, actual: read.actual });
    }
  } finally {
    await store.close();
  }
  const ok = missing.length === 0 && altered.length === 0;
  if (values.json) {
    process.stdout.write(JSON.stringify({ ok, checked, bytes, missing, altered }, null, 2) + '\n');
  } else {
    process.stdout.write(`${checked} originals checked (${bytes} bytes): ${ok ? 'all intact' : `${missing.length} missing, ${altered.length} altered`}\n`);
    for (const m of missing) process.stdout.write(`missing  ${m}\n`);
    for (const a of altered) process.stdout.write(`ALTERED  ${a.sha256} now hashes to ${a.actual}\n`);
  }
  return ok ? 0 : 1;
}
