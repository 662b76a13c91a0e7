// pst-extractor was written for Outlook's own files, not for hostile ones.
// Found by cutting and flipping bytes of real .pst files, each gap below
// turned a damaged file into an endless loop or an unbounded allocation;
// each is closed here, around the library rather than in a fork of it, so
// that a bad file ends as an error the ingestor records (E_PST_INVALID).
import { createRequire } from 'node:module';
import { PSTFile } from 'pst-extractor';
import { PSTNodeInputStream } from 'pst-extractor/dist/PSTNodeInputStream.class.js';

interface StreamInternals {
  readFromOffset(target: Buffer, offset: number, length: number): number;
  loadFromOffsetItem(item: unknown): void;
  indexItems: unknown[];
  currentLocation: { toNumber(): number };
  length: { toNumber(): number };
  pstFile: { pstBuffer?: Buffer };
}
const proto = PSTNodeInputStream.prototype as unknown as StreamInternals;

// At the end of a node, the library's EOF test compares two Long objects by
// identity, so a read past the end returns 0 bytes forever: stop instead.
proto.readFromOffset = ((read) => function (this: StreamInternals, target: Buffer, offset: number, length: number) {
  const n = read.call(this, target, offset, length);
  if (n === 0 && length > 0) throw new Error('PST node read past its end');
  return n;
})(proto.readFromOffset);

// A node made of blocks (XBLOCK) declares its total size: more than its
// blocks hold makes reads run off the end; blocks adding up to more than the
// whole file can only come from a block listed again and again.
proto.loadFromOffsetItem = ((load) => function (this: StreamInternals, item: unknown) {
  load.call(this, item);
  if (this.indexItems.length === 0) return;
  const held = this.currentLocation.toNumber();
  const file = this.pstFile.pstBuffer?.length ?? Infinity;
  if (this.length.toNumber() > held || held > file) throw new Error(`PST node declares ${this.length.toNumber()} bytes in blocks holding ${held}`);
})(proto.loadFromOffsetItem);

// A B-tree branch page pointing back into the tree (or at itself) sends the
// library's descent in findBtreeItem round forever. One lookup in a real
// file reads a few pages of at most a few hundred entries: a lookup that has
// seeked MAX_SEEKS_PER_LOOKUP times is in a loop.
interface FileInternals { findBtreeItem(index: unknown, descTree: boolean): unknown; seek(offset: unknown): void }
const fileProto = PSTFile.prototype as unknown as FileInternals;
const MAX_SEEKS_PER_LOOKUP = 100_000;
let seeksLeft = Infinity;
fileProto.findBtreeItem = ((find) => function (this: FileInternals, index: unknown, descTree: boolean) {
  const outer = seeksLeft;
  seeksLeft = MAX_SEEKS_PER_LOOKUP;
  try { return find.call(this, index, descTree); } finally { seeksLeft = outer; }
})(fileProto.findBtreeItem);
fileProto.seek = ((seek) => function (this: FileInternals, offset: unknown) {
  if (--seeksLeft < 0) throw new Error('PST B-tree lookup does not end: a page points back into the tree');
  return seek.call(this, offset);
})(fileProto.seek);

const zlib = createRequire(import.meta.url)('node:zlib') as typeof import('node:zlib');

/**
 * Runs a synchronous read of one .pst with the library's remaining process-wide
 * state made safe, and restored afterwards:
 * - its named-property map is a static field: each file starts with an empty one;
 * - compressed (OST 2013) nodes are inflated with no size cap: capped at `maxInflate`;
 * - it reports some problems on the console and carries on (a skipped
 *   message, lost recipients): those lines go to `lines`, to be recorded.
 */
export function guarded<T>(maxInflate: number, lines: string[], run: () => T): T {
  const statics = PSTFile as unknown as { nodeMap: object };
  statics.nodeMap = new (statics.nodeMap.constructor as new () => object)();
  const unzipSync = zlib.unzipSync;
  const saved = { log: console.log, error: console.error, warn: console.warn, debug: console.debug };
  const sink = (...args: unknown[]) => { if (lines.length < 1000) lines.push(args.map(String).join(' ').split('\n')[0]!.slice(0, 300)); };
  zlib.unzipSync = ((buf: Buffer, opts?: object) => unzipSync(buf, { ...opts, maxOutputLength: maxInflate })) as typeof zlib.unzipSync;
  Object.assign(console, { log: sink, error: sink, warn: sink, debug: sink });
  try {
    return run();
  } finally {
    zlib.unzipSync = unzipSync;
    Object.assign(console, saved);
  }
}
