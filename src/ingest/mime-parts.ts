// Byte-exact MIME structure walker. postal-mime stays in charge of headers and
// body text, but its attachment bytes are not exactly what a MIME part decodes
// to (QP hard breaks come back as LF, an attached message keeps the CRLF that
// belongs to the next delimiter), and tamis hashes these bytes to match copies
// found elsewhere in a leak. So the raw message is split here, in one pass over
// its lines, and each leaf is decoded by its Content-Transfer-Encoding only:
// no charset is ever applied to a body.
import { decodeWords } from 'postal-mime';
import { TamisError, type ErrorCode } from '../core/errors.ts';

export const MAX_MIME_DEPTH = 64;
export const MAX_MIME_PARTS = 10_000;
// Only the start of a runaway header block is parsed (postal-mime caps headers too).
const MAX_HEADER_BYTES = 256 * 1024;

export interface MimeLeaf {
  /** Lower-cased type/subtype: 'text/plain' when absent or unparsable ('message/rfc822' in a digest). */
  contentType: string;
  /** Content-Type parameters: names lower-cased, RFC 2231 sections joined and decoded. */
  params: Record<string, string>;
  disposition: 'inline' | 'attachment' | 'none';
  /** Content-Disposition filename, else Content-Type name; RFC 2231 / 2047 decoded. */
  filename: string | null;
  contentId: string | null;
  description: string | null;
  /** Lower-cased first token of Content-Transfer-Encoding ('' when absent). */
  transferEncoding: string;
  /** The decoded bytes (an own buffer: a view would drag the whole message along). */
  bytes: Uint8Array;
  /** text/plain or text/html, not an attachment, no filename: body text, rendered by postal-mime. */
  isBody: boolean;
  /** Inside a multipart/related and with a Content-ID: an inline resource of the HTML body. */
  related: boolean;
}

export interface MimeWarning { code: ErrorCode; message: string }
export interface MimeParts { parts: MimeLeaf[]; warnings: MimeWarning[] }

interface Structured { value: string; params: Record<string, string> }
interface Frame { boundary: string; subtype: string; related: boolean; shadows: number | undefined }
interface Open { hdrStart: number; bodyStart: number; parent: Frame | null }
type Info = Omit<MimeLeaf, 'bytes' | 'isBody' | 'related'> & { boundary: string | null };

const utf8 = new TextDecoder('utf-8', { fatal: true });
const cp1252 = new TextDecoder('windows-1252');
const encoder = new TextEncoder();
const latin1 = new TextDecoder('latin1'); // one char per byte: delimiter lines are compared as strings

/** Raw 8-bit headers are UTF-8 when valid (RFC 6532), else what "latin-1" mailers really wrote. */
function headerText(b: Uint8Array): string { try { return utf8.decode(b); } catch { return cp1252.decode(b); } }

const CONTENT_HEADERS = new Set(['content-type', 'content-transfer-encoding', 'content-disposition', 'content-id', 'content-description']);

/** The Content-* headers of a header block, unfolded; the first occurrence wins (as in postal-mime). */
function contentHeaders(block: Uint8Array): Map<string, string> {
  const out = new Map<string, string>();
  let name = '', value = '';
  const flush = (): void => { if (CONTENT_HEADERS.has(name) && !out.has(name)) out.set(name, value.replace(/[\r\n]+/g, '').trim()); };
  for (const line of headerText(block.subarray(0, MAX_HEADER_BYTES)).split('\n')) {
    if (line.startsWith(' ') || line.startsWith('\t')) { value += line; continue; } // RFC 5322 unfolding
    flush();
    const c = line.indexOf(':');
    name = c > 0 ? line.slice(0, c).trim().toLowerCase() : '';
    value = c > 0 ? line.slice(c + 1) : '';
  }
  flush();
  return out;
}

