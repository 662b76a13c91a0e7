// An email too large to read whole (a .eml carrying a 1 GB attachment): the
// file is read once, in chunks. Its raw bytes are copied into the blob store
// as they come (DKIM later verifies them); mime-stream.ts splits the MIME
// structure, and each attachment is decoded piece by piece into its own
// blob, hashed on the way. postal-mime, which wants the whole message, reads
// a skeleton instead: the message with every non-text part's body left out
// (those never reach email.text or the headers), so the record matches what
// email.ts gives for the same message, with bounded memory.
import { closeSync, openSync, readSync } from 'node:fs';
import { TamisError, toFailure, type ErrorCode } from '../core/errors.ts';
import type { Limits } from '../core/limits.ts';
import type { BlobStore } from '../store/blobs/blob-store.ts';
import type { BlobWriter } from '../store/blobs/blob-writer.ts';
import type { ChildRecord } from '../store/store.ts';
import { attachmentMeta, attachmentName, readEmail, type EmailFields } from './email.ts';
import { hasHeaderBlock } from './email-headers.ts';
import { partDecoder, type PartDecoder } from './mime-decode.ts';
import { MimeStreamWalker, type MimeStreamSink, type StreamLeaf } from './mime-stream.ts';

const CHUNK_BYTES = 1 << 20;
const HEAD_BYTES = 64 * 1024; // what hasHeaderBlock looks at
/** Header blocks and delimiter lines kept for postal-mime (a real message has a few KB of them). */
const MAX_STRUCTURE_BYTES = 16 << 20;
/** Text parts kept for postal-mime: tens of millions of characters, where postal-mime already needs seconds and hundreds of MB. */
const MAX_TEXT_BYTES = 32 << 20;
/** Preamble and epilogue: postal-mime ignores them; a little is kept in case it splits parts differently. */
const MAX_FILLER_BYTES = 1 << 20;

export interface Warning { code: string; message: string; member?: string }

export interface StreamedEmail {
  sha256: string;
  size: number;
  fields: Omit<EmailFields, 'warning'> | null;
  children: ChildRecord[];
  warnings: Warning[];
  error: { code: ErrorCode; message: string } | null;
}

interface OpenChild { leaf: StreamLeaf; name: string; decoder: PartDecoder; writer: BlobWriter | null }

/** Collects the skeleton for postal-mime and writes every attachment to the blob store. */
class EmailSink implements MimeStreamSink {
  readonly skeleton: Buffer[] = [];
  readonly children: ChildRecord[] = [];
  readonly warnings: Warning[] = [];
  private readonly blobs: BlobStore;
  private readonly maxMemberBytes: number;
  private readonly textBudget: number;
  private structure = 0;
  private filler = 0;
  private text = 0;
  private index = 0;
  private textLeaf = false;
  private child: OpenChild | null = null;

  constructor(blobs: BlobStore, maxMemberBytes: number, maxTextChars: number) {
    this.blobs = blobs;
    this.maxMemberBytes = maxMemberBytes;
    // Enough encoded bytes for maxTextChars characters in nearly any encoding (the text is cut to maxTextChars later), within the cap.
    this.textBudget = Math.min(6 * maxTextChars, MAX_TEXT_BYTES);
  }

  private keep(bytes: Uint8Array, room: number): number {
    const n = Math.min(bytes.length, room);
    if (n > 0) this.skeleton.push(Buffer.from(bytes.subarray(0, n)));
    return n;
  }

  raw(bytes: Uint8Array, filler: boolean): void {
    if (filler) { this.filler += this.keep(bytes, MAX_FILLER_BYTES - this.filler); return; }
    const n = this.keep(bytes, MAX_STRUCTURE_BYTES - this.structure);
    this.structure += n;
    if (n < bytes.length) this.warnOnce('structure');
  }

  leafStart(leaf: StreamLeaf): void {
    // postal-mime reads every text/plain and text/html part that is not an attachment as body text: keep them all.
    this.textLeaf = leaf.contentType === 'text/plain' || leaf.contentType === 'text/html';
    // As in email.ts: every leaf but the body parts is a child, and the part-N names count them.
    if (!leaf.isBody) this.child = { leaf, name: attachmentName(leaf, this.index++), decoder: partDecoder(leaf.transferEncoding), writer: this.blobs.writer() };
  }

  body(bytes: Uint8Array): void {
    if (this.textLeaf) {
      const n = this.keep(bytes, this.textBudget - this.text);
      this.text += n;
      if (n < bytes.length) this.warnOnce('text');
    }
    if (this.child?.writer) this.write(this.child, this.child.decoder.push(bytes));
  }

