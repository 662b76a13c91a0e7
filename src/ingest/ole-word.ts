// Text of a Word binary document ([MS-DOC]): the FIB says where the piece
// table (CLX) is — in the 0Table or 1Table stream for Word 97 and later, in
// the WordDocument stream for Word 6/95 — and each piece says where its
// characters are: 8-bit "compressed" (cp1252) or UTF-16LE. Field codes are
// dropped, their results kept; cell and paragraph marks become tabs and
// lines. Hostile input: every offset is bounds-checked, pieces are capped.
import { decodeCodePage } from './ole-property-set.ts';

const MAX_PIECES = 100_000;
const MAX_CHARS = 20_000_000;
const cp1252 = new TextDecoder('windows-1252');

export interface WordText {
  /** Null when the FIB or the piece table cannot be read (the caller falls back to string runs). */
  text: string | null;
  /** The FIB's fEncrypted or fObfuscated flag: the text is ciphertext. */
  encrypted: boolean;
  /** FIB version: 101–105 for Word 6/95, 193+ for Word 97 and later. */
  nFib?: number;
}

/** The piece table (PlcPcd) inside a CLX: skips the Prc entries, bounds-checked. */
function pieces(clx: Buffer, wide: boolean): { cpStart: number; cpEnd: number; fc: number; compressed: boolean }[] | null {
  let p = 0;
  while (p < clx.length && clx[p] === 0x01) {
    if (p + 3 > clx.length) return null;
    p += 3 + clx.readInt16LE(p + 1);
  }
  if (p + 5 > clx.length || clx[p] !== 0x02) return null;
  const lcb = clx.readUInt32LE(p + 1);
  const start = p + 5;
  if (lcb < 4 || start + lcb > clx.length) return null;
  const n = Math.min(Math.floor((lcb - 4) / 12), MAX_PIECES);
  const out = [];
  const pcdAt = start + (n + 1) * 4;
  for (let i = 0; i < n; i++) {
    const cpStart = clx.readInt32LE(start + i * 4);
    const cpEnd = clx.readInt32LE(start + (i + 1) * 4);
    const raw = clx.readUInt32LE(pcdAt + i * 8 + 2);
    // Word 97+: bit 30 marks 8-bit text at fc/2. Word 6/95 pieces are always 8-bit at fc.
    const compressed = !wide || (raw & 0x40000000) !== 0;
    const fc = wide ? (compressed ? (raw & 0x3fffffff) >>> 1 : raw & 0x3fffffff) : raw;
    if (cpEnd < cpStart) return null;
    out.push({ cpStart, cpEnd, fc, compressed });
  }
  return out;
}

/** Keeps field results, drops field instructions (between 0x13 and 0x14), maps Word's marks to text. */
export function cleanWordText(raw: string): string {
  let out = '';
  const stack: boolean[] = []; // per open field: still in its instruction part?
  for (const ch of raw) {
    const c = ch.charCodeAt(0);
    if (c === 0x13) { stack.push(true); continue; }
    if (c === 0x14) { if (stack.length) stack[stack.length - 1] = false; continue; }
    if (c === 0x15) { stack.pop(); continue; }
    if (stack.length > 0 && stack[stack.length - 1]) continue;
    if (c === 0x0d || c === 0x0b || c === 0x0c) out += '\n';
    else if (c === 0x07) out += '\t';
    else if (c === 0x1e) out += '-'; // non-breaking hyphen
    else if (c === 0xa0) out += ' ';
    else if (c >= 0x20 || c === 0x09) { if (c !== 0x1f) out += ch; } // 0x1f: optional hyphen
  }
  return out.replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
}

/** Windows code page of a language id's primary language (Word 6/95 text is 8-bit in the saving machine's code page). */
const LID_CODE_PAGES: Record<number, number> = {
  0x02: 1251, 0x19: 1251, 0x22: 1251, 0x23: 1251, 0x2f: 1251, 0x05: 1250, 0x0e: 1250, 0x15: 1250, 0x18: 1250, 0x1b: 1250, 0x1c: 1250,
  0x24: 1250, 0x08: 1253, 0x1f: 1254, 0x0d: 1255, 0x01: 1256, 0x25: 1257, 0x26: 1257, 0x27: 1257, 0x2a: 1258, 0x1e: 874, 0x11: 932, 0x12: 949,
};

