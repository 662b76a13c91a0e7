// Character-set detection and decoding for text-like items (plain text, HTML,
// CSV...). Leaked files come from every era and OS: a BOM wins, then strict
// UTF-8, then a UTF-16 guess (NULs in alternate bytes), then windows-1252,
// which never fails and is what "latin-1" files in the wild really are.

export type CharsetSource = 'bom' | 'declared' | 'utf8-valid' | 'utf16-guess' | 'fallback';

export interface Decoded {
  text: string;
  /** WHATWG encoding name actually used (e.g. 'utf-8', 'windows-1252'). */
  charset: string;
  source: CharsetSource;
}

/** BOM at the start of the bytes, if any. */
export function detectBom(bytes: Uint8Array): { charset: string; length: number } | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { charset: 'utf-8', length: 3 };
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return { charset: 'utf-16le', length: 2 };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return { charset: 'utf-16be', length: 2 };
  return undefined;
}

/**
 * True when the bytes are valid UTF-8. With `allowTruncatedEnd`, a multi-byte
 * sequence cut by the end of the buffer is tolerated (used on a file's head).
 */
export function isValidUtf8(bytes: Uint8Array, allowTruncatedEnd = false): boolean {
  let end = bytes.length;
  if (allowTruncatedEnd) {
    // Back off over at most 3 continuation bytes plus their lead byte.
    let i = end - 1;
    while (i >= 0 && i >= end - 3 && (bytes[i]! & 0xc0) === 0x80) i--;
    if (i >= 0 && bytes[i]! >= 0xc0) end = i;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}

/** Guess BOM-less UTF-16 from NULs in alternating positions (ASCII-heavy text). */
export function guessUtf16(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  const n = Math.min(bytes.length, 4096) & ~1;
  if (n < 4) return undefined;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenNul++;
    if (bytes[i + 1] === 0) oddNul++;
  }
  const pairs = n / 2;
  if (oddNul > pairs * 0.4 && evenNul < pairs * 0.05) return 'utf-16le';
  if (evenNul > pairs * 0.4 && oddNul < pairs * 0.05) return 'utf-16be';
  return undefined;
}

/** Normalise a declared label to a WHATWG encoding TextDecoder accepts, or undefined. */
export function normaliseLabel(label: string): string | undefined {
  try {
    return new TextDecoder(label.trim().toLowerCase()).encoding;
  } catch {
    return undefined;
  }
}

/** Which charset the bytes are in, without decoding them all. */
export function detectCharset(bytes: Uint8Array, declared?: string): { charset: string; source: CharsetSource; bomLength: number } {
  const bom = detectBom(bytes);
  if (bom) return { charset: bom.charset, source: 'bom', bomLength: bom.length };
  const label = declared ? normaliseLabel(declared) : undefined;
  // A page that declares UTF-16 but has no BOM and no NULs is really ASCII-compatible
  // (browsers do the same); otherwise honour the declaration.
  if (label && !label.startsWith('utf-16')) {
    if (label !== 'utf-8' || isValidUtf8(bytes)) return { charset: label, source: 'declared', bomLength: 0 };
  }
  // UTF-16 before UTF-8: ASCII-only UTF-16 (NUL every other byte) is also "valid UTF-8".
  const u16 = guessUtf16(bytes);
  if (u16) return { charset: u16, source: 'utf16-guess', bomLength: 0 };
  if (isValidUtf8(bytes)) return { charset: 'utf-8', source: 'utf8-valid', bomLength: 0 };
  return { charset: 'windows-1252', source: 'fallback', bomLength: 0 };
}

/** Decode bytes to a string (BOM stripped), reporting the charset used. */
export function decodeText(bytes: Uint8Array, declared?: string): Decoded {
  const { charset, source, bomLength } = detectCharset(bytes, declared);
  // Non-fatal: a declared-but-wrong charset yields U+FFFD rather than an error.
  const text = new TextDecoder(charset, { ignoreBOM: true }).decode(bytes.subarray(bomLength));
  return { text, charset, source };
}
