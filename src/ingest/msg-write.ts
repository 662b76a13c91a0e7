// Writes an Outlook .msg file ([MS-OXMSG]) from MAPI properties. A message
// taken out of a .pst has no bytes of its own; a .msg is how Outlook itself
// exports one ("Save as"), and the msg ingestor then reads it like any other.
// Values are written as they were stored, never re-encoded: 8-bit strings
// keep their code page, attachment data its exact bytes. The compound file is
// laid out by msgreader's own writer (the one it uses for embedded messages).
import { burn, type Entry } from '@kenjiuno/msgreader/lib/Burner.js';

/** One property. Fixed-size types: `value` is the little-endian value (at most 8 bytes); others: the stream's content. */
export interface MapiProp { id: number; type: number; value: Uint8Array }
export interface MapiAttachment { props: MapiProp[]; embedded?: MapiMessage }
export interface MapiMessage { props: MapiProp[]; recipients: MapiProp[][]; attachments: MapiAttachment[] }

/** Types whose value sits in the property stream itself ([MS-OXMSG] 2.1.2). */
const FIXED = new Set([0x0002, 0x0003, 0x0004, 0x0005, 0x0006, 0x0007, 0x000a, 0x000b, 0x0014, 0x0040]);
/** Types stored in a stream of their own (2.1.3); multi-valued and object types are not written. */
const STREAMED = new Set([0x001e, 0x001f, 0x0102, 0x0048]);
export const writableType = (type: number): boolean => FIXED.has(type) || STREAMED.has(type);

const DIRECTORY = 1 as Entry['type'];
const DOCUMENT = 2 as Entry['type'];
const ROOT = 5 as Entry['type'];
const OBJECT_TAG = 0x3701000d; // PidTagAttachDataObject as an embedded message storage
const hex = (n: number, width: number) => n.toString(16).toUpperCase().padStart(width, '0');

class Tree {
  readonly entries: Entry[] = [{ name: 'Root Entry', type: ROOT, children: [], length: 0 }];
  dir(parent: number, name: string): number {
    this.entries.push({ name, type: DIRECTORY, children: [], length: 0 });
    this.entries[parent]!.children!.push(this.entries.length - 1);
    return this.entries.length - 1;
  }
  file(parent: number, name: string, data: Uint8Array): void {
    // The burner copies from the start of a view's ArrayBuffer, whatever the view's offset: hand it a view that starts there.
    const own = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? data : new Uint8Array(data);
    this.entries.push({ name, type: DOCUMENT, length: own.length, binaryProvider: () => own });
    this.entries[parent]!.children!.push(this.entries.length - 1);
  }
}

/**
 * The property stream after its header: 16 bytes per property (tag, flags,
 * then the value or the stream size); streamed values go to their own stream.
 */
function writeProps(tree: Tree, dir: number, header: Uint8Array, props: MapiProp[], embedded: boolean): void {
  const kept = props.filter((p) => writableType(p.type) && (!FIXED.has(p.type) || p.value.length <= 8));
  const out = Buffer.alloc(header.length + 16 * (kept.length + (embedded ? 1 : 0)));
  out.set(header, 0);
  let at = header.length;
  for (const p of kept) {
    out.writeUInt32LE(((p.id << 16) | p.type) >>> 0, at);
    out.writeUInt32LE(6, at + 4); // PROPATTR_READABLE | PROPATTR_WRITABLE
    if (FIXED.has(p.type)) out.set(p.value, at + 8);
    else {
      // String sizes count the terminator that the stream itself leaves out (2.4.2.2).
      out.writeUInt32LE(p.value.length + (p.type === 0x001f ? 2 : p.type === 0x001e ? 1 : 0), at + 8);
      tree.file(dir, `__substg1.0_${hex(p.id, 4)}${hex(p.type, 4)}`, p.value);
    }
    at += 16;
  }
  if (embedded) {
    out.writeUInt32LE(OBJECT_TAG, at);
    out.writeUInt32LE(6, at + 4);
    out.writeUInt32LE(0xffffffff, at + 8); // the size of an embedded message entry (2.4.2.2)
  }
  tree.file(dir, '__properties_version1.0', out);
}

/** A message's own storage: top-level (32-byte header) or embedded in an attachment (24 bytes). */
function writeMessage(tree: Tree, dir: number, msg: MapiMessage, topLevel: boolean): void {
  const header = Buffer.alloc(topLevel ? 32 : 24);
  header.writeUInt32LE(msg.recipients.length, 8); // next recipient ID
  header.writeUInt32LE(msg.attachments.length, 12); // next attachment ID
  header.writeUInt32LE(msg.recipients.length, 16);
  header.writeUInt32LE(msg.attachments.length, 20);
  writeProps(tree, dir, header, msg.props, false);
  msg.recipients.forEach((props, i) => writeProps(tree, tree.dir(dir, `__recip_version1.0_#${hex(i, 8)}`), Buffer.alloc(8), props, false));
  msg.attachments.forEach((att, i) => {
    const at = tree.dir(dir, `__attach_version1.0_#${hex(i, 8)}`);
    const props = att.embedded ? att.props.filter((p) => p.id !== 0x3701) : att.props;
    writeProps(tree, at, Buffer.alloc(8), props, Boolean(att.embedded));
    if (att.embedded) writeMessage(tree, tree.dir(at, '__substg1.0_3701000D'), att.embedded, false);
  });
}

export function writeMsg(msg: MapiMessage): Uint8Array {
  const tree = new Tree();
  // The named property mapping storage is mandatory at the top level; named
  // properties are not carried over, so its three streams are empty.
  const names = tree.dir(0, '__nameid_version1.0');
  for (const s of ['00020102', '00030102', '00040102']) tree.file(names, `__substg1.0_${s}`, new Uint8Array(0));
  writeMessage(tree, 0, msg, true);
  return burn(tree.entries);
}
