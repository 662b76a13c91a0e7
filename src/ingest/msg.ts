// Outlook .msg files: read like an email (subject, sender, recipients, dates,
// transport headers, body), attachments and embedded messages as children.
import MsgReaderModule from '@kenjiuno/msgreader';
import { TamisError } from '../core/errors.ts';
import type { Metadata } from '../core/types.ts';
import type { ChildOut, Ingestor } from './ingestor.ts';
import { headerText, type MailboxOut } from './email-headers.ts';
import { htmlToText } from './email-html-text.ts';
import { decodeCodePage } from './ole-property-set.ts';

/** The part of msgreader's field data tamis reads (its typings do not survive the CommonJS interop). */
interface Fields {
  error?: string; subject?: string; body?: string; headers?: string; senderName?: string; senderEmail?: string; senderSmtpAddress?: string;
  messageId?: string; messageClass?: string; creationTime?: string; lastModificationTime?: string; clientSubmitTime?: string;
  sentRepresentingSmtpAddress?: string; messageCodepage?: number; internetCodepage?: number; lastModifierName?: string;
  messageDeliveryTime?: string; name?: string; email?: string; smtpAddress?: string; recipType?: 'to' | 'cc' | 'bcc';
  recipients?: Fields[]; attachments?: Fields[]; fileName?: string; attachMimeTag?: string; innerMsgContent?: true;
  html?: Uint8Array; bodyHtml?: string;
}
interface Reader { parserConfig?: { ansiEncoding?: string }; getFileData(): Fields; getAttachment(attach: Fields): { fileName: string; content: Uint8Array } }
// The package is CommonJS: under Node's ESM loader the class sits one `default` deeper.
const MsgReader = ((MsgReaderModule as unknown as { default?: unknown }).default ?? MsgReaderModule) as unknown as new (data: ArrayBuffer) => Reader;

const MAX_ATTACHMENTS = 1000;

function headerPairs(raw: string | undefined): [string, string][] {
  if (!raw) return [];
  const out: [string, string][] = [];
  for (const line of raw.replace(/\r\n/g, '\n').split('\n')) {
    if (/^[ \t]/.test(line) && out.length) { out[out.length - 1]![1] += ' ' + line.trim(); continue; }
    const m = /^([!-9;-~]+):\s*(.*)$/.exec(line);
    if (m) out.push([m[1]!, m[2]!.slice(0, 2000)]);
  }
  return out;
}

/** Some messages keep only an HTML body (PR_HTML: bytes in the internet code page); search needs its text. */
function htmlBody(data: Fields): string {
  const html = data.bodyHtml ?? (data.html ? decodeCodePage(data.html, data.internetCodepage ?? 1252) : '');
  return html ? htmlToText(html) : '';
}

const addr = (r: Fields) => ({ name: r.name ?? '', address: (r.smtpAddress ?? r.email ?? '').toLowerCase() });
const isSmtp = (a: string | undefined): a is string => Boolean(a && /^[^\s@/]+@[^\s@]+$/.test(a));

/** Parses the .msg; 8-bit (PT_STRING8) properties are decoded with the message's code page when it names one. */
function open(bytes: Uint8Array): { reader: Reader; data: Fields } {
  const buf = () => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let reader = new MsgReader(buf());
  let data = reader.getFileData();
  const cp = data.messageCodepage ?? data.internetCodepage;
  if (!data.error && cp && cp !== 1200 && cp !== 65001) {
    // us-ascii and iso-8859-1 as declared by Outlook mean the Windows code page in practice.
    const again = new MsgReader(buf());
    again.parserConfig = { ansiEncoding: cp === 20127 || cp === 28591 ? 'windows1252' : `cp${cp}` };
    try {
      const d = again.getFileData();
      if (!d.error) { reader = again; data = d; }
    } catch { /* a code page iconv does not know: keep the first reading */ }
  }
  return { reader, data };
}

