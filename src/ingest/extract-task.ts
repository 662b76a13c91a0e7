// What a worker thread does for one item: read the bytes, hash them, keep
// them in the blob store, pick an ingestor, extract, and store each child's
// bytes so the main thread only ever passes hashes around.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { extractLargeFile, STREAM_ABOVE_DEFAULT, type LargeSource } from './large-file.ts';
import { TamisError, toFailure } from '../core/errors.ts';
import type { BlobStore } from '../store/blobs/blob-store.ts';
import type { ChildRecord, ItemRecord } from '../store/store.ts';
import { pickIngestor } from './registry.ts';
import { sniff } from './sniff.ts';
import { needsOcr, runOcr } from './ocr-step.ts';
import type { Limits } from '../core/limits.ts';

export interface ExtractRequest {
  source: { path: string } | { sha256: string };
  name: string;
  maxTextChars: number;
  /** Recognise text in images and scanned PDFs. */
  ocr: boolean;
  limits: Limits;
  /** Files and blobs larger than this are read as a stream (default 64 MiB; tests lower it). */
  streamAbove?: number;
}

/** An item as the store records it (status and error come from `error`), with what extraction adds. */
export interface ExtractResponse extends Omit<ItemRecord, 'status' | 'errorCode' | 'errorMessage'> {
  children: ChildRecord[];
  warnings: { code: string; message: string; member?: string }[];
  error: { code: string; message: string } | null;
}

export const sha256Of = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

function fileSize(path: string): number {
  try { return statSync(path).size; } catch { return 0; }
}

async function readSource(source: ExtractRequest['source'], blobs: BlobStore): Promise<Uint8Array> {
  try {
    const buf = 'path' in source ? readFileSync(source.path) : await blobs.get(source.sha256);
    // A plain Uint8Array view: some parsers (pdf.js) refuse Node's Buffer subclass.
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (err) {
    throw new TamisError('E_IO', (err as Error).message);
  }
}

/** The text, cut to the limit (noted in the metadata). */
export function capText(res: ExtractResponse, text: string, maxTextChars: number): void {
  if (text.length > maxTextChars) {
    text = text.slice(0, maxTextChars);
    res.meta = { ...res.meta, textTruncatedAt: maxTextChars };
  }
  res.text = text;
}

/** A large file or blob, read as a stream: a blob from its file, or from a temporary copy when the store is remote (S3). */
async function extractLarge(source: ExtractRequest['source'], req: ExtractRequest, blobs: BlobStore): Promise<ExtractResponse | null> {
  if ('path' in source) return extractLargeFile({ path: source.path }, req, blobs);
  const local = await blobs.localFile(source.sha256);
  try {
    return await extractLargeFile({ path: local.path, sha256: source.sha256 } satisfies LargeSource, req, blobs);
  } finally {
    local.release();
  }
}

export async function runExtract(req: ExtractRequest, blobs: BlobStore): Promise<ExtractResponse> {
  // Files and blobs above the threshold are hashed and copied in a stream; only what must be parsed whole is loaded.
  const source = req.source;
  const above = req.streamAbove ?? STREAM_ABOVE_DEFAULT;
  if ('path' in source ? fileSize(source.path) > above : ((await blobs.size(source.sha256)) ?? 0) > above) {
    const res = await extractLarge(source, req, blobs);
    if (res) return res;
  }
  const bytes = await readSource(req.source, blobs);
  const sha256 = 'sha256' in req.source ? req.source.sha256 : sha256Of(bytes);
  if ('path' in req.source) await blobs.put(sha256, bytes);
  const { mime, ext } = sniff(bytes, req.name);
  const ingestor = pickIngestor(mime, ext);
  const res: ExtractResponse = {
    sha256, size: bytes.length, mime, ingestor: ingestor?.name ?? null, title: null, date: null,
    text: '', meta: {}, children: [], warnings: [], error: null,
  };
  let text = '';
  if (ingestor) {
    try {
      const out = await ingestor.extract({ bytes, name: req.name, ext, mime, limits: req.limits });
      res.mime = out.mime ?? mime;
      res.title = out.title ?? null;
      res.date = out.date ?? null;
      res.meta = out.meta;
      res.warnings = out.warnings ?? [];
      text = out.text ?? '';
      for (const child of out.children) {
        const childSha = sha256Of(child.bytes);
        await blobs.put(childSha, child.bytes);
        res.children.push({ name: child.name, role: child.role, sha256: childSha, size: child.bytes.length, meta: child.meta ?? {} });
      }
    } catch (err) {
      res.error = toFailure(err);
      res.children = [];
    }
  }
  // OCR even when no ingestor read the item: a picture needs no parser to be read.
  if (req.ocr && !res.error && needsOcr(res.mime, text, res.meta)) {
    const ocr = runOcr(bytes, res.mime);
    if (ocr.text) text = text.trim() ? `${text}\n\n${ocr.text}` : ocr.text;
    res.meta = { ...res.meta, ...ocr.meta };
    if (ocr.warning) res.warnings.push(ocr.warning);
  }
  capText(res, text, req.maxTextChars);
  return res;
}
