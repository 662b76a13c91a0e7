// OLE property sets ([MS-OLEPS]): the SummaryInformation and
// DocumentSummaryInformation streams of legacy Office files, where Word and
// Excel keep author, last author, dates, editing time, application, company
// and the code page of the machine that saved them. Hostile input: every
// offset is bounds-checked and counts are capped; a malformed set yields
// what could be read and a note, never an exception.
export type PropertyValue = string | number | boolean | string[] | null;

export interface PropertySection { fmtid: string; codePage: number; properties: Map<number, PropertyValue>; names: Map<number, string> }

const MAX_SECTIONS = 8;
const MAX_PROPERTIES = 1000;
const MAX_VECTOR = 1000;
const MAX_PROBLEMS = 5;
const FILETIME_EPOCH_MS = 11644473600000n;

export const FMTID_SUMMARY = 'f29f85e0-4ff9-1068-ab91-08002b27b3d9';
export const FMTID_DOC_SUMMARY = 'd5cdd502-2e9c-101b-9397-08002b2cf9ae';

function guid(b: Buffer, at: number): string {
  const h = (i: number, n: number, le: boolean) => {
    const bytes = [...b.subarray(at + i, at + i + n)];
    return (le ? bytes.reverse() : bytes).map((x) => x.toString(16).padStart(2, '0')).join('');
  };
  return `${h(0, 4, true)}-${h(4, 2, true)}-${h(6, 2, true)}-${h(8, 2, false)}-${h(10, 6, false)}`;
}

/** Some writers store the FMTID with its first fields byte-swapped; readers accept both. */
function knownFmtid(b: Buffer, at: number): string {
  const le = guid(b, at);
  if (le === FMTID_SUMMARY || le === FMTID_DOC_SUMMARY) return le;
  const raw = b.subarray(at, at + 16).toString('hex');
  const swapped = `${raw.slice(0, 8)}-${raw.slice(8, 12)}-${raw.slice(12, 16)}-${raw.slice(16, 20)}-${raw.slice(20)}`;
  return swapped === FMTID_SUMMARY || swapped === FMTID_DOC_SUMMARY ? swapped : le;
}

const LABELS: Record<number, string> = {
  1200: 'utf-16le', 65001: 'utf-8', 1250: 'windows-1250', 1251: 'windows-1251', 1252: 'windows-1252', 1253: 'windows-1253',
  1254: 'windows-1254', 1255: 'windows-1255', 1256: 'windows-1256', 1257: 'windows-1257', 1258: 'windows-1258', 874: 'windows-874',
  932: 'shift_jis', 936: 'gbk', 949: 'euc-kr', 950: 'big5', 866: 'ibm866', 10000: 'macintosh', 10007: 'x-mac-cyrillic', 20866: 'koi8-r', 28591: 'iso-8859-1',
};

export function decodeCodePage(bytes: Uint8Array, codePage: number): string {
  const label = LABELS[codePage & 0xffff];
  try {
    // A code page tamis does not know (or a bogus one): latin1 keeps every byte visible.
    if (!label) return Buffer.from(bytes).toString('latin1');
    return new TextDecoder(label).decode(bytes);
  } catch {
    return Buffer.from(bytes).toString('latin1');
  }
}

// Strings end at their first NUL: writers pad a counted string with whatever was in memory (Visio's "Page-1\0c").
const clean = (s: string) => s.replace(/\0[^]*$/, '');

/** FILETIME: an instant, or (for EditTime) a duration; both as 100-ns ticks. */
function filetimeTicks(b: Buffer, at: number): bigint {
  return (BigInt(b.readUInt32LE(at + 4)) << 32n) | BigInt(b.readUInt32LE(at));
}

export function filetimeToIso(ticks: bigint): string | null {
  if (ticks === 0n) return null;
  const ms = Number(ticks / 10000n - FILETIME_EPOCH_MS);
  return Number.isFinite(ms) && ms > -2e12 && ms < 1e14 ? new Date(ms).toISOString() : null;
}

