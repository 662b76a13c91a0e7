// After extraction: images and PDFs without a text layer (scans) go through
// OCR so their words are searchable. OCR problems are warnings: the item is
// kept, only without recognised text.
import { toFailure } from '../core/errors.ts';
import type { Metadata } from '../core/types.ts';
import { ocrImage, ocrPdf } from '../ocr/tesseract.ts';

const OCR_IMAGES = new Set(['image/png', 'image/jpeg', 'image/tiff', 'image/bmp', 'image/gif', 'image/webp']);
const MAX_OCR_PAGES = 50;
/** Fewer letters than this per page: the PDF is a scan, or text was drawn as pictures. */
const MIN_LETTERS_PER_PAGE = 20;

export interface OcrOutcome { text: string; meta: Metadata; warning?: { code: string; message: string } }

export function needsOcr(mime: string, text: string, meta: Metadata): boolean {
  if (OCR_IMAGES.has(mime)) return text.trim().length === 0;
  if (mime !== 'application/pdf') return false;
  const pages = Math.max(1, Number(meta.pages ?? 1));
  const letters = text.replace(/[^\p{L}]/gu, '').length;
  return letters < MIN_LETTERS_PER_PAGE * Math.min(pages, MAX_OCR_PAGES);
}

export function runOcr(bytes: Uint8Array, mime: string): OcrOutcome {
  try {
    const r = mime === 'application/pdf' ? ocrPdf(bytes, MAX_OCR_PAGES) : ocrImage(bytes);
    return { text: r.text, meta: { ocr: { engine: r.engine, langs: r.langs, pages: r.pages } } };
  } catch (err) {
    const f = toFailure(err, 'E_OCR_FAILED');
    return { text: '', meta: {}, warning: { code: f.code, message: f.message } };
  }
}
