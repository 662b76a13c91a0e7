// The byte-level MIME walker against the fixture builder (the oracle for
// decoded attachment bytes) and against hand-written edge cases.
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { TamisError } from '../../src/core/errors.ts';
import { emailIngestor } from '../../src/ingest/email.ts';
import { decodeBase64, decodeQuotedPrintable, listParts, MAX_MIME_PARTS } from '../../src/ingest/mime-parts.ts';
import { attachmentTree, buildMessage, type MailSpec } from '../fixtures/mime-builder.ts';
import { encodeText } from '../fixtures/mime-encode.ts';

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const bytesOf = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));
const crlf = (lines: string[]): Uint8Array => bytesOf(lines.join('\r\n'));
const children = (raw: Uint8Array) => listParts(raw).parts.filter((p) => !p.isBody);

function spec(over: Partial<MailSpec> = {}): MailSpec {
  return {
    from: { name: 'Hélène Dupré', email: 'h.dupre@example.fr' }, to: [{ email: 'f.lefevre@example.fr' }],
    subject: 'Ordre du jour', date: 'Fri, 05 May 2017 14:32:10 +0200', messageId: 'abc.1@example.fr',
    headerCharset: 'utf-8', headerEncoding: 'Q', text: { text: 'Bonjour,\nvoici le document.\n', charset: 'utf-8', encoding: 'quoted-printable' },
    ...over,
  };
}

const qpText = encodeText(`Ordre du jour\r\n\r\n1. Trésorerie =  prévisions\r\n2. ${'très long '.repeat(20)}\r\n\tfin \r\n`, 'utf-8');
const inner = spec({ subject: 'Original', messageId: 'inner.2@example.fr', attachments: [{ type: 'file', filename: 'note.txt', contentType: 'text/plain', data: qpText, encoding: 'quoted-printable' }] });

describe('listParts against the fixture builder', () => {
  for (const eol of ['\r\n', '\n'] as const) {
    it(`gives every attachment its exact decoded bytes (${eol === '\n' ? 'LF-only' : 'CRLF'} message)`, () => {
      const s = spec({
        eol,
        html: { text: '<p>Bonjour</p>', charset: 'utf-8', encoding: 'base64' },
        attachments: [
          // QP only with CRLF: an LF-only message writes hard breaks as LF, and those decode as LF (below).
          { type: 'file', filename: 'ordre-du-jour.txt', contentType: 'text/plain; charset=UTF-8', data: qpText, ...(eol === '\r\n' ? { encoding: 'quoted-printable' as const } : {}) },
          { type: 'file', filename: 'prévision budget.xlsx', contentType: 'application/octet-stream', data: new Uint8Array([0, 1, 2, 255, 13, 10]), filenameStyle: 'rfc2231' },
          { type: 'file', filename: 'relevé.pdf', contentType: 'application/pdf', data: bytesOf('%PDF-1.4\n\xe9\x00'), filenameStyle: 'rfc2047' },
          { type: 'message', filename: 'message-transféré.eml', message: inner },
        ],
      });
      const raw = buildMessage(s);
      const tree = attachmentTree(s);
      const got = children(raw);
      expect(got.map((p) => p.filename)).toEqual(tree.map((a) => a.filename));
      expect(got.map((p) => sha(p.bytes))).toEqual(tree.map((a) => sha(a.bytes)));
      expect(listParts(raw).parts.filter((p) => p.isBody).map((p) => p.contentType)).toEqual(['text/plain', 'text/html']);
      expect(listParts(raw).warnings).toEqual([]);
    });
  }

  it('decodes a QP text attachment with CRLF hard breaks to CRLF bytes', () => {
    const raw = buildMessage(spec({ attachments: [{ type: 'file', filename: 'a.txt', contentType: 'text/plain', data: qpText, encoding: 'quoted-printable' }] }));
    const [a] = children(raw);
    expect(a!.transferEncoding).toBe('quoted-printable');
    expect(Buffer.from(a!.bytes).equals(Buffer.from(qpText))).toBe(true);
    // Hard breaks are kept as the raw part writes them: LF in an LF-only message.
    const lf = children(bytesOf(Buffer.from(raw).toString('latin1').replace(/\r\n/g, '\n')));
    expect(Buffer.from(lf[0]!.bytes).equals(Buffer.from(Buffer.from(qpText).toString('latin1').replace(/\r\n/g, '\n'), 'latin1'))).toBe(true);
  });

  it('keeps an attached message/rfc822 without the CRLF that belongs to the closing delimiter', () => {
    const raw = buildMessage(spec({ attachments: [{ type: 'message', filename: 'fwd.eml', message: inner }] }));
    const [m] = children(raw);
    const expected = buildMessage(inner);
    expect(m!.contentType).toBe('message/rfc822');
    expect(m!.bytes.length).toBe(expected.length);
    expect(sha(m!.bytes)).toBe(sha(expected));
  });

  it('keeps windows-1252 and iso-8859-1 text attachments in their own bytes (no re-encoding)', () => {
    const cp = encodeText('“Bonus” € s’élève\r\n', 'windows-1252');
    const latin = encodeText('Trésorerie : déficit prévu en août\r\n', 'iso-8859-1');
    const raw = buildMessage(spec({ attachments: [
      { type: 'file', filename: 'cp.txt', contentType: 'text/plain; charset=windows-1252', data: cp, encoding: 'quoted-printable' },
      { type: 'file', filename: 'latin.txt', contentType: 'text/plain; charset=iso-8859-1', data: latin },
    ] }));
    const [a, b] = children(raw);
    expect(sha(a!.bytes)).toBe(sha(cp));
    expect(sha(b!.bytes)).toBe(sha(latin));
    expect(a!.params.charset).toBe('windows-1252');
    // An 8bit part: the raw bytes, untouched.
    const eight = children(crlf(['Content-Type: multipart/mixed; boundary=B', '', '--B', '', 'body', '--B',
      'Content-Type: text/plain; charset=iso-8859-1', 'Content-Disposition: attachment; filename=l.txt', 'Content-Transfer-Encoding: 8bit', '',
      'd\xe9ficit \x80\r\nfin', '--B--', '']));
    expect([...eight[0]!.bytes]).toEqual([...bytesOf('d\xe9ficit \x80\r\nfin')]);
  });

  it('gives the email ingestor children with the exact bytes and the usual names', async () => {
    const s = spec({ attachments: [
      { type: 'file', filename: 'ordre-du-jour.txt', contentType: 'text/plain', data: qpText, encoding: 'quoted-printable' },
      { type: 'message', filename: 'fwd.eml', message: inner },
    ] });
    const out = await emailIngestor.extract({ bytes: buildMessage(s), name: 'm.eml', ext: 'eml', mime: 'message/rfc822' });
    expect(out.children.map((c) => [c.name, sha(c.bytes)])).toEqual(attachmentTree(s).map((a) => [a.filename, sha(a.bytes)]));
    expect(out.text).toContain('voici le document.');
  });
});

