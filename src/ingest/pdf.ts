// PDF: text of every page and the Info dictionary, via pdf.js (legacy build,
// which runs in Node without a DOM). In Node pdf.js uses its "fake worker"
// (the worker module imported into this thread); the pipeline's own worker
// threads provide isolation and timeouts. CMaps and standard fonts are read
// from the installed package, so no network is ever touched.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { TextItem } from 'pdfjs-dist/types/src/display/api.js';
import type { Ingestor, IngestInput, Extraction } from './ingestor.ts';
import { TamisError } from '../core/errors.ts';
import { scanRevisions } from './pdf-revisions.ts';
import { revisionTexts, signedRanges } from './pdf-history.ts';

/** Beyond this many pages the rest is skipped (recorded in meta.truncated). */
export const MAX_PAGES = 5000;
/** Stop collecting text beyond this many characters. */
const MAX_TEXT = 64 * 1024 * 1024;
const PAGE_SEPARATOR = '\n\f\n';

const pkgRoot = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
// pdf.js reads these with fs in Node; the trailing slash is required.
const CMAP_DIR = join(pkgRoot, 'cmaps') + '/';
const FONT_DIR = join(pkgRoot, 'standard_fonts') + '/';

/** Standard Info dictionary keys and the meta field each is kept in. */
const INFO_FIELDS: Record<string, string> = {
  Title: 'title',
  Author: 'author',
  Subject: 'subject',
  Keywords: 'keywords',
  Creator: 'creator',
  Producer: 'producer',
  Trapped: 'trapped',
};

/**
 * Parse a PDF date ("D:YYYYMMDDHHmmSSOHH'mm'", parts optional) to ISO-8601,
 * keeping the writer's UTC offset ('' when the file gives none).
 */
export function parsePdfDate(raw: string): { iso: string; utc: string } | undefined {
  const s = raw.trim().replace(/^D:\s*/i, '');
  const m = /^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?\s*(?:([Zz])|([+\-])\s*(\d{2})'?\s*(\d{2})?'?)?/.exec(s);
  if (!m) {
    const t = Date.parse(s); // a few writers put RFC 2822 / ISO strings here
    return Number.isNaN(t) ? undefined : { iso: new Date(t).toISOString(), utc: new Date(t).toISOString() };
  }
  const [Y, M = '01', D = '01', h = '00', mi = '00', se = '00'] = m.slice(1, 7) as [string, ...(string | undefined)[]];
  const nums = [Number(M), Number(D), Number(h), Number(mi), Number(se)];
  if (nums[0]! < 1 || nums[0]! > 12 || nums[1]! < 1 || nums[1]! > 31 || nums[2]! > 23 || nums[3]! > 59 || nums[4]! > 60) {
    return undefined;
  }
  let zone = '';
  if (m[7]) zone = 'Z';
  else if (m[8]) zone = `${m[8]}${m[9]}:${m[10] ?? '00'}`;
  const iso = `${Y}-${M}-${D}T${h}:${mi}:${se}${zone}`;
  const t = Date.parse(zone ? iso : `${iso}Z`); // no zone: read as UTC for the sortable form
  if (Number.isNaN(t)) return undefined;
  return { iso, utc: new Date(t).toISOString() };
}

function asString(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && 'name' in v && typeof (v as { name: unknown }).name === 'string') {
    return (v as { name: string }).name; // a PDF Name object, e.g. /Trapped /False
  }
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

function classify(err: unknown): TamisError {
  const name = (err as { name?: string } | null)?.name;
  const message = err instanceof Error ? err.message : String(err);
  if (name === 'PasswordException') return new TamisError('E_PDF_ENCRYPTED', message, { cause: err });
  return new TamisError('E_PDF_INVALID', message, { cause: err });
}

export const pdfIngestor: Ingestor = {
  name: 'pdf',
  score({ mime, ext }) {
    if (mime === 'application/pdf') return 100;
    return ext === 'pdf' ? 10 : 0;
  },
  extract: (input: IngestInput) => extractPdf(input.bytes),
};

