// The byte-exact MIME walker of mime-parts.ts, fed in chunks: a message read
// from a file is split into the same leaves, each leaf's encoded body handed
// on piece by piece, so a 1 GB attachment never sits in memory. It follows
// mime-parts.ts line for line (a test holds the two to the same output);
// a line is kept whole only while it may still be a delimiter or a blank
// line, so memory stays bounded whatever the input.
import type { ErrorCode } from '../core/errors.ts';
import { MAX_HEADER_BYTES, boundaryKey, isBodyPart, latin1, partInfo, type Frame, type Info, type PartInfo } from './mime-headers.ts';
import { MAX_MIME_DEPTH, MAX_MIME_PARTS, type MimeWarning } from './mime-parts.ts';

export interface StreamLeaf extends PartInfo { isBody: boolean; related: boolean }

/** Views passed to a sink are only valid during the call. */
export interface MimeStreamSink {
  /** Bytes outside any leaf body: header blocks, delimiter lines with the line break before them; `filler` for preamble and epilogue. */
  raw(bytes: Uint8Array, filler: boolean): void;
  leafStart(leaf: StreamLeaf): void;
  /** The leaf's body as written in the message (still transfer-encoded). */
  body(bytes: Uint8Array): void;
  leafEnd(): void;
}

interface Open { parent: Frame | null; inHeaders: boolean; hdr: Uint8Array[]; hdrLen: number }
type LongMode = 'header' | 'body' | 'filler';

const LF = 0x0a, CR = 0x0d, DASH = 0x2d;
const BREAKS = [new Uint8Array(0), Uint8Array.of(LF), Uint8Array.of(CR, LF)];
const CR_BYTE = Uint8Array.of(CR);
const NL_DASHES = Buffer.from('\n--');
// A partial line longer than this (plus the longest boundary) is taken as an
// ordinary line before its end is seen: whole, it could only have been a
// delimiter followed by that many blanks, or a blank line of as many CRs.
const LINE_CARRY = 64 * 1024;

export class MimeStreamWalker {
  private readonly sink: MimeStreamSink;
  private readonly stack: Frame[] = [];
  private readonly levels = new Map<string, number>();
  private readonly warned = new Map<ErrorCode, string>();
  private longest = 0;
  private count = 1;
  private cur: Open | null = { parent: null, inHeaders: true, hdr: [], hdrLen: 0 };
  private stopped = false;
  /** Line break (0, 1 or 2 bytes) of the last body line: it belongs to a delimiter if one follows. */
  private pendingBreak = 0;
  private carry: Buffer | null = null;
  private long: LongMode | null = null;
  private heldCr = false;

  constructor(sink: MimeStreamSink) { this.sink = sink; }

  push(chunk: Uint8Array): void {
    const buf = this.carry ? Buffer.concat([this.carry, chunk]) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.carry = null;
    let p = 0;
    if (this.long) {
      const lf = buf.indexOf(LF);
      p = lf < 0 ? buf.length : lf + 1;
      this.continueLong(buf.subarray(0, p), lf >= 0);
    }
    while (p < buf.length) {
      if (this.stopped) { this.sink.raw(buf.subarray(p), true); return; }
      const dashes = this.stack.length > 0 && buf[p] === DASH && buf[p + 1] === DASH;
      if (!dashes && !this.cur?.inHeaders) {
        // Body or filler lines up to the next line starting with `--`: one run, no per-line work.
        const q = this.stack.length ? buf.indexOf(NL_DASHES, p) : -1;
        const last = q >= 0 ? q : buf.lastIndexOf(LF);
        if (last >= p) { this.run(buf, p, last + 1); p = last + 1; continue; }
      } else {
        const lf = buf.indexOf(LF, p);
        if (lf >= 0) { this.line(buf, p, lf + 1); p = lf + 1; continue; }
      }
      const rest = buf.subarray(p); // a partial line
      if (rest.length < LINE_CARRY + this.longest) { this.carry = Buffer.from(rest); return; }
      this.startLong(rest);
      return;
    }
  }

  /** Ends the message; returns the warnings mime-parts.ts would give. */
  end(): MimeWarning[] {
    if (this.carry) { const last = this.carry; this.carry = null; if (this.stopped) this.sink.raw(last, true); else this.line(last, 0, last.length); }
    if (this.long === 'body' && this.heldCr) this.sink.body(CR_BYTE);
    this.long = null;
    const cur = this.cur;
    if (cur && cur.inHeaders) this.headerless(cur);
    else if (cur) { this.flushBreak(); this.sink.leafEnd(); } // no close delimiter: the part runs to the end
    this.cur = null;
    return [...this.warned].map(([code, message]) => ({ code, message }));
  }

  private flushBreak(): void {
    if (this.pendingBreak) this.sink.body(BREAKS[this.pendingBreak]!);
    this.pendingBreak = 0;
  }

  /** Complete lines [p, r) that can be neither delimiters nor blank header ends. */
  private run(buf: Buffer, p: number, r: number): void {
    if (!this.cur) { this.sink.raw(buf.subarray(p, r), true); return; }
    this.flushBreak();
    const brk = r - 2 >= p && buf[r - 2] === CR ? 2 : 1;
    this.sink.body(buf.subarray(p, r - brk));
    this.pendingBreak = brk;
  }

  private addHeader(cur: Open, bytes: Uint8Array): void {
    // Only the first MAX_HEADER_BYTES are parsed (mime-headers.ts): the rest need not be kept.
    if (cur.hdrLen < MAX_HEADER_BYTES) cur.hdr.push(bytes.slice(0, MAX_HEADER_BYTES - cur.hdrLen));
    cur.hdrLen += bytes.length;
  }

