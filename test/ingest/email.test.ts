import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { TamisError } from '../../src/core/errors.ts';
import { emailIngestor } from '../../src/ingest/email.ts';

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const run = (bytes: Uint8Array | string) =>
  emailIngestor.extract({ bytes: typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes, name: 'm.eml', ext: 'eml', mime: 'message/rfc822' });
const crlf = (lines: string[]): string => lines.join('\r\n');

/** Deterministic pseudo-random bytes (xorshift), so failures reproduce. */
function noise(n: number, seed = 0x9e3779b9): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

async function expectInvalid(bytes: Uint8Array | string): Promise<void> {
  const err = await run(bytes).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(TamisError);
  expect((err as TamisError).code).toBe('E_EMAIL_INVALID');
}

const pdfBytes = Buffer.concat([Buffer.from('%PDF-1.4\n'), noise(3000, 42)]);
const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64').replace(/.{76}/g, '$&\r\n');

const attached = crlf([
  'From: Dana <dana@example.com>',
  'To: andre@example.fr',
  'Subject: Original contract',
  'Date: Mon, 4 Mar 2024 09:00:00 +0000',
  '',
  'The signed contract is the reference.',
  '',
]);

const utf8Mixed = crlf([
  'Return-Path: <andre@example.fr>',
  'From: =?ISO-8859-1?Q?Andr=E9_Dupr=E9?= <andre@example.fr>',
  'To: "Bob" <bob@example.org>, carol@example.org',
  'Cc: Team: dave@example.org, erin@example.org;',
  'Subject: =?UTF-8?Q?Tr=C3=A9sorerie_2024?=',
  'Date: Tue, 5 Mar 2024 14:30:00 +0100',
  'Message-ID: <m1@example.fr>',
  'In-Reply-To: <m0@example.org>',
  'References: <a@example.org>\r\n <m0@example.org>',
  `X-Long: ${'x'.repeat(5000)}`,
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="OUTER"',
  '',
  '--OUTER',
  'Content-Type: multipart/alternative; boundary="ALT"',
  '',
  '--ALT',
  'Content-Type: text/plain; charset=utf-8',
  'Content-Transfer-Encoding: quoted-printable',
  '',
  'Montant d=C3=BB : 1 200 =E2=82=AC pour la tr=C3=A9sorerie.',
  '--ALT',
  'Content-Type: text/html; charset=utf-8',
  'Content-Transfer-Encoding: base64',
  '',
  Buffer.from('<p>Montant dû : 1 200 €</p>').toString('base64'),
  '--ALT--',
  '--OUTER',
  'Content-Type: application/pdf; name="relevé.pdf"',
  'Content-Disposition: attachment; filename*=utf-8\'\'relev%C3%A9.pdf',
  'Content-Transfer-Encoding: base64',
  '',
  b64(pdfBytes),
  '--OUTER',
  'Content-Type: message/rfc822',
  '',
  attached,
  '--OUTER--',
  '',
]);

