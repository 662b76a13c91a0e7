// A mailbox read from disk in chunks, so a multi-gigabyte mbox never sits in
// memory whole: complete messages are split off each chunk by splitMbox,
// and the tail from the last separator on is carried into the next chunk.
import { closeSync, openSync, readSync } from 'node:fs';
import { splitMbox, type MboxMessage } from './mbox.ts';

const LF = 0x0a;
const CR = 0x0d;

/** Start of the last `From ` line that follows an empty line, or -1. */
function lastSeparator(b: Buffer): number {
  for (let p = b.lastIndexOf('\nFrom '); p > 0; p = b.lastIndexOf('\nFrom ', p - 1)) {
    if (b[p - 1] === LF || (b[p - 1] === CR && b[p - 2] === LF)) return p + 1;
  }
  return -1;
}

export function* splitMboxFile(path: string, chunkBytes = 16 << 20): Generator<MboxMessage> {
  const fd = openSync(path, 'r');
  try {
    let carry = Buffer.alloc(0);
    const chunk = Buffer.allocUnsafe(chunkBytes);
    for (;;) {
      const n = readSync(fd, chunk, 0, chunkBytes, null);
      if (n === 0) break;
      const buf = carry.length ? Buffer.concat([carry, chunk.subarray(0, n)]) : Buffer.from(chunk.subarray(0, n));
      const cut = lastSeparator(buf);
      if (cut <= 0) { carry = buf; continue; } // one message larger than a chunk: keep reading
      yield* splitMbox(buf.subarray(0, cut));
      carry = Buffer.from(buf.subarray(cut));
    }
    if (carry.length) yield* splitMbox(carry);
  } finally {
    closeSync(fd);
  }
}