  leafEnd(): void {
    const c = this.child;
    this.child = null;
    this.textLeaf = false;
    if (!c?.writer) return;
    this.write(c, c.decoder.end());
    if (!c.writer) return;
    const { sha256, size } = c.writer.commit();
    this.children.push({ name: c.name, role: 'attachment', sha256, size, meta: attachmentMeta(c.leaf) });
  }

  private write(c: OpenChild, bytes: Uint8Array): void {
    if (!c.writer || bytes.length === 0) return;
    if (c.writer.size + bytes.length <= this.maxMemberBytes) { c.writer.write(bytes); return; }
    c.writer.abort();
    c.writer = null;
    this.warnings.push({ code: 'E_TOO_LARGE', member: c.name,
      message: `the attachment decodes to more than the ${this.maxMemberBytes}-byte limit; not extracted (the message's own bytes keep it)` });
  }

  private warned = new Set<string>();
  private warnOnce(what: 'text' | 'structure'): void {
    if (this.warned.has(what)) return;
    this.warned.add(what);
    this.warnings.push({ code: 'E_TOO_LARGE', message: what === 'text'
      ? `body text parts over ${this.textBudget} bytes: only their start was read as text`
      : `MIME headers over ${MAX_STRUCTURE_BYTES} bytes: the rest were not read as text` });
  }

  /** Drops the attachment being written (on a failure). */
  abort(): void {
    this.child?.writer?.abort();
    this.child = null;
  }
}

function readHead(fd: number): Buffer {
  const buf = Buffer.alloc(HEAD_BYTES);
  return buf.subarray(0, readSync(fd, buf, 0, HEAD_BYTES, 0));
}

/**
 * Reads the email at `path` in one pass. With `raw` (a writer from the same
 * store) its bytes are copied into the store as they are read; otherwise they
 * are already there under `known`. Throws only TamisError (E_IO).
 */
export async function streamEmailFile(path: string, blobs: BlobStore, raw: BlobWriter | { sha256: string; size: number }, limits: Limits, maxTextChars: number): Promise<StreamedEmail> {
  const sink = new EmailSink(blobs, limits.maxMemberBytes, maxTextChars);
  const writer = 'write' in raw ? raw : null;
  let error: StreamedEmail['error'] = null;
  let walker: MimeStreamWalker | null = null;
  let mimeWarnings: Warning[] = [];
  const fail = (err: unknown): void => {
    const io = typeof (err as NodeJS.ErrnoException)?.errno === 'number'; // writing an attachment to the store failed
    const message = (err as Error)?.message ?? String(err);
    error = toFailure(err instanceof TamisError ? err : io ? new TamisError('E_IO', message) : new TamisError('E_EMAIL_INVALID', `MIME structure: ${message}`));
    sink.abort();
    walker = null;
  };
  let fd: number | null = null;
  try {
    fd = openSync(path, 'r');
    if (hasHeaderBlock(readHead(fd))) walker = new MimeStreamWalker(sink);
    else fail(new TamisError('E_EMAIL_INVALID', 'no RFC 5322 header at the start of the file'));
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    for (let pos = 0, n; (n = readSync(fd, chunk, 0, CHUNK_BYTES, pos)) > 0; pos += n) {
      const piece = chunk.subarray(0, n);
      writer?.write(piece);
      // The raw copy goes on even when the structure breaks: the bytes are evidence.
      try { (walker as MimeStreamWalker | null)?.push(piece); } catch (err) { fail(err); }
    }
    try { mimeWarnings = (walker as MimeStreamWalker | null)?.end() ?? []; } catch (err) { fail(err); }
  } catch (err) {
    sink.abort();
    writer?.abort();
    throw new TamisError('E_IO', (err as Error).message);
  } finally {
    if (fd !== null) closeSync(fd);
  }
  const { sha256, size } = writer ? writer.commit() : raw as { sha256: string; size: number };
  if (error) return { sha256, size, fields: null, children: [], warnings: [], error };
  try {
    const skeleton = Buffer.concat(sink.skeleton);
    const { warning, ...fields } = await readEmail(new Uint8Array(skeleton.buffer, skeleton.byteOffset, skeleton.byteLength));
    // Same order as email.ts: postal-mime's warning, the MIME walker's, then what only streaming can meet.
    return { sha256, size, fields, children: sink.children, warnings: [...(warning ? [warning] : []), ...mimeWarnings, ...sink.warnings], error: null };
  } catch (err) {
    return { sha256, size, fields: null, children: [], warnings: [], error: toFailure(err, 'E_EMAIL_INVALID') };
  }
}
