// Text of a PowerPoint binary presentation ([MS-PPT]), in slide order. The
// "PowerPoint Document" stream is a heap of records, in the order edits were
// saved, not in the order of the slides; the order lives in the document's
// SlideListWithText. So: the "Current User" stream points at the newest
// UserEditAtom; its chain of persist directories maps persist ids to stream
// offsets; the DocumentContainer's slide list gives the slides in order,
// each with its placeholder text, and each slide's own container (at its
// persist offset) holds its text boxes. Notes follow the slides, in their
// own list's order. Text found nowhere else (masters, older saved versions
// still in the stream) comes last: it is still searchable. When that
// structure cannot be read, every text atom is given in stream order.
// A CryptSession10Container record means the presentation is encrypted.
// Bounds-checked; a record running past its parent stops that walk.
const TEXT_CHARS = 0x0fa0;
const TEXT_BYTES = 0x0fa8;
const CRYPT_SESSION = 0x2f14;
const DOCUMENT = 0x03e8;
const SLIDE_LIST = 0x0ff0;
const SLIDE_PERSIST = 0x03f3;
const USER_EDIT = 0x0ff5;
const PERSIST_DIRECTORY = 0x1772;
const MAX_CHARS = 20_000_000;
const MAX_DEPTH = 64;
const MAX_EDITS = 10_000;
const latin1 = new TextDecoder('windows-1252');

export interface PptText { text: string | null; encrypted: boolean }

interface Rec { type: number; instance: number; container: boolean; body: number; end: number; at: number }

/** The records directly inside [start, end). */
function* children(b: Buffer, start: number, end: number): Generator<Rec> {
  for (let p = start; p + 8 <= end;) {
    const verInst = b.readUInt16LE(p);
    const len = b.readUInt32LE(p + 4);
    if (p + 8 + len > end) return;
    yield { type: b.readUInt16LE(p + 2), instance: verInst >> 4, container: (verInst & 0x0f) === 0x0f, body: p + 8, end: p + 8 + len, at: p };
    p += 8 + len;
  }
}

/** The record starting at `at`, or undefined when it does not fit in the stream. */
function recordAt(b: Buffer, at: number): Rec | undefined {
  if (!Number.isInteger(at) || at < 0 || at + 8 > b.length) return undefined;
  return children(b, at, b.length).next().value ?? undefined;
}

function atomText(b: Buffer, r: Rec): string {
  const bytes = b.subarray(r.body, r.end);
  return (r.type === TEXT_CHARS ? bytes.toString('utf16le') : latin1.decode(bytes))
    .replace(/[\r\v]/g, '\n').replace(/[\0-\x08\x0e-\x1f]/g, '').trim();
}

/** Every text atom in [start, end), descending into containers, in stream order. */
function textsIn(b: Buffer, start: number, end: number, out: string[], depth = 0): string[] {
  if (depth > MAX_DEPTH) return out;
  for (const r of children(b, start, end)) {
    if (r.container) textsIn(b, r.body, r.end, out, depth + 1);
    else if (r.type === TEXT_CHARS || r.type === TEXT_BYTES) out.push(atomText(b, r));
  }
  return out;
}

/** Persist id -> stream offset, newest edit first (an older edit never overrides). */
function persistDirectory(b: Buffer, firstEdit: number): { offsets: Map<number, number>; docRef: number } | undefined {
  const offsets = new Map<number, number>();
  let docRef = -1;
  const seen = new Set<number>();
  for (let at = firstEdit; at > 0 && !seen.has(at) && seen.size < MAX_EDITS;) {
    seen.add(at);
    const edit = recordAt(b, at);
    if (!edit || edit.type !== USER_EDIT || edit.end - edit.body < 20) break;
    if (docRef < 0) docRef = b.readUInt32LE(edit.body + 16);
    const dir = recordAt(b, b.readUInt32LE(edit.body + 12));
    if (dir?.type === PERSIST_DIRECTORY) {
      for (let p = dir.body; p + 4 <= dir.end;) {
        const head = b.readUInt32LE(p);
        const first = head & 0xfffff;
        const count = head >>> 20;
        p += 4;
        for (let k = 0; k < count && p + 4 <= dir.end; k++, p += 4) if (!offsets.has(first + k)) offsets.set(first + k, b.readUInt32LE(p));
      }
    }
    at = b.readUInt32LE(edit.body + 8);
  }
  return docRef < 0 ? undefined : { offsets, docRef };
}

