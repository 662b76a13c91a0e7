// mbox mailboxes (mboxo/mboxrd, LF or CRLF). Each message becomes a child
// whose bytes are what the sender's MTA delivered: no `From ` separator line,
// `>From ` escaping undone, and the blank separator line the mbox writer
// appended dropped. Works on bytes only (every message may carry its own
// charset) and in one forward pass, so it can later be fed chunk by chunk.
import { TamisError } from '../core/errors.ts';
import type { ChildOut, Ingestor } from './ingestor.ts';

const LF = 0x0a;
const CR = 0x0d;
const GT = 0x3e;
const utf8 = new TextDecoder('utf-8');

export interface MboxMessage {
  /** The separator line without its line ending, e.g. `From alice@example.org Mon Jun  1 10:00:00 2009`. */
  fromLine: string;
  bytes: Uint8Array;
  /** How many `>From ` lines lost one `>`. */
  unescaped: number;
}

const startsWithFrom = (b: Buffer, at: number): boolean =>
  b[at] === 0x46 && b[at + 1] === 0x72 && b[at + 2] === 0x6f && b[at + 3] === 0x6d && b[at + 4] === 0x20;

/** Start of the next `From ` line that follows an empty line, searching from `from`; b.length when none. */
function nextSeparator(b: Buffer, from: number): number {
  for (let p = b.indexOf('\nFrom ', from); p !== -1; p = b.indexOf('\nFrom ', p + 1)) {
    // The line ending at p is empty: "\n\nFrom " or "\n\r\nFrom ".
    if (b[p - 1] === LF || (b[p - 1] === CR && b[p - 2] === LF)) return p + 1;
  }
  return b.length;
}

/** mboxrd unescaping: a line matching /^>+From / loses exactly one leading '>'. */
function unescapeFromLines(msg: Buffer): { bytes: Uint8Array; unescaped: number } {
  const drops: number[] = [];
  // Search inside the message only, so the total work stays linear in the mailbox.
  for (let h = msg.indexOf('>From '); h !== -1; h = msg.indexOf('>From ', h + 6)) {
    let q = h;
    while (q > 0 && msg[q - 1] === GT) q--;
    if (q === 0 || msg[q - 1] === LF) drops.push(q);
  }
  if (drops.length === 0) return { bytes: msg, unescaped: 0 };
  const out = Buffer.allocUnsafe(msg.length - drops.length);
  let w = 0;
  let r = 0;
  for (const d of drops) {
    w += msg.copy(out, w, r, d);
    r = d + 1;
  }
  msg.copy(out, w, r);
  return { bytes: out, unescaped: drops.length };
}

export function* splitMbox(bytes: Uint8Array): Generator<MboxMessage> {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!startsWithFrom(b, 0)) throw new TamisError('E_MBOX_CORRUPT', 'the file does not start with a "From " line');
  let start = 0;
  while (start < b.length) {
    const lineEnd = b.indexOf(LF, start);
    const bodyStart = lineEnd === -1 ? b.length : lineEnd + 1;
    const fromLine = utf8.decode(b.subarray(start, lineEnd === -1 ? b.length : lineEnd)).replace(/\r$/, '');
    // Search from the From line's own newline: it may end the "empty line" test.
    const next = lineEnd === -1 ? b.length : nextSeparator(b, lineEnd);
    // Drop the blank line the writer appended. It is done for the last
    // message too: writers append it after every message, so a message's
    // bytes do not depend on where it sits in the mailbox.
    let end = next;
    if (end - 2 >= bodyStart && b[end - 1] === LF && b[end - 2] === CR && b[end - 3] === LF && b[end - 4] === CR) end -= 2;
    else if (end - 1 >= bodyStart && b[end - 1] === LF && b[end - 2] === LF) end -= 1;
    const { bytes: msg, unescaped } = unescapeFromLines(b.subarray(bodyStart, Math.max(bodyStart, end)));
    yield { fromLine, bytes: msg, unescaped };
    start = next;
  }
}

export const mboxIngestor: Ingestor = {
  name: 'mbox',
  score({ mime, ext }) {
    if (mime === 'application/mbox') return 100;
    return ext === 'mbox' || ext === 'mbx' ? 10 : 0;
  },
  async extract({ bytes }) {
    const children: ChildOut[] = [];
    for (const m of splitMbox(bytes)) {
      children.push({
        name: `${children.length + 1}.eml`,
        bytes: m.bytes,
        role: 'message',
        meta: { mboxFromLine: m.fromLine, mboxUnescaped: m.unescaped },
      });
    }
    return { meta: { messages: children.length }, children };
  },
};