function word6CodePage(w: Buffer, summaryCodePage: number): number {
  if (w.readUInt16LE(0x14) === 256) return 10000; // chse: Macintosh character set
  const lid = w.readUInt16LE(6);
  if (lid === 0x0804 || lid === 0x1004) return 936;
  if (lid === 0x0404 || lid === 0x0c04) return 950;
  if (lid === 0x041a || lid === 0x081a) return 1250; // Croatian, Serbian (Latin)
  const fromLid = LID_CODE_PAGES[lid & 0x3ff];
  if (fromLid) return fromLid;
  // An English Word on another Windows: the property sets' code page is the better witness, when it is an 8-bit one.
  if (summaryCodePage !== 1200 && summaryCodePage !== 65001 && summaryCodePage !== 1252) return summaryCodePage;
  return looksCyrillic(w.subarray(w.readUInt32LE(0x18), Math.min(w.length, w.readUInt32LE(0x1c)))) ? 1251 : 1252;
}

const isAsciiLetter = (c: number) => (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a;

/** Words made of bytes 0xC0–0xFF only (Cyrillic in 1251); Western text has accented letters between ASCII ones. */
function looksCyrillic(b: Uint8Array): boolean {
  let highPairs = 0;
  let mixedPairs = 0;
  for (let i = 1; i < b.length && i < 1_000_000; i++) {
    const x = b[i - 1]! >= 0xc0;
    const y = b[i]! >= 0xc0;
    if (x && y) highPairs++;
    else if (x !== y && isAsciiLetter(x ? b[i]! : b[i - 1]!)) mixedPairs++;
  }
  return highPairs >= 8 && highPairs > 4 * mixedPairs;
}

export function wordText(word: Uint8Array, table0: Uint8Array | undefined, table1: Uint8Array | undefined, codePage: number): WordText {
  const w = Buffer.from(word.buffer, word.byteOffset, word.byteLength);
  if (w.length < 0x1aa) return { text: null, encrypted: false };
  const ident = w.readUInt16LE(0);
  const nFib = w.readUInt16LE(2);
  const flags = w.readUInt16LE(0x0a);
  const encrypted = (flags & 0x0100) !== 0 || (flags & 0x8000) !== 0;
  if (ident !== 0xa5ec && ident !== 0xa5dc) return { text: null, encrypted: false, nFib };
  if (encrypted) return { text: null, encrypted, nFib };
  const word97 = nFib >= 0x00c1 || ident === 0xa5ec;
  let clx: Buffer | undefined;
  let fcClx = 0x160; // Word 6/95 FIB
  const cp = word97 ? 1252 : word6CodePage(w, codePage);
  if (word97) {
    // FibBase (32) + csw + fibRgW + cslw + fibRgLw + cbRgFcLcb, then fcClx is pair 33 of FibRgFcLcb97.
    const csw = w.readUInt16LE(32);
    const lwAt = 34 + csw * 2;
    if (lwAt + 2 > w.length) return { text: null, encrypted, nFib };
    const cslw = w.readUInt16LE(lwAt);
    fcClx = lwAt + 2 + cslw * 4 + 2 + 33 * 8;
    if (fcClx + 8 > w.length) return { text: null, encrypted, nFib };
    const table = (flags & 0x0200) !== 0 ? table1 : table0;
    if (!table) return { text: null, encrypted, nFib };
    const t = Buffer.from(table.buffer, table.byteOffset, table.byteLength);
    const at = w.readUInt32LE(fcClx);
    const lcb = w.readUInt32LE(fcClx + 4);
    if (lcb > 0 && at + lcb <= t.length) clx = t.subarray(at, at + lcb);
  } else if ((flags & 0x0004) !== 0) {
    // Word 6/95 "complex" (fast-saved) file: the CLX sits in the main stream.
    const at = w.readUInt32LE(fcClx);
    const lcb = w.readUInt32LE(fcClx + 4);
    if (lcb > 0 && at + lcb <= w.length) clx = w.subarray(at, at + lcb);
  } else {
    // Word 6/95 simple file: the text runs from fcMin to fcMac, 8-bit in the document's code page.
    const fcMin = w.readUInt32LE(0x18);
    const fcMac = w.readUInt32LE(0x1c);
    if (fcMin >= fcMac || fcMac > w.length) return { text: null, encrypted, nFib };
    return { text: cleanWordText(decodeCodePage(w.subarray(fcMin, Math.min(fcMac, fcMin + MAX_CHARS)), cp)), encrypted, nFib };
  }
  const list = clx ? pieces(clx, word97) : null;
  if (!list) return { text: null, encrypted, nFib };
  const parts: string[] = [];
  let total = 0;
  for (const pc of list) {
    const n = Math.min(pc.cpEnd - pc.cpStart, MAX_CHARS - total);
    if (n <= 0) break;
    const len = pc.compressed ? n : n * 2;
    if (pc.fc + len > w.length) continue;
    const bytes = w.subarray(pc.fc, pc.fc + len);
    parts.push(pc.compressed ? (word97 ? cp1252.decode(bytes) : decodeCodePage(bytes, cp)) : bytes.toString('utf16le'));
    total += n;
  }
  return { text: cleanWordText(parts.join('')), encrypted, nFib };
}