/** The newest UserEditAtom: where "Current User" points, else the last one at the stream's top level. */
function newestEdit(b: Buffer, currentUser: Uint8Array | undefined): number {
  if (currentUser && currentUser.length >= 20) {
    const at = Buffer.from(currentUser.buffer, currentUser.byteOffset, currentUser.byteLength).readUInt32LE(16);
    if (recordAt(b, at)?.type === USER_EDIT) return at;
  }
  let last = -1;
  for (const r of children(b, 0, b.length)) if (r.type === USER_EDIT) last = r.at;
  return last;
}

/** Text of the slides (instance 0) or notes (instance 2), in list order: placeholder text, then the slide's own shapes. */
function listTexts(b: Buffer, doc: Rec, instance: number, offsets: Map<number, number>, budget: { bytes: number }): string[][] {
  const pages: { ref: number; texts: string[] }[] = [];
  for (const list of children(b, doc.body, doc.end)) {
    if (list.type !== SLIDE_LIST || list.instance !== instance) continue;
    for (const r of children(b, list.body, list.end)) {
      if (r.type === SLIDE_PERSIST && r.end - r.body >= 4) pages.push({ ref: b.readUInt32LE(r.body), texts: [] });
      else if ((r.type === TEXT_CHARS || r.type === TEXT_BYTES) && pages.length) pages[pages.length - 1]!.texts.push(atomText(b, r));
    }
  }
  return pages.map(({ ref, texts }) => {
    const own = recordAt(b, offsets.get(ref) ?? -1);
    // A hostile list can point many slides at the same or overlapping big containers: cap the bytes walked.
    if (own?.container && (budget.bytes -= own.end - own.body) >= 0) textsIn(b, own.body, own.end, texts);
    return texts;
  });
}

export function pptText(stream: Uint8Array, currentUser?: Uint8Array): PptText {
  const b = Buffer.from(stream.buffer, stream.byteOffset, stream.byteLength);
  // Every record first: the encryption marker, and the text in stream order (the fallback, and the leftovers).
  let encrypted = false;
  const all: string[] = [];
  let atoms = 0;
  const scan = (start: number, end: number, depth: number) => {
    for (const r of children(b, start, end)) {
      if (r.type === CRYPT_SESSION) encrypted = true;
      if (encrypted || depth > MAX_DEPTH) return;
      if (r.container) scan(r.body, r.end, depth + 1);
      else if (r.type === TEXT_CHARS || r.type === TEXT_BYTES) { atoms++; all.push(atomText(b, r)); }
    }
  };
  scan(0, b.length, 0);
  if (encrypted) return { text: null, encrypted: true };
  if (!atoms) return { text: null, encrypted: false };

  const out: string[] = [];
  const emitted = new Set<string>();
  let chars = 0;
  const emit = (s: string, unique: boolean) => {
    // Placeholder text can appear twice for one slide (slide list and drawing); leftovers only once overall.
    if (!s || chars > MAX_CHARS || (unique ? emitted.has(s) : out[out.length - 1] === s)) return;
    out.push(s);
    emitted.add(s);
    chars += s.length;
  };
  const dir = persistDirectory(b, newestEdit(b, currentUser));
  const doc = dir && recordAt(b, dir.offsets.get(dir.docRef) ?? -1);
  if (dir && doc?.type === DOCUMENT) {
    const budget = { bytes: 2 * b.length };
    for (const instance of [0, 2]) {
      for (const page of listTexts(b, doc, instance, dir.offsets, budget)) {
        const seen = new Set<string>();
        for (const s of page) if (!seen.has(s)) { seen.add(s); emit(s, false); }
      }
    }
  }
  const structured = emitted.size > 0;
  for (const s of all) emit(s, structured);
  return { text: out.join('\n'), encrypted: false };
}
