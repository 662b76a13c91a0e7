// Text of a PowerPoint binary presentation ([MS-PPT]): one linear walk of
// the "PowerPoint Document" stream's records, descending into containers
// (recVer 0xF), keeping TextCharsAtom (UTF-16LE) and TextBytesAtom (8-bit)
// text in stream order: slide lists, text boxes, notes, masters. A
// CryptSession10Container record means the presentation is encrypted.
// Bounds-checked; a record running past the stream stops the walk.
const TEXT_CHARS = 0x0fa0;
const TEXT_BYTES = 0x0fa8;
const CRYPT_SESSION = 0x2f14;
const MAX_CHARS = 20_000_000;
const latin1 = new TextDecoder('windows-1252');

export interface PptText { text: string | null; encrypted: boolean }

export function pptText(stream: Uint8Array): PptText {
  const b = Buffer.from(stream.buffer, stream.byteOffset, stream.byteLength);
  const out: string[] = [];
  let chars = 0;
  let atoms = 0;
  for (let p = 0; p + 8 <= b.length && chars < MAX_CHARS;) {
    const verInst = b.readUInt16LE(p);
    const type = b.readUInt16LE(p + 2);
    const len = b.readUInt32LE(p + 4);
    if (type === CRYPT_SESSION) return { text: null, encrypted: true };
    if ((verInst & 0x0f) === 0x0f) { p += 8; continue; } // container: its children follow
    if (p + 8 + len > b.length) break;
    if (type === TEXT_CHARS || type === TEXT_BYTES) {
      atoms++;
      const bytes = b.subarray(p + 8, p + 8 + len);
      const s = (type === TEXT_CHARS ? bytes.toString('utf16le') : latin1.decode(bytes))
        .replace(/[\r\v]/g, '\n').replace(/[\0-\x08\x0e-\x1f]/g, '').trim();
      // Placeholder text can appear twice (slide list and drawing); keep one of consecutive copies.
      if (s && out[out.length - 1] !== s) { out.push(s); chars += s.length; }
    }
    p += 8 + len;
  }
  return { text: atoms ? out.join('\n') : null, encrypted: false };
}
