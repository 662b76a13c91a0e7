// Outlook .pst/.ost mail stores, read with pst-extractor. Every folder is
// walked; every item in it becomes a child Outlook .msg (msg-write.ts) named
// by its folder path and rank, e.g. `Top of Personal Folders/Inbox/3.msg`,
// which the msg ingestor then reads: headers (PR_TRANSPORT_MESSAGE_HEADERS),
// body, recipients, and attachments with their exact bytes. A .pst holds no
// RFC 822 bytes to give back, so none are made up. Search folders are skipped:
// they only point at messages kept in other folders. A folder or message that
// cannot be read is recorded (E_PST_INVALID) and the walk goes on.
// The library reads from a buffer here (ingestors get bytes): files over the
// member limit never get this far (large-file.ts keeps them unread).
import { PSTFile, type PSTFolder, type PSTMessage } from 'pst-extractor';
import { TamisError } from '../core/errors.ts';
import { DEFAULT_LIMITS, type Limits } from '../core/limits.ts';
import type { ChildOut, Extraction, Ingestor } from './ingestor.ts';
import { writeMsg } from './msg-write.ts';
import { readMessage, type ReadContext } from './pst-message.ts';
import { guarded } from './pst-guard.ts';

type Warning = NonNullable<Extraction['warnings']>[number];
const SEARCH_FOLDER = 0x03; // NID_TYPE_SEARCH_FOLDER
const MAX_FOLDER_DEPTH = 64;
const FORMATS: Record<number, string> = { 14: 'ansi', 15: 'ansi', 23: 'unicode', 36: 'unicode-4k' };
const ENCODINGS: Record<number, string> = { 0: 'none', 1: 'compressible' };

/** Thrown to stop the walk once a limit is reached (already recorded). */
class Stop extends Error {}

/** ibFileEof of the header's ROOT structure ([MS-PST] 2.2.2.5): the file's size when it was written. */
function declaredSize(b: Buffer): number {
  const unicode = b[10]! >= 23;
  const at = unicode ? 184 : 168;
  if (b.length < at + 8) return 0;
  return unicode ? Number(b.readBigUInt64LE(at)) : b.readUInt32LE(at);
}

/** A folder name as one path segment: no slashes, no control characters. */
const segment = (name: string, id: string) => name.replace(/[\u0000-\u001f/\\]/g, '_').trim().slice(0, 200) || `folder-${id}`;

export const pstIngestor: Ingestor = {
  name: 'pst',
  score({ mime, ext }) {
    if (mime === 'application/vnd.ms-outlook-pst') return 100;
    return ext === 'pst' || ext === 'ost' ? 10 : 0;
  },
  async extract({ bytes, limits = DEFAULT_LIMITS }) {
    const lines: string[] = [];
    try {
      return guarded(limits.maxMemberBytes, lines, () => walkStore(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), limits, lines));
    } catch (err) {
      // The library throws plain errors (even a stack overflow on a looping tree) from anywhere in the walk.
      if (err instanceof TamisError) throw err;
      throw new TamisError('E_PST_INVALID', String((err as Error)?.message ?? err).slice(0, 300));
    }
  },
};

