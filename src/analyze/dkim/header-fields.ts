// The header block of a message, field by field, exactly as written: simple
// canonicalization hashes the bytes untouched, so fields are kept as latin1
// text (one character per byte) with their folding. The message has CRLF line
// ends by now (line-endings.ts).

export interface HeaderField {
  /** Lower-case (ASCII) name, for matching h= and the ARC field names; '' for a line with no colon. */
  key: string;
  /** The whole field as written: name, colon, value and folding, without the final CRLF. */
  raw: string;
  /** Offset of the value in `raw`: just after the colon. */
  valueAt: number;
  /** Position in the header block, 0 for the topmost field. */
  position: number;
}

const CR = 0x0d, LF = 0x0a;

/**
 * Where the body starts: after the first empty line within `max` bytes.
 * Without one, the message is all header (as far as `max`) and has no body:
 * `bodyStart` is Infinity. `headerLength` excludes the empty line.
 */
export function splitAt(bytes: Uint8Array, max = bytes.length): { headerLength: number; bodyStart: number } {
  if (bytes[0] === CR && bytes[1] === LF) return { headerLength: 0, bodyStart: 2 };
  const end = Math.min(bytes.length, max);
  for (let i = 1; i + 3 < end; i++) {
    if (bytes[i] === CR && bytes[i + 1] === LF && bytes[i + 2] === CR && bytes[i + 3] === LF) {
      return { headerLength: i + 2, bodyStart: i + 4 };
    }
  }
  return { headerLength: Math.min(bytes.length, max), bodyStart: Infinity };
}

const asciiLower = (s: string) => s.replace(/[A-Z]+/g, (m) => m.toLowerCase());

/** `s` without trailing spaces and tabs (a loop: a regex anchored at the end is quadratic on hostile input). */
export function trimWspEnd(s: string): string {
  let end = s.length;
  while (end > 0 && (s.charCodeAt(end - 1) === 0x20 || s.charCodeAt(end - 1) === 0x09)) end--;
  return s.slice(0, end);
}

/** The fields of a header block (latin1 text ending with CRLF, or not). */
export function headerFields(block: string): HeaderField[] {
  const fields: HeaderField[] = [];
  const lines = block.split('\r\n');
  if (lines[lines.length - 1] === '') lines.pop();
  let current: string[] | null = null;
  const close = () => {
    if (!current) return;
    const raw = current.join('\r\n');
    const colon = raw.indexOf(':');
    const key = colon < 0 ? '' : asciiLower(trimWspEnd(raw.slice(0, colon)));
    fields.push({ key, raw, valueAt: colon < 0 ? raw.length : colon + 1, position: fields.length });
  };
  for (const line of lines) {
    const c = line.charCodeAt(0);
    if ((c === 0x20 || c === 0x09) && current) { current.push(line); continue; }
    close();
    current = [line];
  }
  close();
  return fields;
}

/** The value of a field, unfolded and trimmed (for reading tags and results, not for hashing). */
export const fieldValue = (f: HeaderField): string => f.raw.slice(f.valueAt).replace(/\r\n(?=[ \t])/g, '').trim();
