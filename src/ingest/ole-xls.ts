// Text of an Excel binary workbook ([MS-XLS], BIFF5 and BIFF8): the shared
// string table (SST, split across CONTINUE records), sheet names, and the
// cells in sheet, row and column order: text (LABELSST, LABEL, formula STRING
// results), numbers (NUMBER, RK, MULRK, cached FORMULA results; dates as
// ISO dates, see ole-xls-number.ts), and text boxes (TXO). Formulas
// themselves are not rendered, only what they last computed.
// A FILEPASS record means everything after it is encrypted. Bounds-checked, linear.
import { decodeCodePage } from './ole-property-set.ts';
import { excelDate, isDateFormat, numberText, rkValue } from './ole-xls-number.ts';

const MAX_STRINGS = 1_000_000;
const MAX_CHARS = 20_000_000;

export interface XlsText { text: string | null; encrypted: boolean; biff?: number }

/** Reads BIFF8 XLUnicodeRichExtendedString values across record boundaries (each CONTINUE restarts with an options byte). */
class Segments {
  private i = 0;
  private p = 0;
  private readonly segs: Buffer[];
  constructor(segs: Buffer[]) { this.segs = segs; }
  get done(): boolean { return this.i >= this.segs.length; }
  private seg(): Buffer | undefined {
    while (this.i < this.segs.length && this.p >= this.segs[this.i]!.length) { this.i++; this.p = 0; }
    return this.segs[this.i];
  }
  u8(): number { const s = this.seg(); if (!s) throw new RangeError('SST ends early'); return s[this.p++]!; }
  u16(): number { return this.u8() | (this.u8() << 8); }
  u32(): number { return (this.u16() | (this.u16() << 16)) >>> 0; }
  skip(n: number): void {
    while (n > 0) {
      const s = this.seg();
      if (!s) throw new RangeError('SST ends early');
      const k = Math.min(n, s.length - this.p);
      this.p += k;
      n -= k;
    }
  }
  chars(cch: number, high: boolean, codePage: number): string {
    let out = '';
    let wide = high;
    let left = cch;
    while (left > 0) {
      const s = this.seg();
      if (!s) throw new RangeError('SST ends early');
      // Character data continued in a new record starts it with a fresh fHighByte flag.
      if (this.p === 0) { wide = (s[this.p++]! & 1) !== 0; continue; }
      const avail = wide ? (s.length - this.p) >> 1 : s.length - this.p;
      if (avail <= 0) { this.p = s.length; continue; }
      const k = Math.min(left, avail);
      const bytes = s.subarray(this.p, this.p + (wide ? k * 2 : k));
      out += wide ? bytes.toString('utf16le') : decodeCodePage(bytes, codePage === 1200 ? 1252 : codePage);
      this.p += bytes.length;
      left -= k;
    }
    return out;
  }
}

function readSst(segs: Buffer[], codePage: number): string[] {
  const r = new Segments(segs);
  const out: string[] = [];
  try {
    r.skip(8); // cstTotal, cstUnique
    while (!r.done && out.length < MAX_STRINGS) {
      const cch = r.u16();
      const flags = r.u8();
      const runs = flags & 0x08 ? r.u16() : 0;
      const ext = flags & 0x04 ? r.u32() : 0;
      out.push(r.chars(cch, (flags & 1) !== 0, codePage));
      r.skip(runs * 4 + ext);
    }
  } catch { /* a truncated table keeps the strings read so far */ }
  return out;
}

/** XLUnicodeString (BIFF8: 16-bit count, options byte) or BIFF5 byte string (16-bit count, code page bytes). */
function cellString(b: Buffer, at: number, biff8: boolean, codePage: number): string | undefined {
  if (at + 2 > b.length) return undefined;
  const cch = b.readUInt16LE(at);
  if (!biff8) return decodeCodePage(b.subarray(at + 2, Math.min(b.length, at + 2 + cch)), codePage);
  if (at + 3 > b.length) return undefined;
  const wide = (b[at + 2]! & 1) !== 0;
  const bytes = b.subarray(at + 3, Math.min(b.length, at + 3 + (wide ? cch * 2 : cch)));
  return wide ? bytes.toString('utf16le') : decodeCodePage(bytes, 1252);
}

