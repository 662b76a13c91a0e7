// Guess an item's MIME type: magic bytes first, the name's extension second.
// Leaks are full of misnamed files (maildir messages with no extension, .doc
// files that are really RTF or HTML), so the extension only breaks ties the
// bytes cannot: which text format a text file is, which Office format an
// unlabelled binary is. Reads only the first 8 KiB, plus a bounded scan of a
// zip's entry names / an OLE2 directory.
import { detectBom, guessUtf16, isValidUtf8 } from './charset.ts';
import { oleMime, zipMime } from './sniff-containers.ts';

const HEAD = 8192;

/** Extension hints for text content whose bytes cannot tell (CSV vs plain...). */
const TEXT_BY_EXT: Record<string, string> = {
  csv: 'text/csv', tsv: 'text/tab-separated-values', tab: 'text/tab-separated-values',
  md: 'text/markdown', markdown: 'text/markdown', eml: 'message/rfc822', mbox: 'application/mbox', mbx: 'application/mbox',
  htm: 'text/html', html: 'text/html', xhtml: 'text/html', xml: 'application/xml', json: 'application/json',
  ics: 'text/calendar', vcf: 'text/vcard', svg: 'image/svg+xml',
};
/** Extension hints for binary content with no magic we know (damaged or exotic files). */
const BINARY_BY_EXT: Record<string, string> = {
  pdf: 'application/pdf', doc: 'application/msword', xls: 'application/vnd.ms-excel', ppt: 'application/vnd.ms-powerpoint',
  msg: 'application/vnd.ms-outlook', rtf: 'application/rtf', zip: 'application/zip', gz: 'application/gzip', tgz: 'application/gzip',
  tar: 'application/x-tar', '7z': 'application/x-7z-compressed', rar: 'application/vnd.rar',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
};

/**
 * Lower-case last extension ('x.tar.gz' -> 'gz'). Only short alphanumeric
 * tails count: maildir names such as '1700000000.M1P2.host:2,S' have none.
 */
export function extensionOf(name: string): string {
  const base = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  const ext = dot <= 0 ? '' : base.slice(dot + 1).toLowerCase();
  return /^[a-z0-9]{1,10}$/.test(ext) ? ext : '';
}

function at(b: Uint8Array, offset: number, sig: string | number[]): boolean {
  const bytes = typeof sig === 'string' ? Array.from(sig, (c) => c.charCodeAt(0)) : sig;
  if (offset + bytes.length > b.length) return false;
  return bytes.every((x, i) => b[offset + i] === x);
}

/** A v7/ustar header whose checksum adds up (old tars have no "ustar" magic). */
function tarChecksumOk(b: Uint8Array): boolean {
  if (b.length < 512 || b[0] === 0) return false;
  const field = new TextDecoder('latin1').decode(b.subarray(148, 156)).replace(/[\0 ]+$/, '').trim();
  if (!/^[0-7]{1,7}$/.test(field)) return false;
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : b[i]!;
  return sum === Number.parseInt(field, 8);
}

function isoBmff(b: Uint8Array): string | undefined {
  if (!at(b, 4, 'ftyp')) return undefined;
  const brand = new TextDecoder('latin1').decode(b.subarray(8, 12));
  if (/^(heic|heix|hevc|hevx|heim|heis|hevm|hevs)$/.test(brand)) return 'image/heic';
  if (/^(mif1|msf1)$/.test(brand)) return 'image/heif';
  if (brand === 'avif') return 'image/avif';
  if (brand === 'qt  ') return 'video/quicktime';
  if (brand.startsWith('M4A')) return 'audio/mp4';
  return 'video/mp4';
}

