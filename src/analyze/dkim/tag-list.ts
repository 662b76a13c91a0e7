// RFC 6376 §3.2 tag=value lists, read strictly: DKIM-Signature, ARC-Seal,
// ARC-Message-Signature and key records all use them, and §6.1.1 makes any
// deviation a PERMFAIL. Tag names are case-sensitive; a duplicate tag makes
// the whole list invalid. Each value keeps its span in the header text, so
// the verifier can blank b= exactly as the signer did.
//
//   tag-list  =  tag-spec *( ";" tag-spec ) [ ";" ]
//   tag-spec  =  [FWS] tag-name [FWS] "=" [FWS] tag-value [FWS]
//   tag-name  =  ALPHA *ALNUMPUNC
//   tag-value =  [ tval *( 1*(WSP / FWS) tval ) ]
//   tval      =  1*VALCHAR          VALCHAR = %x21-3A / %x3C-7E
//
// Bytes above 0x7E are accepted in values: §3.2 advises not to preclude
// UTF-8 there (RFC 8616 puts it in d=, s= and i=).

export interface Tag {
  value: string;
  /** Offsets in the text given: just after "=", and at the ";" (or the end) that closes the spec. */
  valueStart: number;
  specEnd: number;
}

export type TagListDefect =
  | { code: 'tag-syntax'; detail: string }
  | { code: 'duplicate-tag'; detail: string };

export type TagList = { tags: Map<string, Tag>; defect?: undefined } | { tags?: undefined; defect: TagListDefect };

const isWsp = (c: number) => c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
const isAlpha = (c: number) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const isAlnumPunc = (c: number) => isAlpha(c) || (c >= 0x30 && c <= 0x39) || c === 0x5f;
// VALCHAR, plus 8-bit bytes (see above); never ";" or whitespace.
const isValChar = (c: number) => (c >= 0x21 && c <= 0x7e && c !== 0x3b) || c >= 0x80;

/**
 * Parses `text` (a header field value with its folding, or a TXT record).
 * `from` skips a prefix (the field name and colon).
 */
export function parseTagList(text: string, from = 0): TagList {
  const tags = new Map<string, Tag>();
  const bad = (detail: string): TagList => ({ defect: { code: 'tag-syntax', detail } });
  let i = from;
  const n = text.length;
  const skipWsp = () => { while (i < n && isWsp(text.charCodeAt(i))) i++; };
  for (;;) {
    skipWsp();
    if (i >= n) {
      // An empty list, or one ending with ";": the optional trailing separator.
      if (tags.size === 0) return bad('the tag list is empty');
      return { tags };
    }
    const nameStart = i;
    if (!isAlpha(text.charCodeAt(i))) return bad(`a tag name must start with a letter (at "${excerpt(text, i)}")`);
    while (i < n && isAlnumPunc(text.charCodeAt(i))) i++;
    const name = text.slice(nameStart, i);
    skipWsp();
    if (text.charCodeAt(i) !== 0x3d) return bad(`tag "${name}" has no "="`);
    i++;
    const valueStart = i;
    skipWsp();
    let value = '';
    let lastNonWsp = i;
    const start = i;
    while (i < n && text.charCodeAt(i) !== 0x3b) {
      const c = text.charCodeAt(i);
      if (!isWsp(c) && !isValChar(c)) return bad(`tag "${name}" holds a character not allowed in a value (code ${c})`);
      if (!isWsp(c)) lastNonWsp = i + 1;
      i++;
    }
    value = text.slice(start, Math.max(start, lastNonWsp));
    if (tags.has(name)) return { defect: { code: 'duplicate-tag', detail: `tag "${name}" appears twice` } };
    tags.set(name, { value, valueStart, specEnd: i });
    if (i >= n) return { tags };
    i++; // the ";"
    // Another ";" right after (";;"), or one after only whitespace, is an empty tag-spec: not allowed.
    skipWsp();
    if (text.charCodeAt(i) === 0x3b) return bad('an empty tag between two ";"');
  }
}

function excerpt(text: string, at: number): string {
  return text.slice(at, at + 20).replace(/[\r\n\t]+/g, ' ');
}

/** The value without any whitespace (b=, bh=, p=: "whitespace is ignored in this value"). */
export const stripWsp = (v: string): string => v.replace(/[ \t\r\n]+/g, '');

/** base64string of RFC 6376 §2.4 once whitespace is removed: letters, digits, "+", "/", then at most two "=". */
export const isBase64 = (v: string): boolean => v.length > 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(v);

/** A colon-separated list (h=, q=, key h=, s=, t=), FWS allowed around the colons; null if an element is empty. */
export function colonList(v: string): string[] | null {
  const parts = v.split(':').map(trimFws);
  return parts.some((p) => p === '') ? null : parts;
}

/** `s` without folding whitespace at either end (a loop, linear whatever the input). */
function trimFws(s: string): string {
  let a = 0, b = s.length;
  while (a < b && isWsp(s.charCodeAt(a))) a++;
  while (b > a && isWsp(s.charCodeAt(b - 1))) b--;
  return s.slice(a, b);
}