describe('email ingestor', () => {
  it('scores message/rfc822 and .eml', () => {
    expect(emailIngestor.score({ mime: 'message/rfc822', ext: '' })).toBe(100);
    expect(emailIngestor.score({ mime: 'text/plain', ext: 'eml' })).toBe(10);
    expect(emailIngestor.score({ mime: 'text/plain', ext: 'txt' })).toBe(0);
  });

  it('extracts a UTF-8 multipart email: headers, QP body, attachments, attached message', async () => {
    const out = await run(Buffer.from(utf8Mixed));
    expect(out.title).toBe('Trésorerie 2024');
    expect(out.date).toBe('2024-03-05T13:30:00.000Z');
    expect(out.text).toContain('From: André Dupré <andre@example.fr>');
    expect(out.text).toContain('To: Bob <bob@example.org>, carol@example.org');
    expect(out.text).toContain('dave@example.org');
    expect(out.text).toContain('Montant dû : 1 200 € pour la trésorerie.');
    expect(out.meta).toMatchObject({
      from: { name: 'André Dupré', address: 'andre@example.fr' },
      to: [{ name: 'Bob', address: 'bob@example.org' }, { name: '', address: 'carol@example.org' }],
      cc: [{ address: 'dave@example.org', group: 'Team' }, { address: 'erin@example.org', group: 'Team' }],
      subject: 'Trésorerie 2024',
      date: 'Tue, 5 Mar 2024 14:30:00 +0100',
      messageId: '<m1@example.fr>',
      inReplyTo: '<m0@example.org>',
      references: ['<a@example.org>', '<m0@example.org>'],
      hasHtml: true,
    });
    const headers = out.meta.headers as [string, string][];
    expect(headers.slice(0, 3).map((h) => h[0])).toEqual(['Return-Path', 'From', 'To']);
    expect(headers.find((h) => h[0] === 'Subject')![1]).toBe('=?UTF-8?Q?Tr=C3=A9sorerie_2024?='); // raw
    expect(headers.find((h) => h[0] === 'X-Long')![1]).toHaveLength(2000);
    expect(out.meta.html).toContain('Montant dû');

    expect(out.children.map((c) => [c.name, c.role])).toEqual([['relevé.pdf', 'attachment'], ['part-2.eml', 'attachment']]);
    const pdf = out.children[0]!;
    expect(sha(pdf.bytes)).toBe(sha(pdfBytes)); // decoded bytes, not the base64
    expect(pdf.meta).toMatchObject({ contentType: 'application/pdf', disposition: 'attachment', related: false });
    const inner = out.children[1]!;
    expect(inner.meta).toMatchObject({ contentType: 'message/rfc822' });
    const nested = await run(inner.bytes);
    expect(nested.title).toBe('Original contract');
    expect(nested.text).toContain('The signed contract is the reference.');
  });

  it('decodes an ISO-8859-1 8-bit email with a B-encoded subject', async () => {
    const out = await run(crlf([
      'From: compta@example.fr',
      'To: direction@example.fr',
      'Subject: =?iso-8859-1?B?VHLpc29yZXJpZQ==?=',
      'Date: not a date at all',
      'Content-Type: text/plain; charset=iso-8859-1',
      'Content-Transfer-Encoding: 8bit',
      '',
      'Solde de tr\xe9sorerie : d\xe9ficit pr\xe9vu en ao\xfbt.',
      '',
    ]));
    expect(out.title).toBe('Trésorerie');
    expect(out.text).toContain('Solde de trésorerie : déficit prévu en août.');
    expect(out.date).toBeUndefined();
    expect(out.meta.date).toBe('not a date at all');
    expect(out.meta.hasHtml).toBe(false);
    expect(out.children).toEqual([]);
  });

  it('decodes a windows-1252 quoted-printable body (euro sign, curly quotes)', async () => {
    const out = await run(crlf([
      'From: "Trader" <t@example.com>',
      'Subject: =?windows-1252?Q?=93Bonus=94_=80?=',
      'Content-Type: text/plain; charset=windows-1252',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'Le =93bonus=94 s=92=E9l=E8ve =E0 50 000 =80.',
      '',
    ]));
    expect(out.title).toBe('“Bonus” €');
    expect(out.text).toContain('Le “bonus” s’élève à 50 000 €.');
  });

  it('turns an HTML-only body into text and keeps inline images as children', async () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), noise(200, 7)]);
    const out = await run(crlf([
      'From: news@example.com',
      'Subject: HTML only',
      'Content-Type: multipart/related; boundary="REL"',
      '',
      '--REL',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<html><head><style>p { color: red }</style><script>var secret = 1;</script></head>',
      '<body><p>Caf&eacute; &amp; cr&egrave;me &lt;ok&gt;</p><!-- hidden comment --><img src="cid:logo@x"><br>Line&nbsp;two</body></html>',
      '--REL',
      'Content-Type: image/png',
      'Content-ID: <logo@x>',
      'Content-Transfer-Encoding: base64',
      '',
      b64(png),
      '--REL--',
      '',
    ]));
    expect(out.text).toContain('Café & crème <ok>');
    expect(out.text).toContain('Line two');
    expect(out.text).not.toMatch(/secret|color|hidden comment|<p>/);
    expect(out.meta.hasHtml).toBe(true);
    expect(out.children).toHaveLength(1);
    const img = out.children[0]!;
    expect(img.name).toBe('part-1.png');
    expect(sha(img.bytes)).toBe(sha(png));
    expect(img.meta).toMatchObject({ contentType: 'image/png', contentId: '<logo@x>', related: true });
  });

  it('accepts maildir files and headers with folded lines', async () => {
    const out = await run('Received: from a\r\n\tby b; Tue, 5 Mar 2024 10:00:00 +0000\r\nSubject: folded\r\n subject\r\n\r\nbody\r\n');
    expect(out.title).toBe('folded subject');
  });

  it('rejects binary garbage and non-emails with E_EMAIL_INVALID', async () => {
    await expectInvalid(noise(64 * 1024));
    await expectInvalid(noise(200_000, 12345));
    await expectInvalid(Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), noise(5000)]));
    await expectInvalid(new Uint8Array(0));
    await expectInvalid('\r\n\r\nno headers at all\r\n');
    await expectInvalid('Just some prose: with a colon later\n\nand a body\n');
    await expectInvalid('a'.repeat(100_000));
    await expectInvalid('Subject: ok\0but a NUL\r\n\r\nbody');
    // A header-like start followed by binary must still not crash.
    const out = await run(Buffer.concat([Buffer.from('X-Junk: 1\r\n\r\n'), noise(10_000)]));
    expect(out.meta.headers).toEqual([['X-Junk', '1']]);
  });
});
