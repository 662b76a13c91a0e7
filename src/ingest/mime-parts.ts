// Byte-exact MIME structure walker. postal-mime stays in charge of headers and
// body text, but its attachment bytes are not exactly what a MIME part decodes
// to (QP hard breaks come back as LF, an attached message keeps the CRLF that
// belongs to the next delimiter), and tamis hashes these bytes to match copies
// found elsewhere in a leak. So the raw message is split here, in one pass over
// its lines, and each leaf is decoded by its Content-Transfer-Encoding only:
// no charset is ever applied to a body.
import { TamisError, type ErrorCode } from '../core/errors.ts';
import { decodeBody } from './mime-decode.ts';
import { boundaryKey, isBodyPart, latin1, partInfo, type Frame, type Info, type PartInfo } from './mime-headers.ts';

export { decodeBase64, decodeQuotedPrintable } from './mime-decode.ts';
export { parseStructured } from './mime-headers.ts';

export const MAX_MIME_DEPTH = 64;
export const MAX_MIME_PARTS = 10_000;

export interface MimeLeaf extends PartInfo {
  /** The decoded bytes (an own buffer: a view would drag the whole message along). */
  bytes: Uint8Array;
  /** text/plain or text/html, not an attachment, no filename: body text, rendered by postal-mime. */
  isBody: boolean;
  /** Inside a multipart/related and with a Content-ID: an inline resource of the HTML body. */
  related: boolean;
}

export interface MimeWarning { code: ErrorCode; message: string }
export interface MimeParts { parts: MimeLeaf[]; warnings: MimeWarning[] }

interface Open { hdrStart: number; bodyStart: number; parent: Frame | null }

function walk(raw: Uint8Array): MimeParts {
  const parts: MimeLeaf[] = [];
  const warned = new Map<ErrorCode, string>();
  const stack: Frame[] = [];
  // Boundary → innermost open level using it, so a `--…` line costs one lookup
  // whatever the depth (linear time); a frame remembers the level it shadows.
  const levels = new Map<string, number>();
  let longest = 0;
  let cur: Open | null = { hdrStart: 0, bodyStart: -1, parent: null }, info: Info | null = null, count = 1;

  const truncate = (to: number): void => {
    for (let f; stack.length > to && (f = stack.pop()!);) if (f.shadows === undefined) levels.delete(f.boundary); else levels.set(f.boundary, f.shadows);
  };
  // RFC 2046: `--boundary` or `--boundary--`, then optional blanks; the innermost match wins.
  const delimiter = (p: number, end: number): { level: number; close: boolean } | null => {
    let e = end;
    while (e > p + 2 && (raw[e - 1] === 0x20 || raw[e - 1] === 0x09)) e--;
    if (e - p - 2 > longest + 2) return null;
    const s = latin1.decode(raw.subarray(p + 2, e));
    const open = levels.get(s) ?? -1;
    const close = s.endsWith('--') ? levels.get(s.slice(0, -2)) ?? -1 : -1;
    return close > open ? { level: close, close: true } : open >= 0 ? { level: open, close: false } : null;
  };
  const leaf = (i: Info, body: Uint8Array, parent: Frame | null): void => {
    const { boundary: _, ...rest } = i;
    parts.push({ ...rest, bytes: decodeBody(body, i.transferEncoding), isBody: isBodyPart(i), related: !!parent?.related && !!i.contentId });
  };
  // `end`: where the part's content stops (the line break before a delimiter belongs to the delimiter).
  const finish = (o: Open, end: number): void => {
    if (o.bodyStart < 0) leaf(partInfo(raw.subarray(o.hdrStart, end), o.parent), new Uint8Array(0), o.parent);
    else leaf(info!, raw.subarray(o.bodyStart, Math.max(o.bodyStart, end)), o.parent);
  };

  for (let p = 0; p < raw.length;) {
    const lf = raw.indexOf(0x0a, p);
    const next = lf < 0 ? raw.length : lf + 1;
    let end = lf < 0 ? raw.length : lf;
    while (end > p && raw[end - 1] === 0x0d) end--;
    const hit = stack.length && raw[p] === 0x2d && raw[p + 1] === 0x2d ? delimiter(p, end) : null;
    if (hit) {
      if (cur) finish(cur, cur.bodyStart < 0 ? p : p - (raw[p - 2] === 0x0d ? 2 : 1));
      truncate(hit.close ? hit.level : hit.level + 1); // an outer delimiter also closes inner multiparts
      cur = null; // after a close delimiter: epilogue, ignored
      if (!hit.close) {
        if (count >= MAX_MIME_PARTS) { warned.set('E_TOO_LARGE', `more than ${MAX_MIME_PARTS} MIME parts; the rest was not read`); break; }
        cur = { hdrStart: next, bodyStart: -1, parent: stack[hit.level]! };
        count++;
      }
    } else if (cur && cur.bodyStart < 0 && end === p) { // the blank line ending a header block
      cur.bodyStart = next;
      info = partInfo(raw.subarray(cur.hdrStart, p), cur.parent);
      if (info.boundary !== null && stack.length < MAX_MIME_DEPTH) {
        const subtype = info.contentType.slice(10);
        const boundary = boundaryKey(info.boundary);
        stack.push({ boundary, subtype, related: subtype === 'related' || !!cur.parent?.related, shadows: levels.get(boundary) });
        levels.set(boundary, stack.length - 1);
        longest = Math.max(longest, boundary.length);
        cur = null; // preamble, ignored
      } else if (info.boundary !== null) { // past the cap a multipart is kept whole, as one undecoded leaf
        warned.set('E_TOO_DEEP', `MIME parts nested deeper than ${MAX_MIME_DEPTH} levels were not split`);
      }
    }
    p = next;
  }
  if (cur) finish(cur, raw.length); // a missing close delimiter ends the part at the end of the message
  return { parts, warnings: [...warned].map(([code, message]) => ({ code, message })) };
}

/** Every leaf part of a raw message, in order, with its exactly decoded bytes. Throws only TamisError. */
export function listParts(raw: Uint8Array): MimeParts {
  try { return walk(raw); } catch (err) {
    throw new TamisError('E_EMAIL_INVALID', `MIME structure: ${(err as Error)?.message ?? String(err)}`, { cause: err });
  }
}
