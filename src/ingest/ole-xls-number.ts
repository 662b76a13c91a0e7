// Numbers of an Excel binary workbook as searchable text ([MS-XLS]): RK
// values decoded, figures written plainly (4250000, 1599.99, not 4.25e6 or
// float noise) and cells formatted as dates written as ISO dates, since a
// date cell holds only a day count. Display formats (currency, percent,
// thousands separators) are not applied: the figure is what gets searched.

/** An RkNumber (2.5.217): a 30-bit integer or the high 30 bits of a double, optionally divided by 100. */
export function rkValue(rk: number): number {
  let v: number;
  if (rk & 2) v = (rk | 0) >> 2;
  else {
    const b = Buffer.alloc(8);
    b.writeUInt32LE((rk & 0xfffffffc) >>> 0, 4);
    v = b.readDoubleLE(0);
  }
  return rk & 1 ? v / 100 : v;
}

/** Integers as all their digits; other numbers to the 15 significant digits Excel keeps. */
export function numberText(n: number): string {
  if (!Number.isFinite(n)) return '';
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return n.toFixed(0);
  return String(Number(n.toPrecision(15)));
}

// Built-in formats that show a date or a time (2.4.126 FORMAT; 27-36 and 50-58 are the East Asian ones).
const BUILTIN_DATES = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

/** Whether a number format shows a date or time: day, month, year, hour or second codes, and no digit placeholders. */
export function isDateFormat(id: number, code: string | undefined): boolean {
  if (BUILTIN_DATES.has(id)) return true;
  if (!code) return false;
  // Quoted text, escaped characters, [colour]/[$-locale] sections and padding codes are not format codes.
  const first = code.replace(/"[^"]*"/g, '').replace(/\\./g, '').replace(/\[[^\]]*\]/g, '').replace(/[_*]./g, '').split(';')[0]!;
  return /[dmyhs]/i.test(first) && !/[#?]|(^|[^.0])0/.test(first);
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** A date serial as ISO text (1900 or 1904 date system), or undefined when out of Excel's range. */
export function excelDate(serial: number, date1904: boolean): string | undefined {
  if (!(serial >= 0) || serial >= 2958466) return undefined;
  const days = Math.floor(serial);
  const seconds = Math.round((serial - days) * 86400);
  // The 1900 system counts a 29 February 1900 that never was: serials from 61 on are one day ahead.
  const base = date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, days < 61 ? 31 : 30);
  const d = new Date(base + days * 86_400_000 + seconds * 1000);
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  if (days === 0 && !date1904) return time; // a time of day alone
  const day = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  return seconds === 0 ? day : `${day} ${time}`;
}
