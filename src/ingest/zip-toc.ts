// Table of contents of a zip without extracting it: entry names, sizes,
// offsets and timestamps, with a local-header fallback for zips whose central
// directory is gone. Used by sniff.ts (is this zip a DOCX? an ODF?) and
// ooxml.ts (entry times are forensic evidence; members are inflated one by
// one so a single broken member does not sink the document).
import { Inflate, inflateSync } from 'fflate';

export interface ZipEntryInfo {
  name: string;
  /** 0 = stored, 8 = deflate. */
  method: number;
  flags: number;
  /** CRC-32 recorded for the uncompressed data (0 in a local header that defers it to a data descriptor). */
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
  /** DOS timestamp as ISO-8601 local time (zip stores no zone), when valid. */
  modified?: string;
  /** Modification time in UTC from an extended-timestamp or NTFS extra field. */
  modifiedUtc?: string;
}

const u16 = (b: Uint8Array, o: number) => b[o]! | (b[o + 1]! << 8);
const u32 = (b: Uint8Array, o: number) => (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
const u64 = (b: Uint8Array, o: number) => u32(b, o) + u32(b, o + 4) * 2 ** 32;
const utf8 = new TextDecoder('utf-8', { fatal: true });
const latin1 = new TextDecoder('latin1');

function decodeName(raw: Uint8Array): string {
  // Bit 11 marks UTF-8, but many tools write UTF-8 without it: try UTF-8 first.
  try {
    return utf8.decode(raw);
  } catch {
    return latin1.decode(raw);
  }
}

function dosTime(time: number, date: number): string | undefined {
  const y = 1980 + (date >> 9);
  const mo = (date >> 5) & 15;
  const d = date & 31;
  const h = time >> 11;
  const mi = (time >> 5) & 63;
  const s = (time & 31) * 2;
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return undefined;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${y}-${p(mo)}-${p(d)}T${p(h)}:${p(mi)}:${p(s)}`;
}

/** Apply the extra fields we understand (zip64 sizes, UTC mtimes) to an entry. */
function applyExtra(e: ZipEntryInfo, b: Uint8Array, start: number, end: number): void {
  for (let p = start; p + 4 <= end; ) {
    const id = u16(b, p);
    const len = u16(b, p + 2);
    const d = p + 4;
    if (d + len > end) break;
    if (id === 0x0001) {
      // Zip64: only the fields that overflowed are present, in this order.
      let q = d;
      if (e.size === 0xffffffff && q + 8 <= d + len) (e.size = u64(b, q)), (q += 8);
      if (e.compressedSize === 0xffffffff && q + 8 <= d + len) (e.compressedSize = u64(b, q)), (q += 8);
      if (e.localOffset === 0xffffffff && q + 8 <= d + len) e.localOffset = u64(b, q);
    } else if (id === 0x5455 && len >= 5 && (b[d]! & 1)) {
      e.modifiedUtc = new Date(u32(b, d + 1) * 1000).toISOString();
    } else if (id === 0x000a && len >= 32 && u16(b, d + 4) === 1) {
      const ft = u64(b, d + 8); // FILETIME: 100 ns ticks since 1601
      const ms = ft / 1e4 - 11644473600000;
      if (Number.isFinite(ms) && ms > 0 && ms < 8.64e15) e.modifiedUtc = new Date(Math.round(ms)).toISOString();
    }
    p = d + len;
  }
}

/** Locate the end-of-central-directory record: [cd offset, entry count]. */
function findDirectory(b: Uint8Array): { offset: number; count: number } | undefined {
  const min = Math.max(0, b.length - 22 - 0xffff);
  for (let p = b.length - 22; p >= min; p--) {
    if (b[p] !== 0x50 || u32(b, p) !== 0x06054b50) continue;
    let count = u16(b, p + 10);
    let offset = u32(b, p + 16);
    // Zip64 locator sits just before the EOCD.
    const loc = p - 20;
    if ((count === 0xffff || offset === 0xffffffff) && loc >= 0 && u32(b, loc) === 0x07064b50) {
      const z = u64(b, loc + 8);
      if (z + 56 <= b.length && u32(b, z) === 0x06064b50) {
        count = u64(b, z + 32);
        offset = u64(b, z + 48);
      }
    }
    if (offset <= p) return { offset, count };
  }
  return undefined;
}

/** Entries of the central directory, in its order; undefined when there is none. */
export function readCentralDirectory(b: Uint8Array, maxEntries = 200_000): ZipEntryInfo[] | undefined {
  const dir = findDirectory(b);
  if (!dir) return undefined;
  const out: ZipEntryInfo[] = [];
  let p = dir.offset;
  while (out.length < Math.min(dir.count, maxEntries) && p + 46 <= b.length && u32(b, p) === 0x02014b50) {
    const nameLen = u16(b, p + 28);
    const extraLen = u16(b, p + 30);
    const commentLen = u16(b, p + 32);
    const e: ZipEntryInfo = {
      name: decodeName(b.subarray(p + 46, p + 46 + nameLen)),
      flags: u16(b, p + 8),
      method: u16(b, p + 10),
      modified: dosTime(u16(b, p + 12), u16(b, p + 14)),
      crc: u32(b, p + 16),
      compressedSize: u32(b, p + 20),
      size: u32(b, p + 24),
      localOffset: u32(b, p + 42),
    };
    applyExtra(e, b, p + 46 + nameLen, Math.min(b.length, p + 46 + nameLen + extraLen));
    out.push(e);
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

/**
 * Walk local file headers from the start: the fallback for a zip whose
 * central directory is missing (truncated download, carved file).
 * Bounded by entry count; data-descriptor entries are skipped by searching
 * for the next local header signature.
 */
export function scanLocalHeaders(b: Uint8Array, maxEntries = 10_000): ZipEntryInfo[] {
  const out: ZipEntryInfo[] = [];
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  const SIG = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
  let p = 0;
  while (out.length < maxEntries && p + 30 <= b.length && u32(b, p) === 0x04034b50) {
    const nameLen = u16(b, p + 26);
    const extraLen = u16(b, p + 28);
    const e: ZipEntryInfo = {
      name: decodeName(b.subarray(p + 30, Math.min(b.length, p + 30 + nameLen))),
      flags: u16(b, p + 6),
      method: u16(b, p + 8),
      modified: dosTime(u16(b, p + 10), u16(b, p + 12)),
      crc: u32(b, p + 14),
      compressedSize: u32(b, p + 18),
      size: u32(b, p + 22),
      localOffset: p,
    };
    applyExtra(e, b, p + 30 + nameLen, Math.min(b.length, p + 30 + nameLen + extraLen));
    out.push(e);
    const data = p + 30 + nameLen + extraLen;
    const next = (e.flags & 8) || e.compressedSize === 0xffffffff ? buf.indexOf(SIG, data) : data + e.compressedSize;
    if (next <= p) break;
    p = next;
    // Data descriptors (with or without signature) may sit between entries.
    if (p + 4 <= b.length && u32(b, p) !== 0x04034b50) {
      const again = buf.indexOf(SIG, p);
      if (again === -1 || again - p > 32) break;
      p = again;
    }
  }
  return out;
}

/** Entry names, from the central directory or else the local headers. */
export function zipEntryNames(b: Uint8Array, maxEntries = 10_000): string[] {
  return (readCentralDirectory(b, maxEntries) ?? scanLocalHeaders(b, maxEntries)).map((e) => e.name);
}

/**
 * Uncompressed bytes of one entry. `maxSize` guards against zip bombs: the
 * declared size is the output buffer, so a lying header yields truncated
 * output rather than unbounded memory. Throws on corrupt data.
 */
export function readEntry(b: Uint8Array, e: ZipEntryInfo, maxSize: number): Uint8Array {
  if (e.flags & 1) throw new Error(`${e.name}: encrypted member`);
  const p = e.localOffset;
  if (p + 30 > b.length || u32(b, p) !== 0x04034b50) throw new Error(`${e.name}: bad local header`);
  const start = p + 30 + u16(b, p + 26) + u16(b, p + 28);
  const known = !(e.flags & 8) || e.compressedSize > 0;
  const end = known ? start + e.compressedSize : b.length;
  if (end > b.length) throw new Error(`${e.name}: member is truncated`);
  const raw = b.subarray(start, end);
  if (e.method === 0) return raw.slice(0, Math.min(raw.length, maxSize));
  if (e.method !== 8) throw new Error(`${e.name}: unsupported compression method ${e.method}`);
  if (e.size > maxSize) throw new Error(`${e.name}: member larger than ${maxSize} bytes`);
  if (e.size > 0) return inflateSync(raw, { out: new Uint8Array(e.size) });
  return inflateCapped(raw, maxSize, e.name);
}

/** Inflate with no trustworthy size: feed small slices so output can be capped as it grows. */
function inflateCapped(raw: Uint8Array, maxSize: number, name: string): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let done = false;
  const inf = new Inflate((chunk, final) => {
    total += chunk.length;
    if (total > maxSize) throw new Error(`${name}: member larger than ${maxSize} bytes`);
    chunks.push(chunk);
    if (final) done = true;
  });
  // Deflate expands at most ~1032:1, so a 16 KiB slice yields at most ~16 MiB.
  for (let p = 0; p < raw.length && !done; p += 16384) inf.push(raw.subarray(p, Math.min(raw.length, p + 16384)), p + 16384 >= raw.length);
  const out = new Uint8Array(total);
  let w = 0;
  for (const c of chunks) (out.set(c, w), (w += c.length));
  return out;
}