function readValue(b: Buffer, at: number, end: number, codePage: number, depth = 0): { value: PropertyValue; ticks?: bigint } {
  if (at + 4 > end) return { value: null };
  const type = b.readUInt16LE(at);
  const p = at + 4;
  const fits = (n: number) => p + n <= end;
  switch (type) {
    case 2: return { value: fits(2) ? b.readInt16LE(p) : null };
    case 3: case 22: return { value: fits(4) ? b.readInt32LE(p) : null };
    case 18: return { value: fits(2) ? b.readUInt16LE(p) : null };
    case 19: case 23: return { value: fits(4) ? b.readUInt32LE(p) : null };
    case 11: return { value: fits(2) ? b.readUInt16LE(p) !== 0 : null };
    case 4: return { value: fits(4) ? b.readFloatLE(p) : null };
    case 5: return { value: fits(8) ? b.readDoubleLE(p) : null };
    case 6: return { value: fits(8) ? Number(b.readBigInt64LE(p)) / 10000 : null }; // VT_CY: fixed point, 4 decimals
    case 7: { // VT_DATE: days since 1899-12-30
      const d = fits(8) ? b.readDoubleLE(p) : NaN;
      const ms = Math.round((d - 25569) * 86400000);
      return { value: Number.isFinite(ms) && Math.abs(ms) < 1e14 ? new Date(ms).toISOString() : null };
    }
    case 20: return { value: fits(8) ? Number(b.readBigInt64LE(p)) : null };
    case 21: return { value: fits(8) ? Number(b.readBigUInt64LE(p)) : null };
    case 64: return fits(8) ? { value: null, ticks: filetimeTicks(b, p) } : { value: null };
    case 65: case 71: return { value: null }; // VT_BLOB, VT_CF (thumbnail): not kept
    case 30: {
      if (!fits(4)) return { value: null };
      const n = b.readUInt32LE(p);
      if (!fits(4 + n)) return { value: null };
      const raw = b.subarray(p + 4, p + 4 + n);
      return { value: clean(codePage === 1200 ? raw.toString('utf16le') : decodeCodePage(raw, codePage)) };
    }
    case 31: {
      if (!fits(4)) return { value: null };
      const n = b.readUInt32LE(p) * 2;
      return { value: fits(4 + n) ? clean(b.subarray(p + 4, p + 4 + n).toString('utf16le')) : null };
    }
    case 0x100c: case 0x101e: case 0x101f: {
      if (depth > 0 || !fits(4)) return { value: null };
      const count = Math.min(b.readUInt32LE(p), MAX_VECTOR);
      const out: string[] = [];
      let q = p + 4;
      for (let i = 0; i < count && q + 4 <= end; i++) {
        if (type === 0x100c) {
          // Each element of a variant vector is itself a typed value.
          const v = readValue(b, q, end, codePage, 1);
          out.push(v.value === null ? '' : String(v.value));
          q = afterVariant(b, q, end);
        } else {
          const wide = type === 0x101f;
          const bytes = b.readUInt32LE(q) * (wide ? 2 : 1);
          if (q + 4 + bytes > end) break;
          const raw = b.subarray(q + 4, q + 4 + bytes);
          out.push(clean(wide || codePage === 1200 ? raw.toString('utf16le') : decodeCodePage(raw, codePage)));
          q = skipPadding(b, q + 4 + bytes, end);
        }
      }
      return { value: out };
    }
    default: return { value: null };
  }
}

/**
 * Past the padding after a string in a vector. [MS-OLEPS] pads each to 4 bytes, but Office writes TitlesOfParts
 * and the heading strings of HeadingPairs unaligned ([MS-OSHARED] VtVecUnalignedLpstr, VtUnalignedString):
 * like Apache POI, only zero bytes are skipped, as the next length or type never starts with one in practice.
 */
function skipPadding(b: Buffer, q: number, end: number): number {
  while (q & 3 && q < end && b[q] === 0) q++;
  return q;
}

