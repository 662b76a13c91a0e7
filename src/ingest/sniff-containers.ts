// What kind of document a container file is, from its table of contents:
// zip (OOXML / ODF / EPUB) and OLE2 compound files (Word / Excel / PowerPoint
// / Outlook .msg / encrypted OOXML). Both read a bounded amount: zip entry
// names, and at most 64 directory sectors of an OLE2 file.
import { readCentralDirectory, readEntry, scanLocalHeaders } from './zip-toc.ts';

export const OOXML_PROTECTED = 'application/x-tika-ooxml-protected';
const MAX_ZIP_NAMES = 5000;

const OOXML: Record<string, { mime: string; macro: string; macroExts: string[]; exts: string[] }> = {
  word: {
    mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    macro: 'application/vnd.ms-word.document.macroEnabled.12',
    macroExts: ['docm', 'dotm'],
    exts: ['docx', 'docm', 'dotx', 'dotm'],
  },
  xl: {
    mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    macro: 'application/vnd.ms-excel.sheet.macroEnabled.12',
    macroExts: ['xlsm', 'xltm'],
    exts: ['xlsx', 'xlsm', 'xltx', 'xltm'],
  },
  ppt: {
    mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    macro: 'application/vnd.ms-powerpoint.presentation.macroEnabled.12',
    macroExts: ['pptm', 'ppsm', 'potm'],
    exts: ['pptx', 'pptm', 'ppsx', 'ppsm', 'potx', 'potm'],
  },
};

/** Refine a zip into OOXML, ODF or EPUB; 'application/zip' otherwise. */
export function zipMime(bytes: Uint8Array, ext: string): string {
  const entries = readCentralDirectory(bytes, MAX_ZIP_NAMES) ?? scanLocalHeaders(bytes, MAX_ZIP_NAMES);
  // ODF and EPUB name their type in a small `mimetype` member (first, stored).
  const mt = entries.find((e) => e.name === 'mimetype');
  if (mt && mt.size < 256) {
    try {
      const s = new TextDecoder('latin1').decode(readEntry(bytes, mt, 256)).trim();
      if (/^application\/(vnd\.oasis\.opendocument\.[\w.+-]+|epub\+zip)$/.test(s)) return s;
    } catch {
      /* unreadable mimetype member: fall through to the name test */
    }
  }
  const names = entries.map((e) => e.name.replace(/^\//, '').toLowerCase());
  if (names.includes('[content_types].xml')) {
    for (const [dir, t] of Object.entries(OOXML)) {
      if (names.some((n) => n.startsWith(`${dir}/`))) return t.macroExts.includes(ext) ? t.macro : t.mime;
    }
    // A damaged package (names lost to truncation): trust a matching extension.
    for (const t of Object.values(OOXML)) {
      if (t.exts.includes(ext)) return t.macroExts.includes(ext) ? t.macro : t.mime;
    }
  }
  return 'application/zip';
}

// OLE2 names compare case-insensitively.
const OLE_BY_STREAM: [RegExp, string][] = [
  [/^EncryptedPackage$/i, OOXML_PROTECTED],
  [/^WordDocument$/i, 'application/msword'],
  [/^(Workbook|Book)$/i, 'application/vnd.ms-excel'],
  [/^PowerPoint Document$/i, 'application/vnd.ms-powerpoint'],
  [/^__(substg1\.0_|properties_version1\.0)/i, 'application/vnd.ms-outlook'],
];
const OLE_BY_EXT: Record<string, string> = {
  doc: 'application/msword', dot: 'application/msword',
  xls: 'application/vnd.ms-excel', xlt: 'application/vnd.ms-excel', xla: 'application/vnd.ms-excel',
  ppt: 'application/vnd.ms-powerpoint', pps: 'application/vnd.ms-powerpoint', pot: 'application/vnd.ms-powerpoint',
  msg: 'application/vnd.ms-outlook',
};

interface OleEntry {
  name: string;
  left: number;
  right: number;
  child: number;
}

/** Directory entries of an OLE2 file, in directory order (bounded walk of the FAT chain). */
export function oleEntries(b: Uint8Array, maxSectors = 64): OleEntry[] {
  if (b.length < 512) return [];
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const shift = v.getUint16(30, true);
  if (shift !== 9 && shift !== 12) return [];
  const size = 1 << shift;
  const perFat = size / 4;
  const sectorAt = (s: number) => (s + 1) * size;
  const next = (s: number): number => {
    const fatIdx = Math.floor(s / perFat);
    if (fatIdx >= 109) return -1; // beyond the header's DIFAT: stop (bounded anyway)
    const fatSector = v.getUint32(76 + fatIdx * 4, true);
    const at = sectorAt(fatSector) + (s % perFat) * 4;
    return fatSector < 0xfffffffa && at + 4 <= b.length ? v.getUint32(at, true) : -1;
  };
  const out: OleEntry[] = [];
  const seen = new Set<number>();
  const utf16 = new TextDecoder('utf-16le');
  for (let s = v.getUint32(48, true), n = 0; s >= 0 && s < 0xfffffffa && n < maxSectors && !seen.has(s); s = next(s), n++) {
    seen.add(s);
    const start = sectorAt(s);
    if (start + size > b.length) break;
    for (let e = start; e < start + size; e += 128) {
      const len = v.getUint16(e + 64, true);
      const name = len >= 2 && len <= 64 ? utf16.decode(b.subarray(e, e + len - 2)) : '';
      out.push({ name, left: v.getUint32(e + 68, true), right: v.getUint32(e + 72, true), child: v.getUint32(e + 76, true) });
    }
  }
  return out;
}

/** Names of the root storage's direct children (embedded objects' streams excluded). */
export function oleTopLevelNames(b: Uint8Array): string[] {
  const entries = oleEntries(b);
  const names: string[] = [];
  const stack = entries.length ? [entries[0]!.child] : [];
  const seen = new Set<number>();
  while (stack.length) {
    const i = stack.pop()!;
    const e = entries[i];
    if (!e || seen.has(i)) continue; // NOSTREAM (0xffffffff) or out of range
    seen.add(i);
    names.push(e.name);
    stack.push(e.left, e.right);
  }
  return names;
}

/** Refine an OLE2 compound file by its streams, else by extension. */
export function oleMime(bytes: Uint8Array, ext: string): string {
  const names = oleTopLevelNames(bytes);
  for (const [re, mime] of OLE_BY_STREAM) if (names.some((n) => re.test(n))) return mime;
  return OLE_BY_EXT[ext] ?? 'application/x-ole-storage';
}