  private leafFrom(cur: Open, info: Info): void {
    const { boundary: _, ...rest } = info;
    this.sink.leafStart({ ...rest, isBody: isBodyPart(info), related: !!cur.parent?.related && !!info.contentId });
  }

  /** A part whose header block never ended: a leaf with an empty body. */
  private headerless(cur: Open): void {
    this.leafFrom(cur, partInfo(Buffer.concat(cur.hdr), cur.parent));
    this.sink.leafEnd();
  }

  // RFC 2046: `--boundary` or `--boundary--`, then optional blanks; the innermost match wins.
  private delimiter(buf: Uint8Array, p: number, end: number): { level: number; close: boolean } | null {
    let e = end;
    while (e > p + 2 && (buf[e - 1] === 0x20 || buf[e - 1] === 0x09)) e--;
    if (e - p - 2 > this.longest + 2) return null;
    const s = latin1.decode(buf.subarray(p + 2, e));
    const open = this.levels.get(s) ?? -1;
    const close = s.endsWith('--') ? this.levels.get(s.slice(0, -2)) ?? -1 : -1;
    return close > open ? { level: close, close: true } : open >= 0 ? { level: open, close: false } : null;
  }

  private truncate(to: number): void {
    for (let f; this.stack.length > to && (f = this.stack.pop()!);) {
      if (f.shadows === undefined) this.levels.delete(f.boundary); else this.levels.set(f.boundary, f.shadows);
    }
  }

  /** One line [p, next): complete (ending in LF) or the message's last. */
  private line(buf: Uint8Array, p: number, next: number): void {
    const line = buf.subarray(p, next);
    const complete = next > p && buf[next - 1] === LF;
    let end = complete ? next - 1 : next;
    while (end > p && buf[end - 1] === CR) end--;
    const cur = this.cur;
    const hit = this.stack.length && buf[p] === DASH && buf[p + 1] === DASH ? this.delimiter(buf, p, end) : null;
    if (hit) {
      if (cur?.inHeaders) this.headerless(cur);
      else if (cur) {
        this.sink.raw(BREAKS[this.pendingBreak]!, false); // the line break before a delimiter belongs to it
        this.pendingBreak = 0;
        this.sink.leafEnd();
      }
      this.truncate(hit.close ? hit.level : hit.level + 1); // an outer delimiter also closes inner multiparts
      this.cur = null; // after a close delimiter: epilogue, ignored
      this.sink.raw(line, false);
      if (!hit.close) {
        if (this.count >= MAX_MIME_PARTS) {
          this.warned.set('E_TOO_LARGE', `more than ${MAX_MIME_PARTS} MIME parts; the rest was not read`);
          this.stopped = true;
          return;
        }
        this.cur = { parent: this.stack[hit.level]!, inHeaders: true, hdr: [], hdrLen: 0 };
        this.count++;
      }
    } else if (cur?.inHeaders && end === p) { // the blank line ending a header block
      this.sink.raw(line, false);
      const info = partInfo(Buffer.concat(cur.hdr), cur.parent);
      if (info.boundary !== null && this.stack.length < MAX_MIME_DEPTH) {
        const subtype = info.contentType.slice(10);
        const boundary = boundaryKey(info.boundary);
        this.stack.push({ boundary, subtype, related: subtype === 'related' || !!cur.parent?.related, shadows: this.levels.get(boundary) });
        this.levels.set(boundary, this.stack.length - 1);
        this.longest = Math.max(this.longest, boundary.length);
        this.cur = null; // preamble, ignored
      } else {
        // past the cap a multipart is kept whole, as one undecoded leaf
        if (info.boundary !== null) this.warned.set('E_TOO_DEEP', `MIME parts nested deeper than ${MAX_MIME_DEPTH} levels were not split`);
        cur.inHeaders = false;
        this.leafFrom(cur, info);
      }
    } else if (cur?.inHeaders) {
      this.addHeader(cur, line);
      this.sink.raw(line, false);
    } else if (cur) {
      this.flushBreak();
      const brk = !complete ? 0 : next - 2 >= p && buf[next - 2] === CR ? 2 : 1;
      this.sink.body(buf.subarray(p, next - brk));
      this.pendingBreak = brk;
    } else {
      this.sink.raw(line, true);
    }
  }

  /** The start of a line too long to keep: an ordinary header, body or filler line. */
  private startLong(piece: Uint8Array): void {
    const cur = this.cur;
    this.long = cur?.inHeaders ? 'header' : cur ? 'body' : 'filler';
    if (this.long === 'body') this.flushBreak();
    this.continueLong(piece, false);
  }

  private continueLong(piece: Uint8Array, complete: boolean): void {
    const mode = this.long!;
    if (piece.length === 0) return;
    if (complete) this.long = null;
    if (mode !== 'body') {
      if (mode === 'header') this.addHeader(this.cur!, piece);
      this.sink.raw(piece, mode === 'filler');
      return;
    }
    let data = piece;
    if (this.heldCr) {
      this.heldCr = false;
      if (complete && data.length === 1) { this.pendingBreak = 2; return; } // the held CR and this LF end the line
      this.sink.body(CR_BYTE);
    }
    if (complete) {
      const brk = data.length >= 2 && data[data.length - 2] === CR ? 2 : 1;
      this.sink.body(data.subarray(0, data.length - brk));
      this.pendingBreak = brk;
    } else {
      // A CR at the end may turn out to be part of the line break.
      if (data[data.length - 1] === CR) { this.heldCr = true; data = data.subarray(0, data.length - 1); }
      this.sink.body(data);
    }
  }
}
