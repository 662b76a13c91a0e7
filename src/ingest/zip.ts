// Zip archives: every member file becomes a child with its exact uncompressed
// bytes. One unreadable member (encrypted, exotic method, damaged data) is a
// warning, not a failure of the archive; a damaged central directory is.
// Member names are data: kept exactly as stored, never used as paths.
// The central directory is read by zip-toc.ts (shared with sniff/ooxml);
// fflate's unzipSync would hide the flags we need and fail on one bad member.
import { inflateSync } from 'fflate';
import { crc32 } from 'node:zlib';
import { TamisError } from '../core/errors.ts';
import type { ChildOut, Extraction, Ingestor } from './ingestor.ts';
import { readCentralDirectory, type ZipEntryInfo } from './zip-toc.ts';
import { DEFAULT_LIMITS, type Limits } from '../core/limits.ts';

const SIG_LOCAL = 0x04034b50;
const LOCAL_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

type Warning = NonNullable<Extraction['warnings']>[number];

const METHOD_NAMES: Readonly<Record<number, string>> = {
  0: 'stored', 1: 'shrunk', 6: 'imploded', 8: 'deflate', 9: 'deflate64', 12: 'bzip2',
  14: 'lzma', 93: 'zstd', 95: 'xz', 96: 'jpeg', 97: 'wavpack', 98: 'ppmd', 99: 'aes',
};
const methodName = (m: number): string => METHOD_NAMES[m] ?? `method ${m}`;