function walkStore(buf: Buffer, limits: Limits, lines: string[]): Extraction {
  let pst: PSTFile;
  let root: PSTFolder;
  try {
    pst = new PSTFile(buf);
    root = pst.getRootFolder();
  } catch (err) {
    throw new TamisError('E_PST_INVALID', (err as Error).message.slice(0, 300));
  }
  const children: ChildOut[] = [];
  const warnings: Warning[] = [];
  const declared = declaredSize(buf);
  // A cut file may still open and read in part; its header says how long it was.
  if (declared > buf.length) warnings.push({ code: 'E_PST_INVALID', message: `truncated: ${buf.length} bytes of the ${declared} the header declares; what remains was read` });
  const folders: { path: string; items: number }[] = [];
  const seen = new Set<string>();
  const usedPaths = new Set<string>();
  let total = 0;
  // Console lines since the last call; one pst-extractor prints for item classes it has no type for is harmless.
  const drain = () => lines.splice(0).filter((l) => !/unknown message type/.test(l));

  const emit = (m: PSTMessage, path: string, rank: number) => {
    const name = `${path ? `${path}/` : ''}${rank}.msg`;
    if (children.length >= limits.maxEntries) {
      warnings.push({ code: 'E_TOO_MANY_ENTRIES', message: `more than ${limits.maxEntries} items; the rest were not read` });
      throw new Stop();
    }
    const ctx: ReadContext = { maxBytes: limits.maxMemberBytes, problems: [] };
    try {
      const msg = writeMsg(readMessage(m, ctx));
      total += msg.length;
      if (total > limits.maxArchiveBytes) {
        warnings.push({ code: 'E_BOMB', message: `the items expand past ${limits.maxArchiveBytes} bytes; the rest were not read` });
        throw new Stop();
      }
      children.push({ name, bytes: msg, role: 'message', meta: { pstFolder: path, pstNodeId: m.descriptorNodeId.toNumber(), messageClass: m.messageClass || null } });
    } catch (err) {
      if (err instanceof Stop) throw err;
      ctx.problems.push({ code: 'E_PST_INVALID', message: (err as Error).message.slice(0, 300) });
    }
    for (const p of ctx.problems) warnings.push({ ...p, member: name });
    const noise = drain();
    if (noise.length) warnings.push({ code: 'E_PST_INVALID', message: `read with errors: ${noise.join(' | ').slice(0, 500)}`, member: name });
  };

  const walk = (folder: PSTFolder, path: string, depth: number) => {
    const id = folder.descriptorNodeId.toString();
    // A damaged hierarchy can point back at a folder above: read each folder once.
    if (seen.has(id) || depth > MAX_FOLDER_DEPTH) {
      warnings.push({ code: 'E_PST_INVALID', message: `folder "${path}" loops back or nests deeper than ${MAX_FOLDER_DEPTH}; not read again` });
      return;
    }
    seen.add(id);
    if (folder.getNodeType() === SEARCH_FOLDER) return;
    let rank = 0;
    try {
      if (folder.contentCount > 0) {
        // Lines printed while fetching belong to the folder (a skipped item), not to the item fetched next.
        const next = (): PSTMessage | null => {
          const m = folder.getNextChild() as PSTMessage | null;
          const noise = drain();
          if (noise.length) warnings.push({ code: 'E_PST_INVALID', message: `folder "${path}": ${noise.join(' | ').slice(0, 500)}` });
          return m;
        };
        for (let m = next(); m; m = next()) emit(m, path, ++rank);
      }
    } catch (err) {
      if (err instanceof Stop) throw err;
      warnings.push({ code: 'E_PST_INVALID', message: `folder "${path}" after ${rank} item(s): ${(err as Error).message.slice(0, 300)}` });
    }
    if (rank < folder.contentCount) warnings.push({ code: 'E_PST_INVALID', message: `folder "${path}" lists ${folder.contentCount} items, ${rank} could be read` });
    folders.push({ path, items: rank });
    let subs: PSTFolder[] = [];
    try {
      subs = folder.hasSubfolders ? folder.getSubFolders() : [];
    } catch (err) {
      warnings.push({ code: 'E_PST_INVALID', message: `folder "${path}": its subfolders could not be read: ${(err as Error).message.slice(0, 300)}` });
    }
    drain();
    for (const sub of subs) {
      let p = path ? `${path}/${segment(sub.displayName, sub.descriptorNodeId.toString())}` : segment(sub.displayName, sub.descriptorNodeId.toString());
      // Two sibling folders may share a name; their items must not share paths.
      for (let k = 2; usedPaths.has(p); k++) p = `${p.replace(/ \(\d+\)$/, '')} (${k})`;
      usedPaths.add(p);
      walk(sub, p, depth + 1);
    }
  };

  try {
    walk(root, '', 0);
  } catch (err) {
    if (!(err instanceof Stop)) throw err;
  }
  if (children.length === 0 && warnings.length > 0) throw new TamisError('E_PST_INVALID', warnings.map((w) => w.message).join('; ').slice(0, 500));
  return {
    meta: {
      pstFormat: FORMATS[pst.pstFileType] ?? String(pst.pstFileType), pstEncoding: ENCODINGS[pst.encryptionType] ?? String(pst.encryptionType),
      messages: children.length, folders,
    },
    children,
    ...(warnings.length ? { warnings } : {}),
  };
}