/** Where the next typed value of a variant vector starts. */
function afterVariant(b: Buffer, at: number, end: number): number {
  const t = b.readUInt16LE(at);
  if ((t === 30 || t === 31) && at + 8 <= b.length) {
    const n = b.readUInt32LE(at + 4) * (t === 31 ? 2 : 1);
    return skipPadding(b, at + 8 + n, end);
  }
  return at + (t === 64 || t === 5 || t === 6 || t === 7 || t === 20 || t === 21 ? 12 : 8);
}

export function parsePropertySet(stream: Uint8Array): { sections: PropertySection[]; problems: string[]; ticks: Map<string, bigint> } {
  const b = Buffer.from(stream.buffer, stream.byteOffset, stream.byteLength);
  const problems: string[] = [];
  const sections: PropertySection[] = [];
  const ticks = new Map<string, bigint>();
  if (b.length < 28 || b.readUInt16LE(0) !== 0xfffe) return { sections, problems: ['not a property set stream'], ticks };
  if (b.readUInt16LE(2) > 1) problems.push(`unknown property set format version ${b.readUInt16LE(2)}`);
  const count = Math.min(b.readUInt32LE(24), MAX_SECTIONS);
  for (let s = 0; s < count; s++) {
    const head = 28 + s * 20;
    if (head + 20 > b.length) { problems.push('section list runs past the stream'); break; }
    const fmtid = knownFmtid(b, head);
    const start = b.readUInt32LE(head + 16);
    if (start + 8 > b.length) { problems.push(`section ${s} starts past the stream`); continue; }
    const end = Math.min(b.length, start + b.readUInt32LE(start));
    const n = Math.min(b.readUInt32LE(start + 4), MAX_PROPERTIES);
    const offsets: [number, number][] = [];
    for (let i = 0; i < n && start + 8 + i * 8 + 8 <= end; i++) offsets.push([b.readUInt32LE(start + 8 + i * 8), start + b.readUInt32LE(start + 12 + i * 8)]);
    const cpEntry = offsets.find(([id]) => id === 1);
    const codePage = cpEntry && cpEntry[1] + 6 <= end ? b.readUInt16LE(cpEntry[1] + 4) : 1252;
    const section: PropertySection = { fmtid, codePage, properties: new Map(), names: new Map() };
    for (const [id, at] of offsets) {
      if (at >= end) { problems.push(`property ${id} points past its section`); continue; }
      if (id === 0) { readDictionary(b, at, end, codePage, section.names); continue; }
      const v = readValue(b, at, end, codePage);
      if (v.ticks === undefined) section.properties.set(id, v.value);
      else {
        // Kept as ticks too: the same type holds a duration in EditTime.
        ticks.set(`${fmtid}:${id}`, v.ticks);
        section.properties.set(id, filetimeToIso(v.ticks));
      }
    }
    sections.push(section);
  }
  if (problems.length > MAX_PROBLEMS) problems.splice(MAX_PROBLEMS, Infinity, `and ${problems.length - MAX_PROBLEMS} more problems`);
  return { sections, problems, ticks };
}

/** Property 0 of a user-defined section: the names of custom properties. */
function readDictionary(b: Buffer, at: number, end: number, codePage: number, names: Map<number, string>): void {
  if (at + 4 > end) return;
  const n = Math.min(b.readUInt32LE(at), MAX_PROPERTIES);
  let q = at + 4;
  for (let i = 0; i < n && q + 8 <= end; i++) {
    const id = b.readUInt32LE(q);
    const len = b.readUInt32LE(q + 4);
    const bytes = codePage === 1200 ? len * 2 : len;
    if (q + 8 + bytes > end) break;
    const raw = b.subarray(q + 8, q + 8 + bytes);
    names.set(id, clean(codePage === 1200 ? raw.toString('utf16le') : decodeCodePage(raw, codePage)));
    q += 8 + (codePage === 1200 ? (bytes + 3) & ~3 : bytes);
  }
}
