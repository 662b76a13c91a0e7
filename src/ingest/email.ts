// RFC 5322 messages (.eml, maildir files, mbox children) via postal-mime.
// The extraction keeps the headers raw and in order (analyzers need them for
// DKIM and forgery checks); every attachment, inline non-body part and
// attached message becomes a child with its decoded bytes. The children come
// from mime-parts.ts, not postal-mime: their SHA-256 must match the exact
// decoded MIME part, which postal-mime's attachment content does not always.
// Messages too large for memory take the same road in pieces: email-stream.ts.
import PostalMime, { type Email } from 'postal-mime';
import { TamisError } from '../core/errors.ts';
import type { ChildOut, Ingestor } from './ingestor.ts';
import { flattenAddresses, hasHeaderBlock, headerText, isoDate, messageIds } from './email-headers.ts';
import { htmlToText } from './email-html-text.ts';
import { listParts } from './mime-parts.ts';
import type { PartInfo } from './mime-headers.ts';
import { extensionForMime } from './mime-names.ts';

const MAX_HEADER_VALUE = 2000;
const MAX_HTML_CHARS = 1024 * 1024;

/** An attachment's file name, else `part-N` with an extension for its type (N counts the message's non-body parts). */
export function attachmentName(a: PartInfo, index: number): string {
  if (a.filename) return a.filename;
  // Attached messages must keep .eml even when the type is a variant (message/global).
  const ext = a.contentType.startsWith('message/rfc822') ? '.eml' : extensionForMime(a.contentType);
  return `part-${index + 1}${ext}`;
}

const PARSE_OPTIONS = { forceRfc822Attachments: true, attachmentEncoding: 'arraybuffer' } as const;

/** The header block alone (up to the first empty line), as a message with an empty body. */
function headersOnly(bytes: Uint8Array): Uint8Array {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const crlf = b.indexOf('\r\n\r\n');
  const lf = b.indexOf('\n\n');
  const end = crlf >= 0 && (lf < 0 || crlf < lf) ? crlf + 4 : lf >= 0 ? lf + 2 : b.length;
  return b.subarray(0, end);
}

/**
 * postal-mime refuses structures past its nesting limits; the message is then
 * read from its headers alone (the parts still come from mime-parts.ts, which
 * caps depth itself), with a warning, instead of losing the email.
 */
async function parseEmail(bytes: Uint8Array): Promise<{ email: Email; warning?: { code: string; message: string } }> {
  if (!hasHeaderBlock(bytes)) throw new TamisError('E_EMAIL_INVALID', 'no RFC 5322 header at the start of the file');
  try {
    return { email: await PostalMime.parse(bytes, PARSE_OPTIONS) };
  } catch (err) {
    const message = (err as Error).message;
    if (!/nesting depth|headers size/i.test(message)) throw new TamisError('E_EMAIL_INVALID', message, { cause: err });
    try {
      const email = await PostalMime.parse(headersOnly(bytes), PARSE_OPTIONS);
      return { email, warning: { code: 'E_TOO_DEEP', message: `body not read as text: ${message}` } };
    } catch (again) {
      throw new TamisError('E_EMAIL_INVALID', (again as Error).message, { cause: again });
    }
  }
}

export interface EmailFields {
  title?: string;
  date?: string;
  text: string;
  meta: Record<string, unknown>;
  /** Set when the body could not be read (postal-mime's nesting limits). */
  warning?: { code: 'E_TOO_DEEP'; message: string };
}

/** Headers, title, date and body text of a message: everything but its attachments. Throws E_EMAIL_INVALID. */
export async function readEmail(bytes: Uint8Array): Promise<EmailFields> {
  const { email, warning } = await parseEmail(bytes);
  const rawDate = email.headers.find((h) => h.key === 'date')?.value;
  const body = (email.text ?? (email.html ? htmlToText(email.html) : '')).replace(/\r\n?/g, '\n');
  const meta: Record<string, unknown> = {
    from: flattenAddresses(email.from)[0] ?? null,
    to: flattenAddresses(email.to),
    cc: flattenAddresses(email.cc),
    bcc: flattenAddresses(email.bcc),
    replyTo: flattenAddresses(email.replyTo),
    subject: email.subject ?? null,
    date: rawDate ?? null,
    messageId: email.messageId ?? null,
    inReplyTo: email.inReplyTo ?? null,
    references: messageIds(email.references),
    headers: email.headers.map((h) => [h.originalKey, h.value.slice(0, MAX_HEADER_VALUE)]),
    hasHtml: email.html !== undefined,
  };
  if (email.html !== undefined) {
    meta.html = email.html.slice(0, MAX_HTML_CHARS);
    if (email.html.length > MAX_HTML_CHARS) meta.htmlTruncated = true;
  }
  const head = headerText({ from: flattenAddresses(email.from), to: flattenAddresses(email.to), cc: flattenAddresses(email.cc), subject: email.subject });
  return {
    title: email.subject || undefined,
    date: isoDate(rawDate),
    text: head && body ? `${head}\n\n${body}` : head || body,
    meta,
    ...(warning ? { warning: warning as EmailFields['warning'] } : {}),
  };
}

/** What an email records about each attachment (shared with the streaming reader, email-stream.ts). */
export function attachmentMeta(a: PartInfo & { related: boolean }): Record<string, unknown> {
  return {
    contentType: a.contentType,
    disposition: a.disposition === 'none' ? null : a.disposition,
    contentId: a.contentId,
    related: a.related,
    ...(a.description ? { description: a.description } : {}),
  };
}

export const emailIngestor: Ingestor = {
  name: 'email',
  score({ mime, ext }) {
    if (mime === 'message/rfc822') return 100;
    return ext === 'eml' ? 10 : 0;
  },
  async extract({ bytes }) {
    const { warning, ...fields } = await readEmail(bytes);
    const { parts, warnings } = listParts(bytes);
    if (warning) warnings.unshift(warning);
    // Body parts are rendered into `text` by postal-mime; every other leaf is a child.
    const children: ChildOut[] = parts.filter((p) => !p.isBody).map((a, i) => ({
      name: attachmentName(a, i), bytes: a.bytes, role: 'attachment', meta: attachmentMeta(a),
    }));
    return { ...fields, children, ...(warnings.length ? { warnings } : {}) };
  },
};
