// Real third-party mail files (apache/tika test documents): each must either
// extract or fail with a TamisError, never another exception. Damaged copies
// (truncated, bytes flipped) must behave the same.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TamisError } from '../../src/core/errors.ts';
import type { Extraction, Ingestor } from '../../src/ingest/ingestor.ts';
import { emailIngestor } from '../../src/ingest/email.ts';
import { mboxIngestor } from '../../src/ingest/mbox.ts';
import { tarIngestor } from '../../src/ingest/tar.ts';
import { zipIngestor } from '../../src/ingest/zip.ts';

const dir = fileURLToPath(new URL('../../../shared/corpora/office/', import.meta.url));
const files = readdirSync(dir).filter((f) => /\.(eml|mbox)$/i.test(f)).sort();

/** Extraction, or the TamisError code; any other exception fails the test. */
async function outcome(ing: Ingestor, bytes: Uint8Array, name: string): Promise<Extraction | string> {
  try {
    return await ing.extract({ bytes, name, ext: name.split('.').pop()!.toLowerCase(), mime: '' });
  } catch (err) {
    if (!(err instanceof TamisError)) throw new Error(`${ing.name} threw a non-TamisError on ${name}: ${String(err)}`);
    return err.code;
  }
}

function damagedCopies(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const frac of [0.1, 0.5, 0.9]) out.push(bytes.subarray(0, Math.floor(bytes.length * frac)));
  const flipped = Buffer.from(bytes);
  for (let i = 7; i < flipped.length; i += 97) flipped[i]! ^= 0x5a;
  out.push(flipped);
  return out;
}

describe('real mail corpora', () => {
  it('finds the corpus files', () => {
    expect(files.filter((f) => f.endsWith('.mbox')).length).toBeGreaterThanOrEqual(5);
    expect(files.filter((f) => f.endsWith('.eml')).length).toBeGreaterThanOrEqual(5);
  });

  for (const f of files) {
    it(`${f}: extracts or fails with a TamisError, also when damaged`, async () => {
      const bytes = readFileSync(dir + f);
      const ing = f.endsWith('.mbox') ? mboxIngestor : emailIngestor;
      const res = await outcome(ing, bytes, f);
      // Every corpus file is a well-formed mailbox or message.
      expect(typeof res).toBe('object');
      const ex = res as Extraction;
      if (ing === mboxIngestor) {
        expect(ex.children.length).toBeGreaterThan(0);
        for (const child of ex.children) await outcome(emailIngestor, child.bytes, child.name);
      } else {
        expect(ex.text).toBeTruthy();
        for (const child of ex.children) {
          if (child.name.endsWith('.eml')) await outcome(emailIngestor, child.bytes, child.name);
        }
      }
      // Also through every other container ingestor: wrong input type is a TamisError, not a crash.
      for (const other of [emailIngestor, mboxIngestor, zipIngestor, tarIngestor]) {
        for (const copy of [bytes, ...damagedCopies(bytes)]) await outcome(other, copy, f);
      }
    });
  }

  it('reads the known messages of complex.mbox', async () => {
    const ex = await mboxIngestor.extract({ bytes: readFileSync(dir + 'complex.mbox'), name: 'complex.mbox', ext: 'mbox', mime: 'application/mbox' });
    expect(ex.children).toHaveLength(3);
    const first = await emailIngestor.extract({ bytes: ex.children[0]!.bytes, name: '1.eml', ext: 'eml', mime: 'message/rfc822' });
    expect(first.title).toBe('Re: question about when shuffle/sort start working');
    expect(first.date).toBe('2009-06-01T04:26:31.000Z');
  });

  it('keeps attachments of testEmailWithPNGAtt.eml as decoded PNG bytes', async () => {
    const ex = await emailIngestor.extract({ bytes: readFileSync(dir + 'testEmailWithPNGAtt.eml'), name: 'x.eml', ext: 'eml', mime: 'message/rfc822' });
    expect(ex.children.map((c) => c.name)).toEqual(['testPNG.png']);
    expect([...ex.children[0]!.bytes.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
  });
});
