// Images: EXIF, GPS, XMP and IPTC metadata through exifr, the groups kept
// apart (a camera's DateTimeOriginal and an editor's ModifyDate tell
// different stories). Key fields are also copied flat (make, model, software,
// dates as zone-less ISO, XMP CreatorTool and History, GPS, size). Text comes
// from OCR, run by the pipeline.
import exifr from 'exifr';
import type { Metadata } from '../core/types.ts';
import type { Ingestor } from './ingestor.ts';

const IMAGE_MIMES = new Set(['image/jpeg', 'image/png', 'image/tiff', 'image/heic', 'image/heif', 'image/webp', 'image/gif', 'image/avif']);

/** JSON-safe copy: short ASCII byte strings (ExifVersion) as text, other binary blobs dropped. */
function plain(v: unknown, depth = 0): unknown {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  if (v === null || typeof v !== 'object') return typeof v === 'string' ? v.slice(0, 2000) : v;
  if (v instanceof Uint8Array && v.length <= 64 && v.every((c) => c >= 0x20 && c < 0x7f)) return Buffer.from(v).toString('latin1');
  if (ArrayBuffer.isView(v) || depth > 4) return undefined;
  if (Array.isArray(v)) return v.slice(0, 100).map((x) => plain(x, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    const p = plain(x, depth + 1);
    if (p !== undefined) out[k] = p;
  }
  return out;
}

/**
 * EXIF dates are wall-clock text ('2015:03:12 09:30:00') without a zone; kept as
 * a zone-less ISO string (never shifted by the machine's TZ), with the EXIF 2.31
 * OffsetTime* tag appended when the camera wrote one.
 */
function exifDate(raw: unknown, offset: unknown): string | undefined {
  const m = typeof raw === 'string' ? /^(\d{4}):(\d\d):(\d\d)[ T](\d\d):(\d\d):(\d\d)/.exec(raw.trim()) : null;
  if (!m) return typeof raw === 'string' && raw.trim() ? raw.trim() : undefined;
  const zone = typeof offset === 'string' && /^[+-]\d\d:\d\d$/.test(offset.trim()) ? offset.trim() : '';
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${zone}`;
}

export const imageIngestor: Ingestor = {
  name: 'image',
  score({ mime }) {
    return IMAGE_MIMES.has(mime) ? 100 : 0;
  },
  async extract({ bytes, mime }) {
    const meta: Metadata = {};
    const warnings: { code: string; message: string }[] = [];
    try {
      const groups = await exifr.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
        tiff: true, exif: true, gps: true, xmp: true, iptc: true, icc: false, ifd1: false, jfif: true, ihdr: true,
        mergeOutput: false, translateValues: true, reviveValues: false, sanitize: true, // raw dates: no local-time guess
      });
      if (groups) Object.assign(meta, plain(groups) as Metadata);
    } catch (err) {
      // No metadata, or metadata exifr cannot read: the image is still kept.
      warnings.push({ code: 'E_IMAGE_METADATA', message: (err as Error).message.slice(0, 300) });
    }
    const group = (k: string) => (meta[k] ?? {}) as Record<string, unknown>;
    const [ifd0, exif, xmp, ihdr] = [group('ifd0'), group('exif'), group('xmp'), group('ihdr')];
    const flat: Metadata = {
      make: ifd0.Make, model: ifd0.Model, software: ifd0.Software, artist: ifd0.Artist, copyright: ifd0.Copyright,
      modifyDate: exifDate(ifd0.ModifyDate, exif.OffsetTime), dateTimeOriginal: exifDate(exif.DateTimeOriginal, exif.OffsetTimeOriginal),
      createDate: exifDate(exif.CreateDate ?? exif.DateTimeDigitized, exif.OffsetTimeDigitized),
      creatorTool: xmp.CreatorTool, xmpCreateDate: xmp.CreateDate, xmpModifyDate: xmp.ModifyDate, history: group('xmpMM').History,
      width: exif.ExifImageWidth ?? ifd0.ImageWidth ?? ihdr.ImageWidth, height: exif.ExifImageHeight ?? ifd0.ImageHeight ?? ihdr.ImageHeight,
    };
    for (const [k, v] of Object.entries(flat)) if (v !== undefined && v !== null && v !== '') meta[k] = v;
    const gps = meta.gps as Record<string, unknown> | undefined;
    if (gps && typeof gps.latitude === 'number') meta.location = { latitude: gps.latitude, longitude: gps.longitude };
    return {
      mime,
      date: typeof meta.dateTimeOriginal === 'string' ? meta.dateTimeOriginal : undefined,
      text: '',
      meta,
      children: [],
      ...(warnings.length ? { warnings } : {}),
    };
  },
};