export function xlsText(stream: Uint8Array): XlsText {
  const b = Buffer.from(stream.buffer, stream.byteOffset, stream.byteLength);
  if (b.length < 8 || (b.readUInt16LE(0) & 0xff) !== 0x09) return { text: null, encrypted: false };
  const biff = b.readUInt16LE(4);
  const biff8 = biff === 0x0600;
  let codePage = 1252;
  let sst: string[] = [];
  const sheets: string[] = [];
  const lines: string[] = [];
  let line: string[] = [];
  let row = -1;
  let sheet = -1;
  let chars = 0;
  let usedSst = false;
  const xfFormats: number[] = []; // number format id of each XF (cell style), in XF order
  const formats = new Map<number, string>();
  let date1904 = false;
  let formulaRow = -1; // the row of the formula whose text result the next STRING record holds
  const flush = () => { if (line.length) lines.push(line.join('\t')); line = []; };
  const num = (r: number, xf: number, v: number) => {
    const fmt = xfFormats[xf] ?? 0;
    cell(r, (isDateFormat(fmt, formats.get(fmt)) && excelDate(v, date1904)) || numberText(v));
  };
  const cell = (r: number, s: string | undefined) => {
    if (s === undefined || !s.trim() || chars > MAX_CHARS) return;
    if (r !== row) { flush(); row = r; }
    line.push(s.replace(/\0/g, ''));
    chars += s.length;
  };
  for (let p = 0; p + 4 <= b.length;) {
    const type = b.readUInt16LE(p);
    const len = b.readUInt16LE(p + 2);
    const body = b.subarray(p + 4, Math.min(b.length, p + 4 + len));
    p += 4 + len;
    if (type === 0x002f) return { text: null, encrypted: true, biff }; // FILEPASS
    if (type === 0x0042 && body.length >= 2) codePage = body.readUInt16LE(0);
    else if (type === 0x0022 && body.length >= 2) date1904 = body.readUInt16LE(0) === 1; // DATEMODE
    else if (type === 0x00e0 && body.length >= 4) xfFormats.push(body.readUInt16LE(2)); // XF
    else if (type === 0x041e && body.length >= 3) { // FORMAT
      const code = biff8 ? cellString(body, 2, true, codePage) : decodeCodePage(body.subarray(3, 3 + body[2]!), codePage);
      if (code !== undefined) formats.set(body.readUInt16LE(0), code);
    }
    else if (type === 0x0203 && body.length >= 14) num(body.readUInt16LE(0), body.readUInt16LE(4), body.readDoubleLE(6)); // NUMBER
    else if (type === 0x027e && body.length >= 10) num(body.readUInt16LE(0), body.readUInt16LE(4), rkValue(body.readUInt32LE(6))); // RK
    else if (type === 0x00bd && body.length >= 6) { // MULRK: one row, consecutive columns
      for (let q = 4; q + 6 <= body.length - 2; q += 6) num(body.readUInt16LE(0), body.readUInt16LE(q), rkValue(body.readUInt32LE(q + 2)));
    }
    // FORMULA: a cached number, unless its last two bytes are 0xFFFF (text in the next STRING record, boolean, error, empty).
    else if (type === 0x0006 && body.length >= 14) {
      if (body.readUInt16LE(12) !== 0xffff) num(body.readUInt16LE(0), body.readUInt16LE(4), body.readDoubleLE(6));
      else formulaRow = body.readUInt16LE(0);
    }
    else if (type === 0x0085 && body.length >= 8) {
      const cch = body[6]!;
      const name = biff8 ? ((body[7]! & 1) ? body.subarray(8, 8 + cch * 2).toString('utf16le') : decodeCodePage(body.subarray(8, 8 + cch), 1252))
        : decodeCodePage(body.subarray(7, 7 + cch), codePage);
      if (body[5] === 0) sheets.push(name); // worksheets only: their BOF records are counted below
    } else if (type === 0x00fc) {
      const segs = [body];
      while (p + 4 <= b.length && b.readUInt16LE(p) === 0x003c) {
        const n = b.readUInt16LE(p + 2);
        segs.push(b.subarray(p + 4, Math.min(b.length, p + 4 + n)));
        p += 4 + n;
      }
      sst = readSst(segs, codePage);
    } else if (type === 0x0809 && body.length >= 4 && body.readUInt16LE(2) === 0x0010) {
      flush();
      sheet++;
      row = -1;
      if (sheets[sheet]) lines.push(`[${sheets[sheet]}]`);
    } else if (type === 0x00fd && body.length >= 10) { usedSst = true; cell(body.readUInt16LE(0), sst[body.readUInt32LE(6)]); }
    else if (type === 0x0204 && body.length >= 8) cell(body.readUInt16LE(0), cellString(body, 6, biff8, codePage));
    else if (type === 0x0207 && body.length >= 2) cell(formulaRow, cellString(body, 0, biff8, codePage));
    else if (type === 0x01b6 && body.length >= 12 && p + 5 <= b.length && b.readUInt16LE(p) === 0x003c) {
      // TXO (text box): the text is in the next CONTINUE record, after an fHighByte flag.
      const n = b.readUInt16LE(p + 2);
      const cont = b.subarray(p + 5, Math.min(b.length, p + 4 + n));
      const cch = body.readUInt16LE(10);
      const wide = (b[p + 4]! & 1) !== 0;
      flush();
      row = -1;
      cell(-2, wide ? cont.subarray(0, cch * 2).toString('utf16le') : decodeCodePage(cont.subarray(0, cch), biff8 ? 1252 : codePage));
    }
  }
  flush();
  // Strings no cell points to (a workbook without LABELSST records): still searchable.
  if (!usedSst && sst.length) lines.push(...sst);
  return { text: lines.join('\n').trim(), encrypted: false, biff };
}
