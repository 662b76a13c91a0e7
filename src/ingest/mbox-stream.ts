// A mailbox read from disk in chunks, so a multi-gigabyte mbox never sits in
// memory whole: the rules of mbox.ts (separator = a `From ` line after an
// empty line, `>From ` unescaping, the writer's blank line dropped) applied
// line by line as the bytes come. Only line starts are looked at (native
// searches jump between them), and a message larger than `spill.above`
// goes into the blob store as it is read instead of into one buffer, so a
// single 1 GB message does not become a 1 GB buffer either.
import { closeSync, openSync, readSync } from 'node:fs';
import { TamisError } from '../core/errors.ts';
import type { BlobWriter } from '../store/blobs/blob-writer.ts';
import type { MboxMessage } from './mbox.ts';

export interface SpilledMboxMessage { fromLine: string; blob: { sha256: string; size: number }; unescaped: number }
export interface MboxSpill { above: number; writer: () => BlobWriter }

const LF = 0x0a, CR = 0x0d, GT = 0x3e;
const NL_FROM = Buffer.from('\nFrom ');
const NL_GT = Buffer.from('\n>');
// A partial line longer than this is handled before its end is seen (only
// its start matters); a `From ` line longer than this keeps only its start.
const LINE_CARRY = 64 * 1024;
const utf8 = new TextDecoder('utf-8');

interface Open { fromLine: string; unescaped: number; parts: Uint8Array[]; size: number; writer: BlobWriter | null; bodyLen: number }

const isFrom = (b: Uint8Array, i: number): boolean =>
  b[i] === 0x46 && b[i + 1] === 0x72 && b[i + 2] === 0x6f && b[i + 3] === 0x6d && b[i + 4] === 0x20;

class MboxSplitter {
  readonly done: (MboxMessage | SpilledMboxMessage)[] = [];
  private readonly spill: MboxSpill | undefined;
  private msg: Open | null = null;
  private started = false;
  /** The last bytes before the current window (for the empty-line and blank-drop tests). */
  private before: number[] = [];
  /** The message's last ≤ 2 bytes, held back: they are dropped if they are the writer's blank line. */
  private held: number[] = [];
  /** Inside a line too long to keep: 'from' skips the rest of a From line, 'body' copies it. */
  private long: 'from' | 'body' | null = null;
  private buf: Buffer = Buffer.alloc(0);

  constructor(spill: MboxSpill | undefined) { this.spill = spill; }

  private at(i: number): number | undefined { return i >= 0 ? this.buf[i] : this.before[this.before.length + i]; }

  /** The line starting at `a` follows an empty line ("" or "\r"). */
  private afterEmpty(a: number): boolean {
    return this.at(a - 1) === LF && (this.at(a - 2) === LF || (this.at(a - 2) === CR && this.at(a - 3) === LF));
  }

  private out(bytes: Uint8Array): void {
    const m = this.msg!;
    if (bytes.length === 0) return;
    if (m.writer) m.writer.write(bytes);
    else m.parts.push(bytes);
    m.size += bytes.length;
    if (!m.writer && this.spill && m.size > this.spill.above) {
      m.writer = this.spill.writer();
      for (const p of m.parts) m.writer.write(p);
      m.parts = [];
    }
  }

  /** Message bytes [from, to) of the window, the last two held back. */
  private content(from: number, to: number): void {
    if (to <= from) return;
    const held = this.held;
    if (to - from >= 2) {
      if (held.length) this.out(Uint8Array.from(held));
      this.out(this.buf.subarray(from, to - 2));
      this.held = [this.buf[to - 2]!, this.buf[to - 1]!];
    } else {
      held.push(this.buf[from]!);
      if (held.length > 2) this.out(Uint8Array.of(held.shift()!));
    }
  }

  /** Ends the open message at window position `c` (a separator's start, or the end of the file). */
  private finish(c: number): void {
    const m = this.msg;
    if (!m) return;
    let drop = 0;
    if (m.bodyLen >= 2 && this.at(c - 1) === LF && this.at(c - 2) === CR && this.at(c - 3) === LF && this.at(c - 4) === CR) drop = 2;
    else if (m.bodyLen >= 1 && this.at(c - 1) === LF && this.at(c - 2) === LF) drop = 1;
    this.out(Uint8Array.from(this.held.slice(0, this.held.length - drop)));
    this.held = [];
    this.done.push(m.writer
      ? { fromLine: m.fromLine, blob: m.writer.commit(), unescaped: m.unescaped }
      : { fromLine: m.fromLine, bytes: m.parts.length === 1 ? Uint8Array.from(m.parts[0]!) : Buffer.concat(m.parts), unescaped: m.unescaped });
    this.msg = null;
  }

  private start(fromLine: Uint8Array): void {
    this.msg = { fromLine: utf8.decode(fromLine).replace(/\r$/, ''), unescaped: 0, parts: [], size: 0, writer: null, bodyLen: 0 };
  }

