// A scanned French page (an image, and a PDF with no text layer) is found by
// searching one of its words: tesseract with the French traineddata from
// Debian's packages, nothing downloaded.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rasterise, scanPdf, scanPng } from '../fixtures/scan-writer.ts';
import { tamis } from '../helpers/cli.ts';
import { tempDir } from '../helpers/tmp.ts';

const tmp = tempDir();
const db = join(tmp.dir, 'ocr.db');

beforeAll(() => {
  const dump = join(tmp.dir, 'scans');
  mkdirSync(dump);
  const page = rasterise(['FACTURE N° 2017-0412', '', 'Objet : location de la salle de Bercy', 'Montant total : 48 600 euros', 'Règlement par virement bancaire']);
  writeFileSync(join(dump, 'facture-scannee.png'), scanPng(page));
  const contract = rasterise(['CONVENTION DE PARTENARIAT', '', 'Entre les soussignés, il est convenu', 'que la trésorerie sera versée en mai.']);
  writeFileSync(join(dump, 'convention-scannee.pdf'), scanPdf(contract));
  const r = tamis(['ingest', dump, '--db', db, '--quiet', '--no-analyze']);
  expect(r.status, r.stderr).toBe(0);
});
afterAll(() => tmp.cleanup());

const search = (q: string) => JSON.parse(tamis(['search', q, '--db', db, '--json']).stdout) as { hits: { path: string }[] };

it('finds words of a scanned image', () => {
  expect(search('facture').hits.map((h) => h.path)).toEqual(['facture-scannee.png']);
  expect(search('virement bancaire').hits.map((h) => h.path)).toEqual(['facture-scannee.png']);
});

it('finds words of a scanned PDF, accents folded', () => {
  expect(search('convention partenariat').hits.map((h) => h.path)).toEqual(['convention-scannee.pdf']);
  expect(search('tresorerie').hits.map((h) => h.path)).toEqual(['convention-scannee.pdf']);
});
