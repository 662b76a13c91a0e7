// One message of a .pst, as MAPI properties ready for msg-write.ts: every
// property the message, its recipients and its attachments store, copied as
// stored (no decoding, no re-encoding), embedded messages included.
// pst-extractor keeps each object's raw property table in protected fields;
// reading them, rather than its decoded getters, is what keeps values exact.
import type { PSTAttachment, PSTMessage } from 'pst-extractor';
import { writableType, type MapiAttachment, type MapiMessage, type MapiProp } from './msg-write.ts';

interface TableItem { entryValueType: number; entryValueReference: number; isExternalValueReference: boolean; data: Buffer }
interface Subnode { getData(): Buffer }
interface Raw { pstTableItems: Map<number, TableItem> | null; localDescriptorItems: Map<number, Subnode> | null; descriptorIndexNode: unknown }

export interface ReadContext {
  /** Largest attachment kept, and most attachment bytes in one message (limits.maxMemberBytes). */
  maxBytes: number;
  /** Problems met inside this message: recorded, never fatal to the message. */
  problems: { code: 'E_PST_INVALID' | 'E_TOO_LARGE'; message: string }[];
}

const MAX_RECIPIENTS = 10_000;
const MAX_ATTACHMENTS = 1000;
const MAX_EMBED_DEPTH = 8;
const ATTACH_DATA = 0x3701;
const EMBEDDED = 5; // PidTagAttachMethod afEmbeddedMessage

const SUBJECT = 0x0037;
const raw = (o: object) => o as unknown as Raw;

/**
 * A .pst stores PR_SUBJECT as U+0001, a character giving the prefix length
 * ("FW: "), then the subject: a storage detail ([MS-PST] 2.5.3.1.1.1) that
 * is not part of the value and that a .msg does not have.
 */
function unmarkSubject(v: Uint8Array, type: number): Uint8Array {
  if (type === 0x001f && v.length >= 4 && v[0] === 1 && v[1] === 0) return v.subarray(4);
  if (type === 0x001e && v.length >= 2 && v[0] === 1) return v.subarray(2);
  return v;
}

/** A property's value as stored, or undefined when the file does not hold it. */
function valueOf(item: TableItem, type: number, subnodes: (Map<number, Subnode> | null)[]): Uint8Array | undefined {
  const v = item.entryValueReference >>> 0;
  switch (type) {
    case 0x0002: { const b = Buffer.alloc(2); b.writeUInt16LE(v & 0xffff); return b; }
    case 0x0003: case 0x0004: case 0x000a: { const b = Buffer.alloc(4); b.writeUInt32LE(v); return b; }
    case 0x000b: return Uint8Array.of(v & 0xff);
    case 0x0005: case 0x0006: case 0x0007: case 0x0014: case 0x0040:
      return !item.isExternalValueReference && item.data.length === 8 ? item.data : undefined;
  }
  if (!item.isExternalValueReference) return item.data;
  if (v === 0) return new Uint8Array(0); // an empty value has no heap entry
  // Large values live in a subnode of the message (recipient rows use the message's).
  for (const s of subnodes) {
    const node = s?.get(v);
    if (node) return node.getData();
  }
  return undefined;
}

function propsOf(obj: object, ctx: ReadContext, what: string, extra: Map<number, Subnode> | null = null): MapiProp[] {
  const { pstTableItems, localDescriptorItems } = raw(obj);
  const out: MapiProp[] = [];
  let lost = 0;
  for (const [id, item] of pstTableItems ?? []) {
    const type = item.entryValueType;
    // Named properties need the .pst's name map (not carried over); 0x67F0-0x67FF are the .pst's own bookkeeping.
    if (id >= 0x8000 || (id >= 0x67f0 && id <= 0x67ff)) continue;
    if (!writableType(type)) continue;
    try {
      const value = valueOf(item, type, [localDescriptorItems, extra]);
      if (value) out.push({ id, type, value: id === SUBJECT ? unmarkSubject(value, type) : value });
      else lost++;
    } catch {
      lost++;
    }
  }
  if (lost) ctx.problems.push({ code: 'E_PST_INVALID', message: `${what}: ${lost} property value(s) could not be read` });
  return out;
}

