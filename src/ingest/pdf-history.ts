// What each saved state of a PDF said. An incrementally updated PDF keeps
// its earlier revisions byte for byte at the start of the file; the text of
// each is recorded so a rule can show what changed. Signature byte ranges
// are recorded too: bytes after a signed range were added after signing.
export interface SignedRange { byteRange: [number, number, number, number]; coversUpTo: number }
export interface RevisionText { end: number; text: string; truncated: boolean }

const MAX_REVISIONS = 8;
const MAX_TEXT = 200_000;

export function signedRanges(bytes: Uint8Array): SignedRange[] {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const out: SignedRange[] = [];
  for (const m of text.matchAll(/\/ByteRange\s*\[\s*(\d{1,12})\s+(\d{1,12})\s+(\d{1,12})\s+(\d{1,12})\s*\]/g)) {
    const r = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])] as [number, number, number, number];
    out.push({ byteRange: r, coversUpTo: r[2] + r[3] });
    if (out.length >= 32) break;
  }
  return out;
}

/** Text of every earlier revision (the last is the document's own text). */
export async function revisionTexts(
  bytes: Uint8Array, ends: number[], extractText: (prefix: Uint8Array) => Promise<string>,
): Promise<RevisionText[]> {
  const out: RevisionText[] = [];
  for (const end of ends.slice(0, -1).slice(-MAX_REVISIONS)) {
    let text = '';
    try {
      text = await extractText(bytes.subarray(0, end));
    } catch {
      text = '';
    }
    out.push({ end, text: text.slice(0, MAX_TEXT), truncated: text.length > MAX_TEXT });
  }
  return out;
}
