// Images: EXIF, GPS, XMP and IPTC metadata through exifr, the groups kept
// apart (a camera's DateTimeOriginal and an editor's ModifyDate tell
// different stories). Text comes from OCR, run by the pipeline.
import exifr from 'exifr';
import type { Metadata } from '../core/types.ts';
import type { Ingestor } from './ingestor.ts';

const IMAGE_MIMES = new Set(['image/jpeg', 'image/png', 'image/tiff', 'image/heic', 'image/heif', 'image/webp', 'image/gif', 'image/avif']);

/** JSON-safe copy: dates to ISO strings, typed arrays and binary blobs dropped. */
function plain(v: unknown, depth = 0): unknown {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  if (v === null || typeof v !== 'object') return typeof v === 'string' ? v.slice(0, 2000) : v;
  if (ArrayBuffer.isView(v) || depth > 4) return undefined;
  if (Array.isArray(v)) return v.slice(0, 100).map((x) => plain(x, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    const p = plain(x, depth + 1);
    if (p !== undefined) out[k] = p;
  }
  return out;
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
        mergeOutput: false, translateValues: true, reviveValues: true, sanitize: true,
      });
      if (groups) Object.assign(meta, plain(groups) as Metadata);
    } catch (err) {
      // No metadata, or metadata exifr cannot read: the image is still kept.
      warnings.push({ code: 'E_IMAGE_METADATA', message: (err as Error).message.slice(0, 300) });
    }
    const ifd0 = (meta.ifd0 ?? {}) as Record<string, unknown>;
    const exif = (meta.exif ?? {}) as Record<string, unknown>;
    const flat: Metadata = {
      make: ifd0.Make, model: ifd0.Model, software: ifd0.Software, artist: ifd0.Artist, copyright: ifd0.Copyright,
      modifyDate: ifd0.ModifyDate, dateTimeOriginal: exif.DateTimeOriginal, createDate: exif.CreateDate,
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
