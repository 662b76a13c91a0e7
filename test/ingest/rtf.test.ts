// RTF \info fields against exiftool on the Tika test files; text with code
// pages and Unicode escapes; hostile nesting.
import { expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseRtf, rtfIngestor } from '../../src/ingest/rtf.ts';
import { TamisError } from '../../src/core/errors.ts';

const dir = fileURLToPath(new URL('../../../shared/corpora/office/', import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith('.rtf')).map((f) => dir + f);
const extract = (bytes: Uint8Array) => rtfIngestor.extract({ bytes, name: 'x.rtf', ext: 'rtf', mime: 'application/rtf' });

it.runIf(spawnSync('exiftool', ['-ver']).status === 0)('agrees with exiftool on author, operator, dates and company (>= 98%)', async () => {
  const oracle = new Map((JSON.parse(spawnSync('exiftool', ['-j', '-n', ...files], { encoding: 'utf8', maxBuffer: 1e8 }).stdout) as Record<string, unknown>[]).map((e) => [e.SourceFile, e]));
  let ok = 0;
  let total = 0;
  for (const f of files) {
    const { meta } = await extract(readFileSync(f));
    const o = oracle.get(f)!;
    for (const [ours, theirs, isDate] of [['author', 'Author', false], ['operator', 'LastModifiedBy', false], ['creatim', 'CreateDate', true], ['revtim', 'ModifyDate', true], ['company', 'Company', false]] as const) {
      const want = o[theirs];
      if (want === undefined || want === '' || String(want).startsWith('0000')) continue;
      total++;
      const expected = isDate ? String(want).replace(/^(\d{4}):(\d\d):(\d\d) /, '$1-$2-$3T') : String(want);
      if (isDate ? String(meta[ours]).slice(0, 19) === expected.slice(0, 19) : meta[ours] === expected) ok++;
    }
  }
  console.log(`RTF \\info agreement with exiftool: ${ok}/${total}`);
  expect(total).toBeGreaterThan(50);
  expect(ok / total).toBeGreaterThanOrEqual(0.98);
});

it('decodes code pages, Unicode escapes and typographic symbols', () => {
  expect(parseRtf('{\\rtf1\\ansi\\ansicpg1251 {\\info{\\operator \\\'d0\\\'ee\\\'f8\\\'ea\\\'e0}}\\uc1\\u1043?\\\'e5\\par Test d\\rquote un}').meta.operator).toBe('Рошка');
  expect(parseRtf('{\\rtf1\\ansi\\ansicpg1251 \\uc1\\u1043?\\\'e5\\par Test d\\rquote un}').text).toBe('Ге\nTest d’un');
  expect(parseRtf('{\\rtf1 {\\info{\\creatim\\yr2017\\mo5\\dy3\\hr21\\min12}{\\edmins4}}x}').meta).toMatchObject({ creatim: '2017-05-03T21:12:00', edmins: 4 });
});

it('refuses non-RTF and hostile nesting with a code, never another exception', async () => {
  await expect(extract(Buffer.from('hello'))).rejects.toMatchObject({ code: 'E_RTF_INVALID' });
  await expect(extract(Buffer.from('{\\rtf1' + '{'.repeat(100_000)))).rejects.toBeInstanceOf(TamisError);
  for (const f of files) {
    const b = readFileSync(f);
    try { await extract(b.subarray(0, b.length >> 1)); } catch (err) { expect(err).toBeInstanceOf(TamisError); }
  }
});
