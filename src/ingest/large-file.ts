// Input files too large to read into memory (a multi-gigabyte mailbox, a
// disk image): hashed and copied while streaming; a mailbox is split message
// by message as it is read. Other formats are loaded only up to the member
// limit (their parsers need the whole file); beyond it the item is kept,
// hashed and stored, with E_TOO_LARGE instead of extracted text.
import { closeSync, openSync, readSync } from 'node:fs';
import type { Limits } from '../core/limits.ts';
import type { BlobStore } from '../store/blobs/blob-store.ts';
import type { ExtractResponse } from './extract-task.ts';
import { sha256Of } from './extract-task.ts';
import { splitMboxFile } from './mbox-stream.ts';
import { sniff } from './sniff.ts';

function head(path: string, bytes = 64 << 10): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    return buf.subarray(0, readSync(fd, buf, 0, bytes, 0));
  } finally {
    closeSync(fd);
  }
}

/** The response for a large file, or null when it is small enough to parse the ordinary way. */
export async function extractLargeFile(path: string, name: string, blobs: BlobStore, limits: Limits): Promise<ExtractResponse | null> {
  const { mime } = sniff(head(path), name);
  const isMbox = mime === 'application/mbox';
  const { sha256, size } = await blobs.importFile(path);
  if (!isMbox && size <= limits.maxMemberBytes) return null;
  const res: ExtractResponse = {
    sha256, size, mime, ingestor: isMbox ? 'mbox' : null, title: null, date: null, text: '',
    meta: { streamed: true }, children: [], warnings: [], error: null,
  };
  if (!isMbox) {
    res.warnings.push({ code: 'E_TOO_LARGE', message: `${size} bytes is over the ${limits.maxMemberBytes}-byte limit for parsing; kept and hashed, not read` });
    return res;
  }
  let n = 0;
  try {
    for (const m of splitMboxFile(path)) {
      n++;
      const childName = `${n}.eml`;
      const childSha = sha256Of(m.bytes);
      await blobs.put(childSha, m.bytes);
      res.children.push({ name: childName, role: 'message', sha256: childSha, size: m.bytes.length, meta: { mboxFromLine: m.fromLine, mboxUnescaped: m.unescaped } });
    }
  } catch (err) {
    res.error = { code: 'E_MBOX_CORRUPT', message: (err as Error).message };
  }
  res.meta = { streamed: true, messages: n };
  res.text = ''; // as the in-memory mbox ingestor: a mailbox has no text of its own
  return res;
}