/** Formats recognised by fixed bytes at fixed offsets. */
function magic(b: Uint8Array, ext: string): string | undefined {
  if (at(b, 0, 'PK\x03\x04') || at(b, 0, 'PK\x05\x06') || at(b, 0, 'PK\x07\x08')) return zipMime(b, ext);
  if (at(b, 0, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return oleMime(b, ext);
  if (at(b, 0, [0x1f, 0x8b])) return 'application/gzip';
  if (at(b, 257, 'ustar')) return 'application/x-tar';
  if (at(b, 0, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])) return 'application/x-7z-compressed';
  if (at(b, 0, 'Rar!\x1a\x07')) return 'application/vnd.rar';
  if (at(b, 0, 'BZh') && b[3]! >= 0x31 && b[3]! <= 0x39) return 'application/x-bzip2';
  if (at(b, 0, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])) return 'application/x-xz';
  if (at(b, 0, '{\\rtf')) return 'application/rtf';
  if (at(b, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (at(b, 0, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (at(b, 0, 'GIF87a') || at(b, 0, 'GIF89a')) return 'image/gif';
  if (at(b, 0, 'II*\0') || at(b, 0, 'MM\0*') || at(b, 0, 'II+\0')) return 'image/tiff';
  if (at(b, 0, 'RIFF') && at(b, 8, 'WEBP')) return 'image/webp';
  if (at(b, 0, 'RIFF') && at(b, 8, 'WAVE')) return 'audio/wav';
  if (at(b, 0, 'BM') && b.length > 14 && at(b, 6, [0, 0, 0, 0])) return 'image/bmp';
  const bmff = isoBmff(b);
  if (bmff) return bmff;
  if (at(b, 0, 'ID3') && b[3]! >= 2 && b[3]! <= 4 && b[4] !== 0xff) return 'audio/mpeg';
  if (at(b, 0, '!BDN')) return 'application/vnd.ms-outlook-pst';
  if (at(b, 0, [0xff, 0x57, 0x50, 0x43])) return 'application/vnd.wordperfect';
  if (at(b, 0, '%PDF-')) return 'application/pdf';
  // A .pdf whose header line was lost still opens with a comment and "n 0 obj".
  if (ext === 'pdf' && b[0] === 0x25 && /\d+\s+\d+\s+obj\b/.test(new TextDecoder('latin1').decode(b.subarray(0, 1024)))) {
    return 'application/pdf';
  }
  if (tarChecksumOk(b)) return 'application/x-tar';
  return undefined;
}

/** The head as text, or undefined when it looks binary. */
function headText(b: Uint8Array): string | undefined {
  const head = b.subarray(0, HEAD);
  const bom = detectBom(head);
  if (bom) return new TextDecoder(bom.charset).decode(head.subarray(bom.length));
  if (head.includes(0)) {
    const u16 = guessUtf16(head);
    return u16 ? new TextDecoder(u16).decode(head) : undefined;
  }
  if (isValidUtf8(head, true)) return new TextDecoder('utf-8').decode(head);
  // Legacy 8-bit text: allow high bytes, but few C0 controls.
  let controls = 0;
  for (const x of head) if ((x < 0x20 && x !== 0x09 && x !== 0x0a && x !== 0x0d && x !== 0x0c && x !== 0x1b) || x === 0x7f) controls++;
  return controls <= head.length / 100 ? new TextDecoder('windows-1252').decode(head) : undefined;
}

const FROM_LINE = /^From \S.{0,300}? (?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),? +(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +\d{1,2} /;
const HEADER = /^([!-9;-~]{1,76}):/;
const MAIL_HEADER = /^(received|from|return-path|message-id|date|subject|mime-version|delivered-to|to|cc|reply-to|sender|dkim-signature|x-[!-9;-~]*)$/i;

/** Lines up to the first blank one are all header lines, and one is a mail header. */
function looksLikeEmail(lines: string[], truncated: boolean, from = 0): boolean {
  let i = from;
  while (i < lines.length && lines[i]!.trim() === '') i++;
  let headers = 0;
  let known = false;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') break;
    if (line[0] === ' ' || line[0] === '\t') {
      if (headers === 0) return false;
      continue;
    }
    const m = HEADER.exec(line);
    if (!m) {
      // The 8 KiB head may cut the last line; a long valid block tolerates one stray line.
      if ((truncated && i === lines.length - 1) || (headers >= 3 && known)) break;
      return false;
    }
    headers++;
    if (MAIL_HEADER.test(m[1]!)) known = true;
  }
  return headers > 0 && known;
}

/** Skip leading whitespace and comments; undefined if a comment never ends. */
function skipProlog(s: string): string {
  let t = s.trimStart();
  for (let n = 0; n < 16 && t.startsWith('<!--'); n++) {
    const end = t.indexOf('-->');
    if (end === -1) return t;
    t = t.slice(end + 3).trimStart();
  }
  return t;
}

function textMime(text: string, ext: string, truncated: boolean): string {
  const lines = text.split('\n', 200).map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  if (lines[0]!.startsWith('From ') && (FROM_LINE.test(lines[0]!.slice(0, 400)) || looksLikeEmail(lines, truncated, 1))) {
    // A lone message saved with its envelope line is still an .eml to its owner.
    return ext === 'eml' ? 'message/rfc822' : 'application/mbox';
  }
  if (looksLikeEmail(lines, truncated)) return 'message/rfc822';
  let t = skipProlog(text);
  if (/^<(!doctype\s+html|html|head|body)[\s>]/i.test(t)) return 'text/html';
  if (/^<\?xml[\s?]/i.test(t)) {
    const end = t.indexOf('?>');
    t = skipProlog(end === -1 ? '' : t.slice(end + 2));
    if (/^<(!doctype\s+html|html)[\s>]/i.test(t)) return 'text/html';
    if (/^<(!doctype\s+svg|svg)[\s>]/i.test(t)) return 'image/svg+xml';
    return 'application/xml';
  }
  return TEXT_BY_EXT[ext] ?? 'text/plain';
}

/** Text formats that a stray "%PDF-" in their first KiB must not override. */
const STRUCTURED = new Set(['message/rfc822', 'application/mbox', 'text/html', 'application/xml', 'image/svg+xml']);

export function sniff(bytes: Uint8Array, name: string): { mime: string; ext: string } {
  const ext = extensionOf(name);
  const byMagic = magic(bytes, ext);
  if (byMagic) return { mime: byMagic, ext };
  // %PDF- may follow a prefix (AppleSingle header, gateway junk): accepted
  // within the first KiB unless the item is clearly a mail or markup file.
  const pdfLater = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 1024)).includes('%PDF-');
  const text = bytes.length === 0 ? undefined : headText(bytes);
  if (text !== undefined) {
    const mime = textMime(text, ext, bytes.length > HEAD);
    return { mime: pdfLater && !STRUCTURED.has(mime) ? 'application/pdf' : mime, ext };
  }
  if (pdfLater) return { mime: 'application/pdf', ext };
  return { mime: BINARY_BY_EXT[ext] ?? 'application/octet-stream', ext };
}
