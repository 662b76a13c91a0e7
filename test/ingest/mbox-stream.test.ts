// The streaming splitter yields exactly what the in-memory one does, whatever
// the chunk size (separators and escapes straddling chunk boundaries).
import { expect, it } from 'vitest';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { splitMbox } from '../../src/ingest/mbox.ts';
import { splitMboxFile } from '../../src/ingest/mbox-stream.ts';
import { makeLeak } from '../fixtures/make-leak.ts';
import { tempDir } from '../helpers/tmp.ts';

const corpus = new URL('../../../shared/corpora/office/', import.meta.url).pathname;

it('splits a mailbox read in chunks exactly as a mailbox read whole', async () => {
  const tmp = tempDir();
  try {
    await makeLeak(join(tmp.dir, 'leak'), { seed: 2017 });
    const files = [join(tmp.dir, 'leak', 'boxes', 'archive.mbox'), ...readdirSync(corpus).filter((f) => f.endsWith('.mbox')).map((f) => join(corpus, f))];
    // CRLF variant of the generated mailbox.
    const crlf = join(tmp.dir, 'crlf.mbox');
    writeFileSync(crlf, readFileSync(files[0]!, 'latin1').replace(/\r?\n/g, '\r\n'), 'latin1');
    files.push(crlf);
    for (const file of files) {
      const whole = [...splitMbox(readFileSync(file))].map((m) => ({ ...m, bytes: Buffer.from(m.bytes).toString('base64') }));
      for (const chunk of [7, 64, 4096, 1 << 20]) {
        const streamed = [...splitMboxFile(file, chunk)].map((m) => ({ ...m, bytes: Buffer.from(m.bytes).toString('base64') }));
        expect(streamed, `${file} in ${chunk}-byte chunks`).toEqual(whole);
      }
    }
  } finally {
    tmp.cleanup();
  }
});