  /** One line of the message from `a` (to `e`, its end in this window): unescaped if `>…>From `. */
  private bodyLine(a: number, e: number): void {
    let g = a;
    while (g < e && this.buf[g] === GT) g++;
    const skip = g > a && isFrom(this.buf, g) ? 1 : 0; // mboxrd: a `>+From ` line loses one '>'
    this.msg!.unescaped += skip;
    this.msg!.bodyLen += e - a;
    this.content(a + skip, e);
  }

  /** Processes window `buf` (which starts at a line start or inside a long line); returns the partial line to carry. */
  push(buf: Buffer, final: boolean): Buffer | null {
    this.buf = buf;
    let q = 0;
    if (!this.started) {
      if (buf.length < 5 && !final && !buf.includes(LF)) return buf;
      if (!isFrom(buf, 0)) throw new TamisError('E_MBOX_CORRUPT', 'the file does not start with a "From " line');
      this.started = true;
    }
    if (this.long) { // the rest of a long line: no separator or escape can start inside it
      const lf = buf.indexOf(LF);
      q = lf < 0 ? buf.length : lf + 1;
      if (this.long === 'body') { this.msg!.bodyLen += q; this.content(0, q); }
      if (lf >= 0) this.long = null;
    }
    const limit = final ? buf.length : buf.lastIndexOf(LF) + 1;
    let nextFrom = -2, nextGt = -2; // cached searches, so each byte is searched once per pattern
    while (q < limit) {
      const lf = buf.indexOf(LF, q);
      const e = lf < 0 || lf >= limit ? limit : lf + 1;
      if (isFrom(buf, q) && (this.msg === null || this.afterEmpty(q))) {
        this.finish(q);
        this.start(buf.subarray(q, lf < 0 || lf >= limit ? limit : lf));
        q = e;
        continue;
      }
      if (buf[q] === GT) { this.bodyLine(q, e); q = e; continue; }
      // Plain lines up to the next line starting with "From " or ">": one run.
      // From q - 1: a line at q that starts with "From " but is no separator stops the run at once.
      if (nextFrom !== -1 && nextFrom < q) nextFrom = buf.indexOf(NL_FROM, Math.max(0, q - 1));
      if (nextGt !== -1 && nextGt < q) nextGt = buf.indexOf(NL_GT, Math.max(0, q - 1));
      let stop = Math.min(nextFrom < 0 ? limit : nextFrom + 1, nextGt < 0 ? limit : nextGt + 1, limit);
      if (stop <= q) stop = e;
      this.msg!.bodyLen += stop - q;
      this.content(q, stop);
      q = stop;
    }
    this.before = [...this.before, ...buf.subarray(Math.max(0, q - 4), q)].slice(-4);
    if (final || q >= buf.length) return null;
    const rest = buf.subarray(q);
    if (rest.length < LINE_CARRY) return Buffer.from(rest);
    // A long partial line: decide on its start now, then stream the rest of it.
    if (isFrom(rest, 0) && (this.msg === null || this.afterEmpty(q))) {
      this.finish(q);
      this.start(rest.subarray(0, LINE_CARRY));
      this.long = 'from';
    } else {
      this.bodyLine(q, buf.length);
      this.long = 'body';
    }
    this.before = [...buf.subarray(buf.length - 4)];
    return null;
  }

  end(): void {
    if (!this.started) throw new TamisError('E_MBOX_CORRUPT', 'the file does not start with a "From " line');
    this.buf = Buffer.alloc(0);
    this.finish(0);
  }

  /** Drops a message being spilled (the split failed). */
  abort(): void { this.msg?.writer?.abort(); }
}

/**
 * The messages of the mailbox at `path`, as mbox.ts' splitMbox gives them;
 * with `spill`, a message larger than `spill.above` bytes is written to the
 * blob store while it is read and comes back as its hash and size.
 */
export function* splitMboxFile(path: string, chunkBytes = 16 << 20, spill?: MboxSpill): Generator<MboxMessage | SpilledMboxMessage> {
  const splitter = new MboxSplitter(spill);
  const fd = openSync(path, 'r');
  try {
    let carry: Buffer | null = null;
    for (;;) {
      const chunk = Buffer.allocUnsafe(chunkBytes); // fresh each time: open messages keep views of it
      const n = readSync(fd, chunk, 0, chunkBytes, null);
      if (n === 0) break;
      const buf: Buffer = carry ? Buffer.concat([carry, chunk.subarray(0, n)]) : chunk.subarray(0, n);
      carry = splitter.push(buf, false);
      yield* splitter.done.splice(0);
    }
    splitter.push(carry ?? Buffer.alloc(0), true);
    splitter.end();
    yield* splitter.done.splice(0);
  } catch (err) {
    splitter.abort();
    throw err;
  } finally {
    closeSync(fd);
  }
}