/** The ingestor's work, with the page cap adjustable (tests use a small one). */
export async function extractPdf(bytes: Uint8Array, maxPages = MAX_PAGES, history = true): Promise<Extraction> {
  const warnings: NonNullable<Extraction['warnings']> = [];
  const meta: Record<string, unknown> = {};
  // pdf.js may transfer/detach the buffer it is given: hand it a copy.
  const task = getDocument({
    data: bytes.slice(),
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: 0,
    stopAtErrors: false,
    cMapUrl: CMAP_DIR,
    cMapPacked: true,
    standardFontDataUrl: FONT_DIR,
    isOffscreenCanvasSupported: false,
    isImageDecoderSupported: false,
    enableXfa: false,
    // `isEvalSupported` is gone from pdf.js 6 (it never evaluates code now).
  });
  try {
    let doc;
    try {
      doc = await task.promise;
    } catch (err) {
      throw classify(err);
    }
    const { info, metadata } = await doc.getMetadata().catch((err: unknown) => {
      warnings.push({ code: 'E_PDF_INVALID', message: `metadata: ${String(err)}` });
      return { info: {} as Record<string, unknown>, metadata: null };
    });
    const infoRec = info as Record<string, unknown>;
    for (const [key, field] of Object.entries(INFO_FIELDS)) {
      const v = asString(infoRec[key]);
      if (v !== undefined) meta[field] = v;
    }
    for (const [key, field] of [['CreationDate', 'creationDate'], ['ModDate', 'modDate']] as const) {
      const raw = asString(infoRec[key]);
      if (raw === undefined) continue;
      meta[`${field}Raw`] = raw;
      const parsed = parsePdfDate(raw);
      if (parsed) meta[field] = parsed.iso;
    }
    const custom = infoRec.Custom;
    if (custom && typeof custom === 'object') {
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(custom)) {
        const s = asString(v);
        if (s !== undefined) out[k] = s;
      }
      if (Object.keys(out).length) meta.custom = out;
    }
    if (metadata) {
      try {
        meta.xmp = Object.fromEntries(metadata); // XMP fields (dc:title, xmp:createdate...)
      } catch {
        /* malformed XMP: the Info dictionary still stands */
      }
    }
    meta.pdfVersion = asString(infoRec.PDFFormatVersion);
    meta.encrypted = infoRec.EncryptFilterName != null;
    meta.pages = doc.numPages;
    const rev = scanRevisions(bytes);
    meta.revisions = rev.revisions;
    meta.linearized = rev.linearized;
    meta.revisionEnds = rev.ends.map((e) => e.eofEnd);

    const pageCount = Math.min(doc.numPages, maxPages);
    if (doc.numPages > maxPages) {
      meta.truncated = { pagesProcessed: maxPages, reason: 'page limit' };
      warnings.push({ code: 'E_TOO_LARGE', message: `only the first ${maxPages} of ${doc.numPages} pages were read` });
    }
    const pages: string[] = [];
    let size = 0;
    for (let p = 1; p <= pageCount; p++) {
      try {
        const page = await doc.getPage(p);
        const content = await page.getTextContent();
        let text = '';
        for (const item of content.items) {
          if (!('str' in item)) continue; // marked-content markers
          const t = item as TextItem;
          text += t.str;
          if (t.hasEOL) text += '\n';
        }
        page.cleanup();
        // Broken font maps yield C0 controls and U+FFFF; they only pollute search.
        pages.push(text.replace(/[\u0000-\u0008\u000b\u000e-\u001f\ufffe\uffff]/g, '').trimEnd());
        size += text.length;
      } catch (err) {
        pages.push('');
        warnings.push({ code: 'E_PDF_INVALID', message: `page ${p}: ${err instanceof Error ? err.message : String(err)}` });
      }
      if (size > MAX_TEXT) {
        meta.truncated = { pagesProcessed: p, reason: 'text limit' };
        break;
      }
    }
    const signatures = signedRanges(bytes);
    if (signatures.length) meta.signatures = signatures;
    if (history && rev.ends.length > 1) {
      // Earlier states, read the same way (no history of their own: no recursion).
      meta.revisionTexts = await revisionTexts(bytes, meta.revisionEnds as number[],
        async (prefix) => (await extractPdf(prefix, Math.min(maxPages, 200), false)).text ?? '');
    }
    const creation = asString(infoRec.CreationDate);
    const title = typeof meta.title === 'string' && meta.title.trim() ? meta.title.trim() : undefined;
    return {
      title,
      date: creation ? parsePdfDate(creation)?.utc : undefined,
      text: pages.join(PAGE_SEPARATOR),
      meta,
      children: [],
      ...(warnings.length ? { warnings } : {}),
    };
  } finally {
    // pdf.js 6 destroys documents through their loading task.
    await task.destroy();
  }
}