/** A quoted-string's content (backslash escapes removed), or a token as it is. */
const unquote = (v: string): string => v.startsWith('"') ? /^"((?:[^"\\]|\\[\s\S])*)/.exec(v)![1]!.replace(/\\([\s\S])/g, '$1') : v;

const hexVal = (c: number | undefined): number =>
  c === undefined ? -1 : c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x41 && c <= 0x46 ? c - 55 : c >= 0x61 && c <= 0x66 ? c - 87 : -1;

/** Percent-decoded bytes of an RFC 2231 section (a raw non-ASCII character counts as its UTF-8 bytes). */
function percentBytes(s: string, into: number[]): void {
  const b = encoder.encode(s);
  for (let i = 0; i < b.length; i++) {
    const hi = b[i] === 0x25 ? hexVal(b[i + 1]) : -1, lo = hi >= 0 ? hexVal(b[i + 2]) : -1;
    if (lo >= 0) { into.push((hi << 4) | lo); i += 2; } else into.push(b[i]!);
  }
}

function decodeCharset(bytes: number[], charset: string): string {
  const data = Uint8Array.from(bytes);
  try { return new TextDecoder(charset || 'utf-8').decode(data); } catch { return new TextDecoder('utf-8').decode(data); }
}

/** `value; a=1; b="x;y"` → value and parameters, with RFC 2231 continuations and charsets resolved. */
export function parseStructured(raw: string): Structured {
  const segs: string[] = [];
  let cur = '', quoted = false;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (quoted && ch === '\\' && i + 1 < raw.length) { cur += ch + raw[++i]; continue; }
    if (ch === '"') quoted = !quoted;
    if (ch === ';' && !quoted) { segs.push(cur); cur = ''; } else cur += ch;
  }
  segs.push(cur);
  const params: Record<string, string> = Object.create(null);
  for (const seg of segs.slice(1)) {
    const eq = seg.indexOf('=');
    const key = eq > 0 ? seg.slice(0, eq).trim().toLowerCase() : '';
    if (key && !(key in params)) params[key] = unquote(seg.slice(eq + 1).trim());
  }
  // RFC 2231: name*=charset'lang'%XX, name*0*=…; name*1*=…; name*0=… (literal section).
  const sections = new Map<string, { nr: number; value: string; encoded: boolean }[]>();
  for (const key of Object.keys(params)) {
    const m = /^([^*]+)\*(?:(\d{1,4})(\*)?)?$/.exec(key);
    if (!m) continue;
    const list = sections.get(m[1]!) ?? [];
    list.push({ nr: m[2] === undefined ? 0 : Number(m[2]), value: params[key]!, encoded: m[2] === undefined || m[3] === '*' });
    sections.set(m[1]!, list);
    delete params[key];
  }
  for (const [name, list] of sections) {
    list.sort((a, b) => a.nr - b.nr);
    let charset = 'utf-8', out = '', pending: number[] = []; // adjacent encoded sections decode together: a character may span two
    for (const [i, s] of list.entries()) {
      let v = s.value;
      const cs = i === 0 && s.encoded ? /^([^']*)'[^']*'(.*)$/s.exec(v) : null;
      if (cs) { charset = cs[1] || 'utf-8'; v = cs[2]!; }
      if (s.encoded) { percentBytes(v, pending); continue; }
      if (pending.length) { out += decodeCharset(pending, charset); pending = []; }
      out += v;
    }
    if (pending.length) out += decodeCharset(pending, charset);
    params[name] = out; // the RFC 2231 form wins over a plain parameter of the same name
  }
  return { value: segs[0]!.replace(/\([^()]*\)/g, '').trim().toLowerCase(), params };
}

function partInfo(block: Uint8Array, parent: Frame | null): Info {
  const h = contentHeaders(block);
  const ct = parseStructured(h.get('content-type') ?? '');
  const cd = parseStructured(h.get('content-disposition') ?? '');
  const fallback = parent?.subtype === 'digest' ? 'message/rfc822' : 'text/plain'; // RFC 2046 5.1.5
  const contentType = /^[^\s/]+\/[^\s/]+$/.test(ct.value) ? ct.value : fallback;
  const rawName = cd.params.filename || ct.params.name || '';
  // RFC 2183 2.8: an unknown disposition type is treated as attachment.
  const disposition = cd.value === '' ? 'none' : cd.value === 'inline' ? 'inline' : 'attachment';
  const cte = (h.get('content-transfer-encoding') ?? '').replace(/\([^()]*\)/g, '').toLowerCase().match(/[\w-]+/);
  const description = h.get('content-description');
  return {
    contentType, params: ct.params, disposition,
    filename: rawName ? (rawName.includes('=?') ? decodeWords(rawName) : rawName) : null,
    contentId: h.get('content-id') || null,
    description: description ? decodeWords(description) : null,
    transferEncoding: cte ? cte[0] : '',
    boundary: contentType.startsWith('multipart/') && ct.params.boundary ? ct.params.boundary : null,
  };
}

const B64 = new Int16Array(256).fill(-1);
for (const [i, c] of [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].entries()) B64[c.charCodeAt(0)] = i;

/** Lenient base64: non-alphabet bytes skipped, padding optional; '=' closes a unit (some mailers pad every line). */
export function decodeBase64(src: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil((src.length * 3) / 4));
  let o = 0, acc = 0, bits = 0;
  for (let i = 0; i < src.length; i++) {
    const v = src[i] === 0x3d ? -2 : B64[src[i]!]!;
    if (v === -2) { acc = 0; bits = 0; continue; }
    if (v < 0) continue;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) { bits -= 8; out[o++] = (acc >> bits) & 0xff; }
  }
  return out.slice(0, o);
}

