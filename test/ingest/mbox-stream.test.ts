// The streaming splitter yields exactly what the in-memory one does, whatever
// the chunk size (separators and escapes straddling chunk boundaries), and a
// message over the spill size goes to the blob store with the same bytes.
import { expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { splitMbox } from '../../src/ingest/mbox.ts';
import { splitMboxFile, type SpilledMboxMessage } from '../../src/ingest/mbox-stream.ts';
import { LocalBlobStore } from '../../src/store/blobs/local-blob-store.ts';
import { TamisError } from '../../src/core/errors.ts';
import { makeLeak } from '../fixtures/make-leak.ts';
import { mboxish } from '../fuzz/targets.ts';
import { tempDir } from '../helpers/tmp.ts';

const corpus = new URL('../../../shared/corpora/office/', import.meta.url).pathname;
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

const comparable = (m: { fromLine: string; unescaped: number }, bytes: Uint8Array) =>
  ({ fromLine: m.fromLine, unescaped: m.unescaped, bytes: Buffer.from(bytes).toString('base64') });

/** Messages as comparable values, none spilled. */
function split(file: string, chunk: number): unknown[] {
  return [...splitMboxFile(file, chunk)].map((m) => comparable(m, (m as { bytes: Uint8Array }).bytes));
}

/** The same with messages over `above` bytes spilled to the blob store, and read back from it. */
async function splitSpilled(file: string, chunk: number, blobs: LocalBlobStore, above: number): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const m of splitMboxFile(file, chunk, { above, writer: () => blobs.writer() })) {
    const bytes = 'blob' in m ? await blobs.get((m as SpilledMboxMessage).blob.sha256) : m.bytes;
    if ('blob' in m) expect(m.blob).toEqual({ sha256: sha(bytes), size: bytes.length });
    out.push(comparable(m, bytes));
  }
  return out;
}
const whole = (bytes: Uint8Array): unknown[] => [...splitMbox(bytes)].map((m) => comparable(m, m.bytes));

it('splits a mailbox read in chunks exactly as a mailbox read whole', async () => {
  const tmp = tempDir();
  try {
    await makeLeak(join(tmp.dir, 'leak'), { seed: 2017 });
    const files = [join(tmp.dir, 'leak', 'boxes', 'archive.mbox'), ...readdirSync(corpus).filter((f) => f.endsWith('.mbox')).map((f) => join(corpus, f))];
    // CRLF variant of the generated mailbox.
    const crlf = join(tmp.dir, 'crlf.mbox');
    writeFileSync(crlf, readFileSync(files[0]!, 'latin1').replace(/\r?\n/g, '\r\n'), 'latin1');
    files.push(crlf);
    // Lines longer than the splitter keeps (one-line base64, a quoted `>From ` line), across chunks.
    const long = join(tmp.dir, 'long.mbox');
    writeFileSync(long, `From a\n${'x'.repeat(200_000)}\n\n>From ${'y'.repeat(100_000)}\n\nFrom b\r\n\r\n${'z'.repeat(70_000)}\r\n\r\n`, 'latin1');
    files.push(long);
    const blobs = new LocalBlobStore(join(tmp.dir, 'blobs'));
    for (const file of files) {
      const expected = whole(readFileSync(file));
      for (const chunk of [7, 64, 4096, 1 << 20]) {
        expect(split(file, chunk), `${file} in ${chunk}-byte chunks`).toEqual(expected);
      }
      // Every message spilled to the blob store (spill size 0), and some (spill size 1000).
      expect(await splitSpilled(file, 4096, blobs, 0), `${file} spilled`).toEqual(expected);
      expect(await splitSpilled(file, 333, blobs, 1000), `${file} partly spilled`).toEqual(expected);
    }
    // Nothing but blobs is left in the store (no temporary files).
    for (const d of readdirSync(join(tmp.dir, 'blobs'))) expect(d).toMatch(/^[0-9a-f]{2}$/);
  } finally {
    tmp.cleanup();
  }
});

it('splits generated mailboxes in random chunks exactly as whole', () => {
  const tmp = tempDir();
  try {
    const file = join(tmp.dir, 'x.mbox');
    fc.assert(fc.property(fc.oneof(mboxish, fc.uint8Array({ maxLength: 200 })), fc.integer({ min: 1, max: 50 }), (bytes, chunk) => {
      writeFileSync(file, bytes);
      let expected: unknown[] | string;
      try { expected = whole(bytes); } catch (err) { expected = (err as TamisError).code; }
      let got: unknown[] | string;
      try { got = split(file, chunk); } catch (err) { got = (err as TamisError).code; }
      expect(got).toEqual(expected);
    }), { numRuns: 1500, seed: 2017 });
  } finally {
    tmp.cleanup();
  }
});
