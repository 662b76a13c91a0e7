// Best-effort text of a binary Office stream: runs of readable UTF-16LE and
// of readable 8-bit (cp1252) characters, in file order. Not the document's
// layout, but its words, so it can be searched. Linear in the stream.
const MIN_RUN = 4;
const MAX_TEXT = 2_000_000;
const cp1252 = new TextDecoder('windows-1252');

const printable8 = (c: number) => (c >= 0x20 && c < 0x7f) || c >= 0xa0 || c === 0x09 || c === 0x0d || c === 0x0a;
/** UTF-16 code units of Latin, Greek and Cyrillic text and common punctuation; other scripts are rarer than binary noise. */
const text16 = (u: number) => (u >= 0x20 && u < 0x7f) || (u >= 0xa0 && u < 0x250) || (u >= 0x370 && u < 0x530) ||
  (u >= 0x2010 && u < 0x2070) || u === 0x20ac || u === 0x0d || u === 0x09;
/** A run is kept when most of it is letters: binary data makes short, symbol-heavy runs. */
const wordy = (t: string) => (t.match(/\p{L}/gu)?.length ?? 0) >= t.length * 0.6 && /\p{L}{3}/u.test(t);

export function oleStrings(b: Uint8Array): string {
  const runs: string[] = [];
  let size = 0;
  const push = (s: string) => {
    const t = s.replace(/\s+/g, ' ').trim();
    if (t.length >= MIN_RUN && wordy(t)) { runs.push(t); size += t.length; }
  };
  // UTF-16LE runs: printable code units (including accented Latin and other scripts).
  let run = '';
  for (let i = 0; i + 1 < b.length && size < MAX_TEXT; i += 2) {
    const u = b[i]! | (b[i + 1]! << 8);
    if (text16(u)) run += String.fromCharCode(u);
    else { if (run.length >= MIN_RUN) push(run); run = ''; }
  }
  if (run.length >= MIN_RUN) push(run);
  // 8-bit runs.
  let start = -1;
  for (let i = 0; i <= b.length && size < MAX_TEXT; i++) {
    if (i < b.length && printable8(b[i]!)) { if (start < 0) start = i; continue; }
    if (start >= 0 && i - start >= MIN_RUN * 2) push(cp1252.decode(b.subarray(start, i)));
    start = -1;
  }
  return runs.join('\n');
}