describe('listParts edge cases', () => {
  it('joins RFC 2231 continuations with a charset, and decodes RFC 2047 names', () => {
    const raw = crlf(['Content-Type: multipart/mixed; boundary="b"', '', '--b',
      'Content-Type: application/vnd.ms-excel', 'Content-Disposition: attachment;',
      " filename*0*=UTF-8''pr%C3%A9vi; filename*1*=sion%20%E2%82;", ' filename*2*=%AC.xls; filename*3=" (v2)"', '', 'x', '--b',
      'Content-Type: application/pdf; name="=?ISO-8859-1?Q?relev=E9?= =?ISO-8859-1?Q?_2017.pdf?="', '', 'y', '--b',
      "Content-Type: text/plain; name*=iso-8859-1'fr'd%E9j%E0.txt", '', 'z', '--b--', '']);
    expect(children(raw).map((p) => p.filename)).toEqual(['prévision €.xls (v2)', 'relevé 2017.pdf', 'déjà.txt']);
  });

  it('walks mixed > alternative > related, marking body parts and inline resources', () => {
    const raw = crlf([
      'From: a@example.org', 'Content-Type: multipart/mixed; boundary="M"', '', 'preamble', '--M',
      'Content-Type: multipart/alternative; boundary="A"', '', '--A', 'Content-Type: text/plain', '', 'plain', '--A',
      'Content-Type: multipart/related; boundary="R"', '', '--R', 'Content-Type: text/html', '', '<img src="cid:i">', '--R',
      'Content-Type: image/png', 'Content-ID: <i>', 'Content-Transfer-Encoding: base64', '', 'iVBORw0KGgo=', '--R--', '--A--',
      '--M', 'Content-Type: text/csv; name="t.csv"', '', 'a;b', '--M--', 'epilogue', '']);
    const { parts } = listParts(raw);
    expect(parts.map((p) => [p.contentType, p.isBody, p.related])).toEqual([
      ['text/plain', true, false], ['text/html', true, false], ['image/png', false, true], ['text/csv', false, false]]);
    expect([...parts[2]!.bytes]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(parts[2]!.contentId).toBe('<i>');
    expect(Buffer.from(parts[3]!.bytes).toString()).toBe('a;b');
  });

  it('does not split on a boundary string inside a body line without the leading --', () => {
    const raw = crlf(['Content-Type: multipart/mixed; boundary="QUJD"', '', '--QUJD', 'Content-Type: application/octet-stream',
      'Content-Transfer-Encoding: base64', '', 'QUJDQUJD', 'QUJD', ' --QUJD', '--QUJDx', '--QUJD--', '']);
    const [p] = children(raw);
    expect(Buffer.from(p!.bytes).toString('latin1')).toBe(Buffer.from('QUJDQUJDQUJDQUJDQUJDx', 'base64').toString('latin1'));
  });

  it('accepts delimiters with trailing blanks and ends the last part at the end when the close delimiter is missing', () => {
    const raw = crlf(['Content-Type: multipart/mixed; boundary=b', '', '--b \t', 'Content-Type: application/pdf', '', '%PDF-1', '--b',
      'Content-Type: application/zip', '', 'PK\x03\x04', 'tail']);
    expect(children(raw).map((p) => Buffer.from(p.bytes).toString('latin1'))).toEqual(['%PDF-1', 'PK\x03\x04\r\ntail']);
  });

  it('treats an outer delimiter as closing unterminated inner multiparts', () => {
    const raw = crlf(['Content-Type: multipart/mixed; boundary=o', '', '--o', 'Content-Type: multipart/mixed; boundary=i', '', '--i',
      'Content-Type: image/gif', '', 'GIF89a', '--o', 'Content-Type: image/jpeg', '', 'JFIF', '--o--']);
    expect(children(raw).map((p) => [p.contentType, Buffer.from(p.bytes).toString()])).toEqual([['image/gif', 'GIF89a'], ['image/jpeg', 'JFIF']]);
  });

  it('stops descending past the depth cap of 10,000 nested multiparts, fast and with a warning', () => {
    const n = 10_000;
    let head = 'Content-Type: multipart/mixed; boundary="b0"\r\n\r\n';
    for (let i = 1; i < n; i++) head += `--b${i - 1}\r\nContent-Type: multipart/mixed; boundary="b${i}"\r\n\r\n`;
    let tail = `--b${n - 1}\r\nContent-Type: application/pdf\r\n\r\n%PDF\r\n`;
    for (let i = n - 1; i >= 0; i--) tail += `--b${i}--\r\n`;
    const t = performance.now();
    const { parts, warnings } = listParts(bytesOf(head + tail));
    expect(performance.now() - t).toBeLessThan(2000);
    expect(warnings.map((w) => w.code)).toEqual(['E_TOO_DEEP']);
    expect(parts).toHaveLength(1);
    expect(parts[0]!.contentType).toBe('multipart/mixed');
  });

  it('stops after the part-count cap with a warning', () => {
    const body = Array.from({ length: MAX_MIME_PARTS + 5 }, () => '--b\r\nContent-Type: image/png\r\n\r\nx\r\n').join('');
    const { parts, warnings } = listParts(bytesOf(`Content-Type: multipart/mixed; boundary=b\r\n\r\n${body}--b--\r\n`));
    expect(parts.length).toBeLessThanOrEqual(MAX_MIME_PARTS);
    expect(warnings.map((w) => w.code)).toEqual(['E_TOO_LARGE']);
  });

  it('decodes lenient base64 and quoted-printable', () => {
    expect(Buffer.from(decodeBase64(bytesOf('SGV sbG8*\r\nhello!'))).toString('latin1')).toBe(Buffer.from('SGVsbG8hello', 'base64').toString('latin1'));
    expect(Buffer.from(decodeBase64(bytesOf('YQ==\r\nYg==\r\nYw'))).toString()).toBe('abc'); // padded units, missing pad
    const qp = decodeQuotedPrintable(bytesOf('a=3D=\r\nb =  \r\nc=\nd=ZZ=4\r\n=e9=E9\n='));
    expect(Buffer.from(qp).toString('latin1')).toBe('a=b cd=ZZ=4\r\n\xe9\xe9\n');
  });

  it('never throws anything but a TamisError on garbage', () => {
    let x = 0x2545f491;
    const rnd = (): number => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x; };
    const valid = buildMessage(spec({ html: { text: '<p>x</p>', charset: 'utf-8', encoding: 'quoted-printable' }, attachments: [{ type: 'message', filename: 'f.eml', message: inner }] }));
    const inputs: Uint8Array[] = [new Uint8Array(0), bytesOf('--'), bytesOf('\n\n\n'), bytesOf('Content-Type: multipart/mixed; boundary=""\r\n\r\n--\r\n')];
    for (let k = 0; k < 200; k++) {
      const b = Uint8Array.from(valid);
      for (let j = 0; j < 20; j++) b[rnd() % b.length] = rnd() & 0xff;
      inputs.push(b, b.subarray(0, rnd() % b.length), Uint8Array.from({ length: 2000 }, () => rnd() & 0xff));
    }
    for (const input of inputs) {
      try { listParts(input); } catch (err) { expect(err).toBeInstanceOf(TamisError); }
    }
  });
});
