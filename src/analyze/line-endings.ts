// DKIM hashes CRLF lines. Exports and mbox files often store mail with bare
// LF; turning LF into CRLF is the one repair made before verifying, and it
// is reported (never silent).
export function toCrlf(raw: Uint8Array): { bytes: Uint8Array; bareLf: number } {
  let bareLf = 0;
  for (let i = 0; i < raw.length; i++) if (raw[i] === 0x0a && (i === 0 || raw[i - 1] !== 0x0d)) bareLf++;
  if (bareLf === 0) return { bytes: raw, bareLf };
  const out = new Uint8Array(raw.length + bareLf);
  let j = 0;
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === 0x0a && (i === 0 || raw[i - 1] !== 0x0d)) out[j++] = 0x0d;
    out[j++] = raw[i]!;
  }
  return { bytes: out, bareLf };
}

/** The header block as text (latin1 keeps every byte), up to the first empty line. */
export function headerBlock(raw: Uint8Array): string {
  const max = Math.min(raw.length, 1 << 20);
  for (let i = 0; i < max - 1; i++) {
    if (raw[i] === 0x0a && (raw[i + 1] === 0x0a || (raw[i + 1] === 0x0d && raw[i + 2] === 0x0a))) {
      return Buffer.from(raw.subarray(0, i + 1)).toString('latin1');
    }
  }
  return Buffer.from(raw.subarray(0, max)).toString('latin1');
}

/** Unfolded header fields in order: [lower-case name, value]. */
export function headerFields(block: string): [string, string][] {
  const fields: [string, string][] = [];
  for (const line of block.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && fields.length) { fields[fields.length - 1]![1] += ' ' + line.trim(); continue; }
    const m = /^([!-9;-~]+)[ \t]*:(.*)$/.exec(line);
    if (m) fields.push([m[1]!.toLowerCase(), m[2]!.trim()]);
  }
  return fields;
}
