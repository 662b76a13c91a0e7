import { expect, it } from 'vitest';
import { csvCell } from '../../src/report/csv-report.ts';

it('quotes separators and neutralises spreadsheet formulas from the dump', () => {
  expect(csvCell('plain')).toBe('plain');
  expect(csvCell('a,b')).toBe('"a,b"');
  expect(csvCell('say "hi"')).toBe('"say ""hi"""');
  expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
  expect(csvCell('+33 1 23')).toBe("'+33 1 23");
  expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
  expect(csvCell(null)).toBe('');
  expect(csvCell(42)).toBe('42');
});
