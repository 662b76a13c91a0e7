// OpenDocument metadata against exiftool on the Tika test files, and text.
import { expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { durationSeconds, odfIngestor } from '../../src/ingest/odf.ts';
import { TamisError } from '../../src/core/errors.ts';

const dir = fileURLToPath(new URL('../../../shared/corpora/office/', import.meta.url));
const files = readdirSync(dir).filter((f) => /\.od[tsp]$/.test(f)).map((f) => dir + f);
const extract = (f: string) => odfIngestor.extract({ bytes: readFileSync(f), name: f, ext: 'odt', mime: 'application/vnd.oasis.opendocument.text' });

it.runIf(spawnSync('exiftool', ['-ver']).status === 0)('agrees with exiftool on initial creator, creator and dates (>= 98%)', async () => {
  const oracle = new Map((JSON.parse(spawnSync('exiftool', ['-j', '-n', ...files], { encoding: 'utf8' }).stdout) as Record<string, unknown>[]).map((e) => [e.SourceFile, e]));
  let ok = 0;
  let total = 0;
  for (const f of files) {
    let meta: Record<string, unknown>;
    try { meta = (await extract(f)).meta; } catch (err) { expect(err).toBeInstanceOf(TamisError); continue; }
    const o = oracle.get(f)!;
    for (const [ours, theirs] of [['initialCreator', 'Initial-creator'], ['creator', 'Creator'], ['creationDate', 'Creation-date'], ['date', 'Date']] as const) {
      if (o[theirs] === undefined) continue;
      total++;
      // exiftool writes dates as 2022:08:24 16:24:00.574; ODF as 2022-08-24T16:24:00.574.
      if (String(meta[ours] ?? '').replace(/[-:T ]/g, '') === String(o[theirs]).replace(/[-:T ]/g, '')) ok++;
    }
  }
  console.log(`ODF meta.xml agreement with exiftool: ${ok}/${total}`);
  expect(total).toBeGreaterThan(30);
  expect(ok / total).toBeGreaterThanOrEqual(0.98);
});

it('reads text, editing time and refuses encrypted or broken files with codes', async () => {
  const r = await extract(`${dir}LibreOfficeWriter_odt_1.3.odt`);
  expect(r.text).toBe('This is an example document');
  expect(r.meta).toMatchObject({ editingDuration: 49, generator: expect.stringMatching(/^LibreOffice/) });
  await expect(extract(`${dir}testODTEncrypted.odt`)).rejects.toMatchObject({ code: 'E_ODF_ENCRYPTED' });
  await expect(extract(`${dir}testODTnotaZipFile.odt`)).rejects.toMatchObject({ code: 'E_ODF_INVALID' });
  expect(durationSeconds('P1DT2H3M4S')).toBe(93784);
});