/** Quoted-printable: soft breaks removed, =XX decoded, a stray '=' kept; hard breaks stay as written (CRLF or LF). */
export function decodeQuotedPrintable(src: Uint8Array): Uint8Array {
  const out = new Uint8Array(src.length);
  let o = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c !== 0x3d) { out[o++] = c; continue; }
    let j = i + 1; // '=' then blanks a transport may have added, then the line break: a soft break
    while (src[j] === 0x20 || src[j] === 0x09) j++;
    if (j >= src.length) { i = j; continue; } // '=' ending the part: no final line break
    if (src[j] === 0x0a) { i = j; continue; }
    if (src[j] === 0x0d && src[j + 1] === 0x0a) { i = j + 1; continue; }
    const hi = hexVal(src[i + 1]), lo = hexVal(src[i + 2]);
    if (hi >= 0 && lo >= 0) { out[o++] = (hi << 4) | lo; i += 2; } else out[o++] = c;
  }
  return out.slice(0, o);
}

function decodeBody(body: Uint8Array, cte: string): Uint8Array {
  if (cte.includes('base64')) return decodeBase64(body);
  if (cte.includes('quoted-printable')) return decodeQuotedPrintable(body);
  return body.slice(); // 7bit, 8bit, binary, unknown: the bytes as they are (a copy, not a view of the message)
}

