// DKIM hashes CRLF lines. Exports and mbox files often store mail with bare
// LF; turning LF into CRLF is the one repair made before verifying, and it
// is reported (never silent). Messages too large to hold are converted as
// a stream (CrlfTransform).
import { closeSync, openSync, readSync } from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';

export function toCrlf(raw: Uint8Array): { bytes: Uint8Array; bareLf: number } {
  let bareLf = 0;
  const buf = Buffer.from(raw.buffer, raw.byteOffset, raw.length);
  // indexOf is a native scan; most mail has no bare LF at all.
  for (let i = buf.indexOf(0x0a); i >= 0; i = buf.indexOf(0x0a, i + 1)) if (i === 0 || buf[i - 1] !== 0x0d) bareLf++;
  if (bareLf === 0) return { bytes: raw, bareLf };
  const out = new Uint8Array(raw.length + bareLf);
  let j = 0;
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === 0x0a && (i === 0 || raw[i - 1] !== 0x0d)) out[j++] = 0x0d;
    out[j++] = raw[i]!;
  }
  return { bytes: out, bareLf };
}

/** The header block as text (latin1 keeps every byte), up to the first empty line. */
export function headerBlock(raw: Uint8Array): string {
  const max = Math.min(raw.length, 1 << 20);
  for (let i = 0; i < max - 1; i++) {
    if (raw[i] === 0x0a && (raw[i + 1] === 0x0a || (raw[i + 1] === 0x0d && raw[i + 2] === 0x0a))) {
      return Buffer.from(raw.subarray(0, i + 1)).toString('latin1');
    }
  }
  return Buffer.from(raw.subarray(0, max)).toString('latin1');
}

/** Unfolded header fields in order: [lower-case name, value]. */
export function headerFields(block: string): [string, string][] {
  const fields: [string, string][] = [];
  for (const line of block.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && fields.length) { fields[fields.length - 1]![1] += ' ' + line.trim(); continue; }
    const m = /^([!-9;-~]+)[ \t]*:(.*)$/.exec(line);
    if (m) fields.push([m[1]!.toLowerCase(), m[2]!.trim()]);
  }
  return fields;
}

/** toCrlf as a stream, for a message too large to hold: bare LF become CRLF as the bytes pass. */
export class CrlfTransform extends Transform {
  private lastWasCr = false;
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    const { bytes } = toCrlfAfter(chunk, this.lastWasCr);
    if (chunk.length) this.lastWasCr = chunk[chunk.length - 1] === 0x0d;
    done(null, bytes);
  }
}

/** toCrlf of a piece whose previous byte was (or was not) a CR. */
function toCrlfAfter(chunk: Uint8Array, lastWasCr: boolean): { bytes: Uint8Array; bareLf: number } {
  if (!lastWasCr || chunk[0] !== 0x0a) return toCrlf(chunk);
  // The leading LF follows a CR of the previous piece: not bare.
  const rest = toCrlf(chunk.subarray(1));
  const out = new Uint8Array(rest.bytes.length + 1);
  out[0] = 0x0a;
  out.set(rest.bytes, 1);
  return { bytes: out, bareLf: rest.bareLf };
}

/** The first bytes of a file and its count of bare LF, read in chunks. */
export function scanFile(path: string, headBytes: number, chunkBytes = 8 << 20): { head: Uint8Array; bareLf: number } {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(headBytes);
    const chunk = Buffer.allocUnsafe(chunkBytes);
    let bareLf = 0, headLen = 0, lastWasCr = false;
    for (let pos = 0, n; (n = readSync(fd, chunk, 0, chunk.length, pos)) > 0; pos += n) {
      const piece = chunk.subarray(0, n);
      if (headLen < headBytes) headLen += piece.copy(head, headLen, 0, Math.min(n, headBytes - headLen));
      for (let i = 0; i < n; i++) if (piece[i] === 0x0a && (i === 0 ? !lastWasCr : piece[i - 1] !== 0x0d)) bareLf++;
      lastWasCr = piece[n - 1] === 0x0d;
    }
    return { head: head.subarray(0, headLen), bareLf };
  } finally {
    closeSync(fd);
  }
}
