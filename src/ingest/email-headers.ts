// Header-level helpers for the email ingestor: deciding whether bytes are an
// email at all (postal-mime parses anything, even a JPEG, into an empty
// message), dates, and address lists.
import type { Address } from 'postal-mime';

const HEADER_SCAN_LIMIT = 64 * 1024;
// RFC 5322 2.2: field name = printable ASCII except ':' (and no space);
// obsolete syntax (RFC 5322 4.5) allows blanks before the colon.
const HEADER_LINE = /^[\x21-\x39\x3b-\x7e]+[ \t]*:/;
const latin1 = new TextDecoder('latin1');

/**
 * True when the bytes open with an RFC 5322 header block: within the first
 * 64 KiB, before the first empty line, the first line (after an optional BOM
 * and mbox `From ` envelope line) is a `Name: value` header and no line holds
 * a NUL byte. Requiring the *first* line to be a header, not just any line,
 * is what keeps random binary out: a stray `x:` somewhere in 64 KiB of
 * garbage is likely, one at the very start is not.
 */
export function hasHeaderBlock(bytes: Uint8Array): boolean {
  const limit = Math.min(bytes.length, HEADER_SCAN_LIMIT);
  let p = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  let headers = 0;
  let first = true;
  while (p < limit) {
    let e = bytes.indexOf(0x0a, p);
    if (e === -1 || e > limit) e = limit;
    let lineEnd = e;
    if (lineEnd > p && bytes[lineEnd - 1] === 0x0d) lineEnd--;
    if (lineEnd === p) break; // the empty line ending the header block
    const line = bytes.subarray(p, lineEnd);
    if (line.includes(0)) return false;
    // Only the start of the line decides; decode a little of it.
    const head = latin1.decode(line.subarray(0, 1024));
    if (first && head.startsWith('From ')) {
      first = false;
    } else if (HEADER_LINE.test(head)) {
      headers++;
    } else if (headers === 0) {
      return false; // the first line is neither envelope nor header
    }
    // Later non-header lines (folded continuations, sloppy wrapping) are
    // accepted: postal-mime copes with them and real mail has them.
    first = false;
    p = e + 1;
  }
  return headers > 0;
}

/** ISO-8601 for a Date header value, or undefined when it does not parse. */
export function isoDate(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const t = Date.parse(raw.trim());
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

export interface MailboxOut { name: string; address: string; group?: string }

/** Group members are flattened (keeping the group name) so every address is listed. */
export function flattenAddresses(list: readonly Address[] | Address | undefined): MailboxOut[] {
  if (!list) return [];
  const out: MailboxOut[] = [];
  for (const a of Array.isArray(list) ? list : [list as Address]) {
    if (a.group) for (const m of a.group) out.push({ name: m.name, address: m.address, group: a.name });
    else out.push({ name: a.name, address: a.address ?? '' });
  }
  return out;
}

export const formatAddress = (a: MailboxOut): string =>
  a.name && a.address ? `${a.name} <${a.address}>` : a.name || a.address;

/** From/To/Cc/Subject as text lines, so names and addresses are searchable (emails and Outlook messages alike). */
export function headerText(h: { from: MailboxOut[]; to: MailboxOut[]; cc: MailboxOut[]; bcc?: MailboxOut[]; subject: string | undefined }): string {
  const lines: string[] = [];
  const add = (label: string, value: string): void => { if (value) lines.push(`${label}: ${value}`); };
  add('From', h.from.map(formatAddress).join(', '));
  add('To', h.to.map(formatAddress).join(', '));
  add('Cc', h.cc.map(formatAddress).join(', '));
  add('Bcc', (h.bcc ?? []).map(formatAddress).join(', '));
  add('Subject', h.subject ?? '');
  return lines.join('\n');
}

/** Message-IDs in a References / In-Reply-To value, in order. */
export function messageIds(value: string | undefined): string[] {
  if (!value) return [];
  const ids = value.match(/<[^<>\s]+>/g);
  return ids ? [...ids] : value.split(/\s+/).filter(Boolean);
}