function walk(raw: Uint8Array): MimeParts {
  const parts: MimeLeaf[] = [];
  const warned = new Map<ErrorCode, string>();
  const stack: Frame[] = [];
  // Boundary → innermost open level using it, so a `--…` line costs one lookup
  // whatever the depth (linear time); a frame remembers the level it shadows.
  const levels = new Map<string, number>();
  let longest = 0;
  let cur: Open | null = { hdrStart: 0, bodyStart: -1, parent: null }, info: Info | null = null, count = 1;

  const truncate = (to: number): void => {
    for (let f; stack.length > to && (f = stack.pop()!);) if (f.shadows === undefined) levels.delete(f.boundary); else levels.set(f.boundary, f.shadows);
  };
  // RFC 2046: `--boundary` or `--boundary--`, then optional blanks; the innermost match wins.
  const delimiter = (p: number, end: number): { level: number; close: boolean } | null => {
    let e = end;
    while (e > p + 2 && (raw[e - 1] === 0x20 || raw[e - 1] === 0x09)) e--;
    if (e - p - 2 > longest + 2) return null;
    const s = latin1.decode(raw.subarray(p + 2, e));
    const open = levels.get(s) ?? -1;
    const close = s.endsWith('--') ? levels.get(s.slice(0, -2)) ?? -1 : -1;
    return close > open ? { level: close, close: true } : open >= 0 ? { level: open, close: false } : null;
  };
  const leaf = (i: Info, body: Uint8Array, parent: Frame | null): void => {
    const isBody = (i.contentType === 'text/plain' || i.contentType === 'text/html') && i.disposition !== 'attachment' && !i.filename;
    const { boundary: _, ...rest } = i;
    parts.push({ ...rest, bytes: decodeBody(body, i.transferEncoding), isBody, related: !!parent?.related && !!i.contentId });
  };
  // `end`: where the part's content stops (the line break before a delimiter belongs to the delimiter).
  const finish = (o: Open, end: number): void => {
    if (o.bodyStart < 0) leaf(partInfo(raw.subarray(o.hdrStart, end), o.parent), new Uint8Array(0), o.parent);
    else leaf(info!, raw.subarray(o.bodyStart, Math.max(o.bodyStart, end)), o.parent);
  };

  for (let p = 0; p < raw.length;) {
    const lf = raw.indexOf(0x0a, p);
    const next = lf < 0 ? raw.length : lf + 1;
    let end = lf < 0 ? raw.length : lf;
    while (end > p && raw[end - 1] === 0x0d) end--;
    const hit = stack.length && raw[p] === 0x2d && raw[p + 1] === 0x2d ? delimiter(p, end) : null;
    if (hit) {
      if (cur) finish(cur, cur.bodyStart < 0 ? p : p - (raw[p - 2] === 0x0d ? 2 : 1));
      truncate(hit.close ? hit.level : hit.level + 1); // an outer delimiter also closes inner multiparts
      cur = null; // after a close delimiter: epilogue, ignored
      if (!hit.close) {
        if (count >= MAX_MIME_PARTS) { warned.set('E_TOO_LARGE', `more than ${MAX_MIME_PARTS} MIME parts; the rest was not read`); break; }
        cur = { hdrStart: next, bodyStart: -1, parent: stack[hit.level]! };
        count++;
      }
    } else if (cur && cur.bodyStart < 0 && end === p) { // the blank line ending a header block
      cur.bodyStart = next;
      info = partInfo(raw.subarray(cur.hdrStart, p), cur.parent);
      if (info.boundary !== null && stack.length < MAX_MIME_DEPTH) {
        const subtype = info.contentType.slice(10);
        const boundary = latin1.decode(encoder.encode(info.boundary));
        stack.push({ boundary, subtype, related: subtype === 'related' || !!cur.parent?.related, shadows: levels.get(boundary) });
        levels.set(boundary, stack.length - 1);
        longest = Math.max(longest, boundary.length);
        cur = null; // preamble, ignored
      } else if (info.boundary !== null) { // past the cap a multipart is kept whole, as one undecoded leaf
        warned.set('E_TOO_DEEP', `MIME parts nested deeper than ${MAX_MIME_DEPTH} levels were not split`);
      }
    }
    p = next;
  }
  if (cur) finish(cur, raw.length); // a missing close delimiter ends the part at the end of the message
  return { parts, warnings: [...warned].map(([code, message]) => ({ code, message })) };
}

/** Every leaf part of a raw message, in order, with its exactly decoded bytes. Throws only TamisError. */
export function listParts(raw: Uint8Array): MimeParts {
  try { return walk(raw); } catch (err) {
    throw new TamisError('E_EMAIL_INVALID', `MIME structure: ${(err as Error)?.message ?? String(err)}`, { cause: err });
  }
}
