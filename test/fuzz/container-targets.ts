// Fuzz targets for the mail store and archive readers built on third-party
// code that was not written for hostile files: Outlook .pst (pst-extractor,
// around pst-guard.ts) and RAR (7-Zip in WebAssembly, sevenzip.ts). Inputs
// are real bytes damaged (damage.ts): the Tika .pst test file, and RAR 4 and 5
// archives from the fixture writer. Each run parses one whole input, so these
// cost more per run than the text parsers: inputs stay one small file.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { pstIngestor } from '../../src/ingest/pst.ts';
import { sevenZipIngestor } from '../../src/ingest/sevenzip.ts';
import { sniff } from '../../src/ingest/sniff.ts';
import { writeRar4, writeRar5 } from '../fixtures/rar-writer.ts';
import { damage, damageArb, onlyTamisErrors } from './damage.ts';

const PST = new Uint8Array(readFileSync(fileURLToPath(new URL('../../../shared/corpora/office/testPST_variousBodyTypes.pst', import.meta.url))));

/**
 * Where the .pst keeps its structure, for flips to favour ([MS-PST] 2.2.2.5-6, Unicode
 * layout): the header's magic and versions, its ROOT (file size, B-tree roots),
 * bCryptMethod, and the root pages of the node and block B-trees (BREFNBT.ib at 224,
 * BREFBBT.ib at 240). The rest of the header is unused or deprecated.
 */
const pstRegions = (b: Uint8Array): [number, number][] => {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return [[0, 16], [180, 72], [513, 1], [Number(v.getBigUint64(224, true)), 512], [Number(v.getBigUint64(240, true)), 512]];
};
const PST_REGIONS = pstRegions(PST);

/** Small archives as the RAR 4 or RAR 5 writer makes them (names ASCII, as RAR 4 needs). */
const rarish = fc.tuple(
  fc.boolean(),
  fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), fc.uint8Array({ maxLength: 200 }), { maxKeys: 4 }),
  damageArb,
).map(([five, files, d]) => {
  const entries = Object.entries(files).map(([k, data]) => ({ name: `f-${k.replace(/[^a-z0-9./]/gi, '_')}`, data }));
  return damage((five ? writeRar5 : writeRar4)(entries), d);
});

export const CONTAINER_TARGETS = {
  // The input is the damage, not the 270 KB it yields: a failure prints a replayable value.
  pst: fc.asyncProperty(damageArb, async (d) => {
    const b = damage(PST, d, { maxCut: PST.length, regions: PST_REGIONS });
    try { await pstIngestor.extract({ bytes: b, name: 'x.pst', ext: 'pst', mime: 'application/vnd.ms-outlook-pst' }); } catch (e) { onlyTamisErrors(e); }
  }),
  rar: fc.asyncProperty(fc.oneof(rarish, fc.uint8Array({ maxLength: 300 })), async (b) => {
    sniff(b, 'x.rar');
    try { await sevenZipIngestor.extract({ bytes: b, name: 'x.rar', ext: 'rar', mime: 'application/vnd.rar' }); } catch (e) { onlyTamisErrors(e); }
  }),
};