const readU32 = (b: Uint8Array, at: number): number =>
  at + 4 <= b.length ? (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0 : -1;

/** CRC-32 from the local header, or from the data descriptor after the data when flag bit 3 says so. */
function expectedCrc(b: Uint8Array, localHeader: number, dataEnd: number, flags: number): number {
  if ((flags & 8) === 0) return readU32(b, localHeader + 14);
  return readU32(b, dataEnd) === 0x08074b50 ? readU32(b, dataEnd + 4) : readU32(b, dataEnd);
}

/** The member's uncompressed bytes, or a warning saying why they cannot be had. */
function readMember(bytes: Uint8Array, entry: ZipEntryInfo): Uint8Array | Warning {
  const member = entry.name;
  // Bit 0 covers both traditional PKWARE encryption and WinZip AES (method 99).
  if ((entry.flags & 1) !== 0) {
    return { code: 'E_ZIP_ENCRYPTED', message: `member is encrypted (${methodName(entry.method)})`, member };
  }
  if (entry.method !== 0 && entry.method !== 8) {
    return { code: 'E_ZIP_UNSUPPORTED', message: `compression ${methodName(entry.method)} is not supported`, member };
  }
  const damaged = (why: string): Warning => ({ code: 'E_ZIP_CORRUPT', message: `member is damaged: ${why}`, member });
  const lh = entry.localOffset;
  if (lh < 0 || readU32(bytes, lh) !== SIG_LOCAL || lh + 30 > bytes.length) return damaged('local header not found');
  // The local name/extra lengths may differ from the central copies.
  const start = lh + 30 + (bytes[lh + 26]! | (bytes[lh + 27]! << 8)) + (bytes[lh + 28]! | (bytes[lh + 29]! << 8));
  const end = start + entry.compressedSize;
  if (end > bytes.length) return damaged('data runs past the end of the archive');
  const raw = bytes.subarray(start, end);
  let out: Uint8Array;
  if (entry.method === 0) {
    out = raw;
  } else {
    try {
      // The declared size is the output buffer: a lying header (zip bomb)
      // cannot grow memory past it; the size/CRC checks below catch the lie.
      out = entry.size > 0 ? inflateSync(raw, { out: new Uint8Array(entry.size) }) : inflateSync(raw);
    } catch (err) {
      return damaged(`deflate error (${(err as Error).message})`);
    }
  }
  if (out.length !== entry.size) return damaged(`size ${out.length} differs from the recorded ${entry.size}`);
  if (crc32(out) >>> 0 !== expectedCrc(bytes, lh, end, entry.flags)) return damaged('CRC-32 mismatch');
  return out;
}

/** Entries whose data ranges overlap another's: the "better zip bomb" reuses one compressed stream many times. */
function overlappingEntries(entries: ZipEntryInfo[]): Set<number> {
  const spans = entries.map((e, i) => ({ i, start: e.localOffset, end: e.localOffset + 30 + e.compressedSize }))
    .filter((s) => s.end > s.start).sort((a, b) => a.start - b.start);
  const out = new Set<number>();
  for (let k = 1; k < spans.length; k++) {
    if (spans[k]!.start < spans[k - 1]!.end) { out.add(spans[k]!.i); out.add(spans[k - 1]!.i); }
  }
  return out;
}

/** Why a member must not be unpacked, judged from its declared sizes before any memory is spent. */
function bombReason(e: ZipEntryInfo, expandedSoFar: number, limits: Limits, overlaps: boolean): string | null {
  if (overlaps) return 'its data overlaps another member\'s (overlapping-entry zip bomb)';
  if (e.size > limits.maxMemberBytes) return `it declares ${e.size} bytes, over the ${limits.maxMemberBytes}-byte member limit`;
  if (expandedSoFar + e.size > limits.maxArchiveBytes) return `the archive would expand past ${limits.maxArchiveBytes} bytes`;
  if (e.size > 1 << 20 && e.size / Math.max(1, e.compressedSize) > limits.maxRatio) {
    return `it expands ${Math.round(e.size / Math.max(1, e.compressedSize))}-fold, over the ratio limit of ${limits.maxRatio}`;
  }
  return null;
}

export const zipIngestor: Ingestor = {
  name: 'zip',
  score({ mime, ext }) {
    if (mime === 'application/zip') return 100;
    return ext === 'zip' ? 10 : 0;
  },
  async extract({ bytes, limits = DEFAULT_LIMITS }) {
    const entries = readCentralDirectory(bytes);
    if (!entries) throw new TamisError('E_ZIP_CORRUPT', 'no end-of-central-directory record (truncated or not a zip)');
    // Member headers present but no directory entry read: the directory is
    // damaged, or misplaced by data prepended to the archive (self-extractor).
    if (entries.length === 0 && Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(LOCAL_MAGIC)) {
      throw new TamisError('E_ZIP_CORRUPT', 'central directory not found where the end record points');
    }
    const children: ChildOut[] = [];
    const warnings: Warning[] = [];
    const names: string[] = [];
    const overlapping = overlappingEntries(entries);
    let expanded = 0;
    entries.forEach((entry, index) => {
      if (entry.name.endsWith('/')) return; // directory
      if (index >= limits.maxEntries) {
        if (index === limits.maxEntries) warnings.push({ code: 'E_TOO_MANY_ENTRIES', message: `only the first ${limits.maxEntries} of ${entries.length} members were read` });
        return;
      }
      names.push(entry.name);
      const bomb = bombReason(entry, expanded, limits, overlapping.has(index));
      if (bomb) {
        warnings.push({ code: 'E_BOMB', message: bomb, member: entry.name });
        return;
      }
      expanded += entry.size;
      const got = readMember(bytes, entry);
      if (!(got instanceof Uint8Array)) {
        warnings.push(got);
        return;
      }
      const meta: Record<string, unknown> = { zipMethod: methodName(entry.method), zipIndex: index };
      const modified = entry.modifiedUtc ?? entry.modified;
      if (modified) meta.zipModified = modified;
      children.push({ name: entry.name, bytes: got, role: 'member', meta });
    });
    // Only damage, and nothing readable: the archive itself is broken.
    if (children.length === 0 && warnings.length > 0 && warnings.every((w) => w.code === 'E_ZIP_CORRUPT')) {
      throw new TamisError('E_ZIP_CORRUPT', `no member could be read (${warnings[0]!.message})`);
    }
    return { text: names.join('\n'), meta: { entries: entries.length }, children, warnings };
  },
};
