// RFC 6376 §3.4.1-3.4.2 header canonicalization and §3.7/§5.4.2 header
// selection: what a DKIM signature, an ARC-Message-Signature or an ARC-Seal
// actually hashes. Text is latin1 (one character per byte).
import type { HeaderField } from './header-fields.ts';

export type Canon = 'simple' | 'relaxed';

/** One field, canonicalized, with its CRLF. `raw` replaces the field's text (a signature with b= blanked). */
export function canonField(field: HeaderField, canon: Canon, raw = field.raw): string {
  if (canon === 'simple') return raw + '\r\n';
  const colon = field.valueAt - 1;
  // Relaxed: name in lower case, unfolded, whitespace runs to one space, none at the ends of the value or around the colon.
  const name = field.key;
  const value = raw.slice(colon + 1).replace(/\r\n/g, '').replace(/[ \t]+/g, ' ').replace(/^ | $/g, '');
  return `${name}:${value}\r\n`;
}

/** The signature field as it was hashed: the b= value and the whitespace around it removed (§3.5). */
export function blankB(field: HeaderField, bValueStart: number, bSpecEnd: number): string {
  return field.raw.slice(0, bValueStart) + field.raw.slice(bSpecEnd);
}

/**
 * The fields h= names, each taken from the bottom of the header up, each
 * instance once; a name with no instance left contributes nothing (§5.4.2).
 * `exclude` is the signature being verified.
 */
export function selectFields(fields: readonly HeaderField[], names: readonly string[], exclude: HeaderField): HeaderField[] {
  const byKey = new Map<string, HeaderField[]>();
  for (const f of fields) {
    if (f === exclude) continue;
    const list = byKey.get(f.key);
    if (list) list.push(f);
    else byKey.set(f.key, [f]);
  }
  const out: HeaderField[] = [];
  for (const name of names) {
    const f = byKey.get(name)?.pop();
    if (f) out.push(f);
  }
  return out;
}

/** What a signature needs to say of itself for its header hash input (signature-tags.ts has it all). */
export interface SignedHeaderSpec { field: HeaderField; headers: readonly string[]; headerCanon: Canon; bTag: { valueStart: number; specEnd: number } }

/**
 * The header hash input of a DKIM-Signature or ARC-Message-Signature
 * (RFC 6376 §3.7): the fields h= selects, then the signature field itself
 * with b= blank and without its CRLF.
 */
export function headerHashInput(fields: readonly HeaderField[], sig: SignedHeaderSpec): Buffer {
  let text = '';
  for (const f of selectFields(fields, sig.headers, sig.field)) text += canonField(f, sig.headerCanon);
  text += canonField(sig.field, sig.headerCanon, blankB(sig.field, sig.bTag.valueStart, sig.bTag.specEnd)).slice(0, -2);
  return Buffer.from(text, 'latin1');
}
