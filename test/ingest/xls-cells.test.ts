// Excel (.xls) numbers as searchable text, on the Tika test files. The oracle
// is the same workbook saved as .xlsx, whose cells hold their values as text
// (<c r="B7"><v>4</v></c>), read here with a plain unzip, not with tamis;
// dates are checked against day counts converted with Python's datetime
// (1899-12-30 + serial days), written below as literals.
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import { ole2Ingestor } from '../../src/ingest/ole2.ts';
import { excelDate, isDateFormat, numberText, rkValue } from '../../src/ingest/ole-xls-number.ts';
import { tamis } from '../helpers/cli.ts';
import { tempDir } from '../helpers/tmp.ts';

const OFFICE = fileURLToPath(new URL('../../../shared/corpora/office/', import.meta.url));
const tmp = tempDir();
afterAll(() => tmp.cleanup());

async function xlsLines(name: string): Promise<string[]> {
  const r = await ole2Ingestor.extract({ bytes: readFileSync(OFFICE + name), name, ext: 'xls', mime: 'application/vnd.ms-excel' });
  return (r.text ?? '').split('\n');
}

/** Numeric cells of the first sheet of a .xlsx: cell reference -> the value as stored. */
function xlsxNumbers(name: string): Map<string, string> {
  const z = unzipSync(readFileSync(OFFICE + name));
  const xml = new TextDecoder().decode(z['xl/worksheets/sheet1.xml']);
  const out = new Map<string, string>();
  // Empty cells close themselves (<c r="A1" s="1"/>): their attributes may not end in a slash.
  for (const m of xml.matchAll(/<c r="([A-Z]+\d+)"((?:[^>/]|\/(?!>))*)>(.*?)<\/c>/gs)) {
    const v = /<v>([^<]*)<\/v>/.exec(m[3]!);
    if (v && !/\bt="(s|str|b|e|inlineStr)"/.test(m[2]!)) out.set(m[1]!, v[1]!);
  }
  return out;
}

/** The value as a figure: integers in full, others to 15 significant digits (what Excel keeps). */
const figure = (v: string) => { const n = Number(v); return Number.isInteger(n) ? n.toFixed(0) : String(Number(n.toPrecision(15))); };

describe('numbers', () => {
  it('testEXCEL.xls: cached formula results, row by row as in the .xlsx', async () => {
    const lines = await xlsLines('testEXCEL.xls');
    const cells = xlsxNumbers('testEXCEL.xlsx');
    expect(cells.size).toBe(30);
    for (let row = 6; row <= 20; row++) {
      expect(lines, `row ${row}`).toContain(`${figure(cells.get(`B${row}`)!)}\t${figure(cells.get(`C${row}`)!)}`);
    }
    expect(lines).toContain('15\t225');
  });

  it('testEXCEL_big_numbers.xls: 15- and 16-digit figures, in full', async () => {
    const lines = await xlsLines('testEXCEL_big_numbers.xls');
    const c = xlsxNumbers('testEXCEL_big_numbers.xlsx');
    expect(lines).toEqual(['[Sheet1]', `${c.get('A1')}\t${c.get('B1')}`, `${c.get('A2')}\t${c.get('B2')}`]);
    expect(lines[2]).toBe('1234567890123450\t1234567890123451');
  });

  it('test-columnar.xls and testEXCEL-formats.xls: NUMBER, RK and MULRK cells, as the .xlsx holds them', async () => {
    const columnar = (await xlsLines('test-columnar.xls')).join('\n');
    const c = xlsxNumbers('test-columnar.xlsx');
    const plain = [...c].filter(([ref]) => /^[ABDE]\d+$/.test(ref)); // the number columns (F-H are dates and times)
    expect(plain.length).toBeGreaterThan(40);
    for (const [ref, v] of plain) expect(columnar, ref).toMatch(new RegExp(`(^|\\t)${figure(v).replace('.', '\\.')}(\\t|$)`, 'm'));
    const formats = (await xlsLines('testEXCEL-formats.xls')).join('\n');
    const f = xlsxNumbers('testEXCEL-formats.xlsx');
    for (const ref of ['D4', 'E4', 'D5', 'E5', 'D6', 'E6', 'D7', 'D8', 'D15']) expect(formats, ref).toContain(figure(f.get(ref)!));
    expect(formats).toContain('Currency $#,##0.00;[Red]($#,##0.00)\t1599.99\t-1599.99');
    expect(formats).toContain('Scientific 0.00E+00\t198356388\t-198356388');
  });

  it('writes date cells as ISO dates', async () => {
    expect(await xlsLines('testEXCEL_dateFormats.xls')).toEqual(['[Munka1]', 'date', '2018-09-20', '1996-08-10']); // serials 43363, 35287
    const columnar = await xlsLines('test-columnar.xls');
    // Row 2: serial 21916 (dd-mm-yyyy), 21916.000011574073 (date and time), 1.1574074074074073E-5 (time).
    expect(columnar[2]).toMatch(/\t1960-01-01\t1960-01-01 00:00:01\t00:00:01$/);
    expect(columnar[3]).toMatch(/\t1960-01-02\t/); // 21917
    expect(columnar[4]).toMatch(/\t1960-01-17\t/); // 21932
    expect(columnar[5]).toMatch(/\t1960-03-22\t/); // 21997
  });

  it('decodes RK values and recognises date formats as the specification describes', () => {
    expect(rkValue(0x3ff00000)).toBe(1); // high 30 bits of the double 1.0
    expect(rkValue(0x3ff00001)).toBe(0.01); // the same, divided by 100
    expect(rkValue((123 << 2) | 2)).toBe(123);
    expect(rkValue((12345 << 2) | 3)).toBe(123.45);
    expect(rkValue(((-4250 << 2) | 2) >>> 0)).toBe(-4250);
    expect(numberText(4250000)).toBe('4250000');
    expect(numberText(0.1 + 0.2)).toBe('0.3');
    expect([14, 22, 0, 4].map((id) => isDateFormat(id, undefined))).toEqual([true, true, false, false]);
    expect(['dd/mm/yyyy', '[$-409]dd\\-mm\\-yyyy;@', 'hh:mm:ss.000', '#,##0.00 "days"', '0.00%', 'General', '[Red]0'].map((f) => isDateFormat(200, f)))
      .toEqual([true, true, true, false, false, false, false]);
    // Serial 60 is Lotus's 29 February 1900, which Excel kept: 59 and 61 are the days around it.
    expect([excelDate(1, false), excelDate(59, false), excelDate(61.5, false), excelDate(0, true), excelDate(-1, false)])
      .toEqual(['1900-01-01', '1900-02-28', '1900-03-01 12:00:00', '1904-01-01', undefined]);
  });

  it('makes the figures and dates searchable after an ingest', () => {
    const db = join(tmp.dir, 'xls.db');
    const run = tamis(['ingest', `${OFFICE}testEXCEL-formats.xls`, `${OFFICE}testEXCEL_dateFormats.xls`, '--db', db, '--quiet', '--no-ocr']);
    expect(run.status, run.stderr).toBe(0);
    const paths = (q: string) => (JSON.parse(tamis(['search', q, '--db', db, '--json']).stdout) as { hits: { path: string }[] }).hits.map((h) => h.path);
    expect(paths('198356388')).toEqual(['testEXCEL-formats.xls']);
    expect(paths('"2018-09-20"')).toEqual(['testEXCEL_dateFormats.xls']);
  });
});