function attachment(att: PSTAttachment, owner: unknown, parent: Map<number, Subnode> | null, ctx: ReadContext, depth: number, n: number): MapiAttachment | undefined {
  const what = `attachment ${n + 1}`;
  const size = att.filesize;
  if (size > ctx.maxBytes) {
    ctx.problems.push({ code: 'E_TOO_LARGE', message: `${what}: ${size} bytes is over the ${ctx.maxBytes}-byte member limit; not unpacked` });
    return undefined;
  }
  // Read the properties first: embeddedPSTMessage swaps the attachment's subnode map.
  const props = propsOf(att, ctx, what, parent);
  const object = raw(att).pstTableItems?.get(ATTACH_DATA);
  if (att.attachMethod !== EMBEDDED) {
    // An OLE storage attachment: its data is a subnode named by the object value; keep its bytes as binary data.
    if (object?.entryValueType === 0x000d && object.data.length >= 4) {
      const node = raw(att).localDescriptorItems?.get(object.data.readUInt32LE(0)) ?? parent?.get(object.data.readUInt32LE(0));
      if (node) props.push({ id: ATTACH_DATA, type: 0x0102, value: node.getData() });
    }
    return { props };
  }
  if (depth >= MAX_EMBED_DEPTH) {
    ctx.problems.push({ code: 'E_PST_INVALID', message: `${what}: embedded messages nested deeper than ${MAX_EMBED_DEPTH}` });
    return { props };
  }
  // pst-extractor builds attachments without the node they hang from, and then will not open an
  // embedded message; the enclosing message's node is the one it needs.
  const node = att as unknown as { descriptorIndexNode: unknown };
  node.descriptorIndexNode ??= owner;
  const inner = att.embeddedPSTMessage;
  if (!inner) ctx.problems.push({ code: 'E_PST_INVALID', message: `${what}: the embedded message could not be opened` });
  return inner ? { props, embedded: readMessage(inner, ctx, depth + 1) } : { props };
}

export function readMessage(msg: PSTMessage, ctx: ReadContext, depth = 0): MapiMessage {
  const subnodes = raw(msg).localDescriptorItems;
  const out: MapiMessage = { props: propsOf(msg, ctx, 'message'), recipients: [], attachments: [] };
  const nRecipients = Math.min(msg.numberOfRecipients, MAX_RECIPIENTS);
  for (let i = 0; i < nRecipients; i++) {
    try {
      const r = msg.getRecipient(i);
      if (r) out.recipients.push(propsOf(r, ctx, `recipient ${i + 1}`, subnodes));
    } catch (err) {
      ctx.problems.push({ code: 'E_PST_INVALID', message: `recipient ${i + 1}: ${(err as Error).message}` });
    }
  }
  const nAttachments = msg.numberOfAttachments;
  if (nAttachments > MAX_ATTACHMENTS) ctx.problems.push({ code: 'E_PST_INVALID', message: `${nAttachments} attachments declared; the first ${MAX_ATTACHMENTS} were read` });
  let bytes = 0;
  for (let i = 0; i < Math.min(nAttachments, MAX_ATTACHMENTS); i++) {
    try {
      const a = attachment(msg.getAttachment(i), raw(msg).descriptorIndexNode, subnodes, ctx, depth, i);
      if (!a) continue;
      bytes += a.props.reduce((n, p) => n + p.value.length, 0);
      if (bytes > ctx.maxBytes) {
        ctx.problems.push({ code: 'E_TOO_LARGE', message: `attachments past the ${ctx.maxBytes}-byte member limit were not unpacked` });
        break;
      }
      out.attachments.push(a);
    } catch (err) {
      ctx.problems.push({ code: 'E_PST_INVALID', message: `attachment ${i + 1}: ${(err as Error).message}` });
    }
  }
  return out;
}