export const msgIngestor: Ingestor = {
  name: 'msg',
  score({ mime, ext }) {
    if (mime === 'application/vnd.ms-outlook') return 100;
    return ext === 'msg' ? 20 : 0;
  },
  async extract({ bytes }) {
    let reader: Reader;
    let data: Fields;
    try {
      ({ reader, data } = open(bytes));
    } catch (err) {
      throw new TamisError('E_MSG_INVALID', (err as Error).message);
    }
    if (data.error) throw new TamisError('E_MSG_INVALID', data.error);
    const recipients = (data.recipients ?? []).map((r) => ({ ...addr(r), type: r.recipType ?? 'to' }));
    const headers = headerPairs(data.headers);
    const headerFrom = /<([^<>\s]+@[^<>\s]+)>|([^\s<>,;"]+@[^\s<>,;"]+)/.exec(headers.find(([n]) => n.toLowerCase() === 'from')?.[1] ?? '');
    // Exchange senders carry an X.500 DN in senderEmail; the SMTP address is elsewhere, if stored at all.
    const smtp = [data.senderSmtpAddress, data.sentRepresentingSmtpAddress, data.senderEmail, headerFrom?.[1] ?? headerFrom?.[2]].find(isSmtp);
    const meta: Metadata = {
      from: { name: data.senderName ?? '', address: (smtp ?? data.senderEmail ?? '').toLowerCase() },
      senderSmtpAddress: smtp?.toLowerCase() ?? null, senderEmail: data.senderEmail ?? null, transportHeaders: data.headers ?? null,
      codePage: data.messageCodepage ?? data.internetCodepage ?? null,
      to: recipients.filter((r) => r.type === 'to'), cc: recipients.filter((r) => r.type === 'cc'), bcc: recipients.filter((r) => r.type === 'bcc'),
      subject: data.subject ?? null, messageId: data.messageId ?? null, headers,
      date: headers.find(([n]) => n.toLowerCase() === 'date')?.[1] ?? null,
      creationTime: data.creationTime ?? null, lastModificationTime: data.lastModificationTime ?? null,
      clientSubmitTime: data.clientSubmitTime ?? null, messageDeliveryTime: data.messageDeliveryTime ?? null,
      messageClass: data.messageClass ?? null,
    };
    const children: ChildOut[] = [];
    const warnings: { code: string; message: string; member?: string }[] = [];
    const used = new Set<string>();
    for (const [i, att] of (data.attachments ?? []).slice(0, MAX_ATTACHMENTS).entries()) {
      try {
        const got = reader.getAttachment(att);
        let name = got.fileName || att.fileName || att.name || `part-${i + 1}${att.innerMsgContent ? '.msg' : ''}`;
        if (att.innerMsgContent && !/\.msg$/i.test(name)) name += '.msg';
        while (used.has(name)) name = `${i + 1}-${name}`;
        used.add(name);
        children.push({ name, bytes: got.content, role: 'attachment', meta: { contentType: att.attachMimeTag ?? null, embeddedMessage: Boolean(att.innerMsgContent) } });
      } catch (err) {
        warnings.push({ code: 'E_MSG_INVALID', message: `attachment ${i + 1}: ${(err as Error).message}` });
      }
    }
    const head = headerText({ from: [meta.from as MailboxOut], to: recipients.filter((r) => r.type !== 'cc' && r.type !== 'bcc'), cc: recipients.filter((r) => r.type === 'cc'), bcc: recipients.filter((r) => r.type === 'bcc'), subject: data.subject });
    const sent = data.clientSubmitTime ?? data.messageDeliveryTime ?? data.creationTime;
    const body = data.body || htmlBody(data);
    return {
      title: data.subject || undefined,
      date: sent && Number.isFinite(Date.parse(sent)) ? new Date(sent).toISOString() : undefined,
      text: [head, body.replace(/\r\n?/g, '\n')].filter(Boolean).join('\n\n'),
      meta, children,
      ...(warnings.length ? { warnings } : {}),
    };
  },
};
