// Raw-bytes scan for a PDF's incremental updates. Each save that appends to a
// PDF (form fill, signature, edit) ends with `startxref <offset> %%EOF`, so
// counting those pairs counts revisions: a forensic signal that the file was
// changed after it was first written. A linearized ("fast web view") file has
// an extra stub trailer in its first-page section which is not a revision.

export interface RevisionEnd {
  /** Offset of the `startxref` keyword. */
  startxref: number;
  /** The xref offset written after `startxref`, when it parses. */
  xrefOffset?: number;
  /** Offset just past the `%%EOF` marker: the revision is bytes [0, eofEnd). */
  eofEnd: number;
}

export interface RevisionScan {
  revisions: number;
  linearized: boolean;
  /** Revision ends in file order, excluding a linearized first-page stub. */
  ends: RevisionEnd[];
}

const STARTXREF = Buffer.from('startxref');
const EOF = Buffer.from('%%EOF');
/** Max bytes between `startxref` and its `%%EOF` (whitespace + offset digits). */
const PAIR_GAP = 64;

function isSpace(b: number | undefined): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09 || b === 0x0c || b === 0x00;
}

/** The /Linearized dictionary is the first object, within the first 1 KiB. */
function linearization(buf: Buffer): { firstPageEnd?: number } | undefined {
  const head = buf.subarray(0, 1024).toString('latin1');
  const at = head.indexOf('/Linearized');
  if (at === -1) return undefined;
  const dictEnd = head.indexOf('>>', at);
  const dict = head.slice(at, dictEnd === -1 ? head.length : dictEnd);
  const e = /\/E\s+(\d{1,12})/.exec(dict);
  return { firstPageEnd: e ? Number(e[1]) : undefined };
}

export function scanRevisions(bytes: Uint8Array): RevisionScan {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ends: RevisionEnd[] = [];
  for (let at = buf.indexOf(STARTXREF); at !== -1; at = buf.indexOf(STARTXREF, at + STARTXREF.length)) {
    let p = at + STARTXREF.length;
    const limit = Math.min(buf.length, p + PAIR_GAP);
    while (p < limit && isSpace(buf[p])) p++;
    const digitsStart = p;
    while (p < limit && buf[p]! >= 0x30 && buf[p]! <= 0x39) p++;
    const xrefOffset = p > digitsStart ? Number(buf.toString('latin1', digitsStart, p)) : undefined;
    while (p < limit && isSpace(buf[p])) p++;
    if (p + EOF.length <= buf.length && buf.compare(EOF, 0, EOF.length, p, p + EOF.length) === 0) {
      ends.push({ startxref: at, xrefOffset, eofEnd: p + EOF.length });
    }
  }
  const lin = linearization(buf);
  // The stub trailer sits before the end of the first page's objects (/E);
  // without /E, accept it when it is near the start of the file.
  if (lin && ends.length >= 2) {
    const bound = lin.firstPageEnd ?? 4096;
    if (ends[0]!.eofEnd <= bound) ends.shift();
  }
  return { revisions: ends.length, linearized: lin !== undefined, ends };
}
