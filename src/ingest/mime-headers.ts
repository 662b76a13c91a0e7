// The Content-* headers of one MIME part, as the byte-exact walkers read them
// (mime-parts.ts in memory, mime-stream.ts from a file): type, parameters
// with RFC 2231 continuations and charsets, disposition, file name.
import { decodeWords } from 'postal-mime';

// Only the start of a runaway header block is parsed (postal-mime caps headers too).
export const MAX_HEADER_BYTES = 256 * 1024;

interface Structured { value: string; params: Record<string, string> }
/** An open multipart level: its boundary, and the level it shadows when an inner part reuses the boundary. */
export interface Frame { boundary: string; subtype: string; related: boolean; shadows: number | undefined }

export interface PartInfo {
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
}
export type Info = PartInfo & { boundary: string | null };

const utf8 = new TextDecoder('utf-8', { fatal: true });
const cp1252 = new TextDecoder('windows-1252');
const encoder = new TextEncoder();

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

export const hexVal = (c: number | undefined): number =>
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

export function partInfo(block: Uint8Array, parent: Frame | null): Info {
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

/** text/plain or text/html, not an attachment, no filename: body text, rendered by postal-mime. */
export const isBodyPart = (i: PartInfo): boolean =>
  (i.contentType === 'text/plain' || i.contentType === 'text/html') && i.disposition !== 'attachment' && !i.filename;

// One char per byte (WHATWG "latin1" is windows-1252, still one char per byte): delimiter lines are compared as strings.
export const latin1 = new TextDecoder('latin1');

/** A multipart's boundary as the walkers compare it with a delimiter line decoded by `latin1`. */
export const boundaryKey = (boundary: string): string => latin1.decode(encoder.encode(boundary));
