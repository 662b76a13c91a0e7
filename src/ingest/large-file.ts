// Files too large to read into memory (over the streaming threshold, 64 MB by
// default): a multi-gigabyte mailbox, a .eml carrying a 1 GB attachment, a
// disk image. They are hashed and copied while streaming; a mailbox is split
// message by message as it is read (a huge message going straight to the
// blob store), an email is parsed in one pass (email-stream.ts), a file no
// parser reads is never loaded. Other formats are loaded only up to the
// member limit (their parsers need the whole file); beyond it the item is
// kept, hashed and stored, with E_TOO_LARGE instead of extracted text.
// The same applies to large blobs met again as members or attachments.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type { BlobStore } from '../store/blobs/blob-store.ts';
import type { ExtractRequest, ExtractResponse } from './extract-task.ts';
import { capText, sha256Of } from './extract-task.ts';
import { streamEmailFile } from './email-stream.ts';
import { splitMboxFile } from './mbox-stream.ts';
import { needsOcr } from './ocr-step.ts';
import { pickIngestor } from './registry.ts';
import { sniff } from './sniff.ts';

/** Files and blobs larger than this are read as a stream. */
export const STREAM_ABOVE_DEFAULT = 64 << 20;

/** A large file: an input file, or a blob already in the store (`sha256` set, `path` its file). */
export interface LargeSource { path: string; sha256?: string }

function head(path: string, bytes = 64 << 10): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    return buf.subarray(0, readSync(fd, buf, 0, bytes, 0));
  } finally {
    closeSync(fd);
  }
}

const known = (src: LargeSource): { sha256: string; size: number } | null =>
  src.sha256 ? { sha256: src.sha256, size: statSync(src.path).size } : null;

/** The response for a large file, or null when it must be parsed the ordinary way (whole, in memory). */
export async function extractLargeFile(src: LargeSource, req: ExtractRequest, blobs: BlobStore): Promise<ExtractResponse | null> {
  const { mime, ext } = sniff(head(src.path), req.name);
  const ingestor = pickIngestor(mime, ext);
  if (ingestor?.name === 'email') return streamEmail(src, req, blobs, mime);
  const isMbox = mime === 'application/mbox';
  const { sha256, size } = known(src) ?? await blobs.importFile(src.path);
  // Without a parser (and no OCR to run) the bytes are never needed: nothing to load.
  const parsed = ingestor !== undefined || (req.ocr && needsOcr(mime, '', {}));
  if (!isMbox && parsed && size <= req.limits.maxMemberBytes) return null;
  const res: ExtractResponse = {
    sha256, size, mime, ingestor: isMbox ? 'mbox' : null, title: null, date: null, text: '',
    meta: parsed ? { streamed: true } : {}, children: [], warnings: [], error: null,
  };
  if (!isMbox) {
    if (parsed) res.warnings.push({ code: 'E_TOO_LARGE', message: `${size} bytes is over the ${req.limits.maxMemberBytes}-byte limit for parsing; kept and hashed, not read` });
    return res;
  }
  let n = 0;
  try {
    // A message over the streaming threshold is written to the store as it is read, and streamed again when parsed.
    const spill = { above: req.streamAbove ?? STREAM_ABOVE_DEFAULT, writer: () => blobs.writer() };
    for (const m of splitMboxFile(src.path, undefined, spill)) {
      n++;
      const meta = { mboxFromLine: m.fromLine, mboxUnescaped: m.unescaped };
      if ('blob' in m) {
        res.children.push({ name: `${n}.eml`, role: 'message', sha256: m.blob.sha256, size: m.blob.size, meta });
        continue;
      }
      const childSha = sha256Of(m.bytes);
      await blobs.put(childSha, m.bytes);
      res.children.push({ name: `${n}.eml`, role: 'message', sha256: childSha, size: m.bytes.length, meta });
    }
  } catch (err) {
    res.error = { code: 'E_MBOX_CORRUPT', message: (err as Error).message };
  }
  res.meta = { streamed: true, messages: n };
  res.text = ''; // as the in-memory mbox ingestor: a mailbox has no text of its own
  return res;
}

/** An email read in one pass: the same record as the email ingestor gives (email-stream.ts). */
async function streamEmail(src: LargeSource, req: ExtractRequest, blobs: BlobStore, mime: string): Promise<ExtractResponse> {
  const r = await streamEmailFile(src.path, blobs, known(src) ?? blobs.writer(), req.limits, req.maxTextChars);
  const res: ExtractResponse = {
    sha256: r.sha256, size: r.size, mime, ingestor: 'email', title: r.fields?.title ?? null, date: r.fields?.date ?? null,
    text: '', meta: r.fields?.meta ?? {}, children: r.children, warnings: r.warnings, error: r.error,
  };
  capText(res, r.fields?.text ?? '', req.maxTextChars);
  return res;
}
