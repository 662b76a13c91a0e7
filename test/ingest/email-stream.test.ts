// An email read as a stream (the road a .eml over the streaming threshold
// takes) gives the same item as the same email read whole by the email
// ingestor: headers metadata, title, date, text, and children with the same
// names, metadata and SHA-256. Messages are a few MB, forced onto the
// streaming road by a lowered threshold; the extraction is the worker's own
// (runExtract) with a real blob store.
import { afterAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_LIMITS } from '../../src/core/limits.ts';
import { runExtract, type ExtractRequest, type ExtractResponse } from '../../src/ingest/extract-task.ts';
import { LocalBlobStore } from '../../src/store/blobs/local-blob-store.ts';
import { buildMessage, type MailSpec } from '../fixtures/mime-builder.ts';
import { encodeText } from '../fixtures/mime-encode.ts';
import { tempDir } from '../helpers/tmp.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** Deterministic bytes (xorshift), incompressible like a real attachment. */
function noise(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; out[i] = x & 0xff; }
  return out;
}

const req = (path: string, name: string, over: Partial<ExtractRequest> = {}): ExtractRequest =>
  ({ source: { path }, name, maxTextChars: 20_000_000, ocr: false, limits: DEFAULT_LIMITS, ...over });

/** The item both ways: whole (default threshold) and streamed (threshold 64 KiB), each in its own blob store. */
async function bothWays(file: string, name = 'big.eml'): Promise<{ whole: ExtractResponse; streamed: ExtractResponse; streamStore: LocalBlobStore }> {
  const dir = join(tmp.dir, `${Math.random().toString(36).slice(2)}`);
  const wholeStore = new LocalBlobStore(join(dir, 'whole'));
  const streamStore = new LocalBlobStore(join(dir, 'streamed'));
  const whole = await runExtract(req(file, name), wholeStore);
  const streamed = await runExtract(req(file, name, { streamAbove: 64 * 1024 }), streamStore);
  return { whole, streamed, streamStore };
}

function expectSameItem(streamed: ExtractResponse, whole: ExtractResponse): void {
  expect(whole.ingestor).toBe('email');
  for (const field of ['sha256', 'size', 'mime', 'ingestor', 'title', 'date', 'text', 'error'] as const) {
    expect(streamed[field], field).toEqual(whole[field]);
  }
  expect(streamed.meta).toEqual(whole.meta);
  expect(streamed.warnings).toEqual(whole.warnings);
  expect(streamed.children).toEqual(whole.children);
}

const spec = (eol: '\r\n' | '\n'): MailSpec => ({
  eol,
  from: { name: 'Hélène Dupré', email: 'h.dupre@en-marche.example' }, to: [{ name: 'Trésorerie', email: 'tresorier@en-marche.example' }, { email: 'b@example.org' }],
  cc: [{ email: 'c@example.org' }],
  subject: 'Virements de mai — relevés et pièces', date: 'Tue, 02 May 2017 10:00:00 +0200', messageId: `big.${eol.length}@en-marche.example`,
  headerCharset: 'utf-8', headerEncoding: 'Q',
  headers: [['X-Mailer', 'Apple Mail (2.3259)'], ['Received', 'from mx1.en-marche.example by mx2; Tue, 02 May 2017 10:00:02 +0200'],
    ['DKIM-Signature', 'v=1; a=rsa-sha256; d=en-marche.example; s=mail; h=from:to:subject; bh=AAAA; b=BBBB']],
  text: { text: `Bonjour,\n\nci-joint les relevés de mai et la note.\n${'La trésorerie présente un solde de 12 000 €. '.repeat(400)}\n`, charset: 'utf-8', encoding: 'quoted-printable' },
  html: { text: `<p>Bonjour,</p><p>ci-joint les relevés.</p>${'<p>La trésorerie présente un solde.</p>'.repeat(200)}`, charset: 'utf-8', encoding: 'base64' },
  attachments: [
    { type: 'file', filename: 'relevés-mai.pdf', contentType: 'application/pdf', data: noise(3 << 20, 7) },
    ...(eol === '\r\n' ? [{ type: 'file' as const, filename: 'note.txt', contentType: 'text/plain; charset=UTF-8', data: encodeText(`Note\r\n${'ligne de la note, très longue '.repeat(5000)}\r\nfin\r\n`, 'utf-8'), encoding: 'quoted-printable' as const }] : []),
    { type: 'file', filename: 'budget prévisionnel.xlsx', contentType: 'application/octet-stream', data: noise(1 << 20, 9), filenameStyle: 'rfc2231' },
    { type: 'message', filename: 'transféré.eml', message: {
      from: { email: 'x@example.org' }, to: [{ email: 'y@example.org' }], subject: 'Original', date: 'Mon, 01 May 2017 09:00:00 +0200',
      messageId: 'inner@example.org', headerCharset: 'utf-8', headerEncoding: 'B', text: { text: 'Texte original.\n', charset: 'utf-8', encoding: '8bit' },
      attachments: [{ type: 'file', filename: 'scan.bin', contentType: 'application/octet-stream', data: noise(200_000, 3) }],
    } },
  ],
});

describe('an email read as a stream', () => {
  for (const eol of ['\r\n', '\n'] as const) {
    it(`gives the same item and children as read whole (${eol === '\n' ? 'LF' : 'CRLF'} message, ~6 MB)`, async () => {
      const file = join(tmp.dir, `big-${eol.length}.eml`);
      writeFileSync(file, buildMessage(spec(eol)));
      const { whole, streamed, streamStore } = await bothWays(file);
      expectSameItem(streamed, whole);
      expect(whole.children.length).toBe(eol === '\r\n' ? 4 : 3);
      expect(whole.children[0]!.sha256).toBe(sha(noise(3 << 20, 7)));
      expect((whole.meta.headers as [string, string][]).map(([k]) => k)).toContain('DKIM-Signature');
      expect(whole.title).toBe('Virements de mai — relevés et pièces');
      // DKIM reads the raw bytes from the blob store: they were copied whole while streaming.
      expect(Buffer.from(await streamStore.get(streamed.sha256)).equals(readFileSync(file))).toBe(true);
      for (const c of streamed.children) expect(sha(await streamStore.get(c.sha256))).toBe(c.sha256);
      // Only blobs in the store: no temporary file left behind.
      for (const d of readdirSync(streamStore.location)) expect(d).toMatch(/^[0-9a-f]{2}$/);
    });
  }

  it('names unnamed parts, marks inline resources and keeps a single-part body exactly as the ingestor does', async () => {
    const img = Buffer.from(noise(300_000, 5)).toString('base64').replace(/.{76}/g, '$&\r\n');
    const msg = [
      'From: a@example.org', 'To: b@example.org', 'Subject: =?UTF-8?B?UmVsZXbDqXM=?=', 'Date: Wed, 03 May 2017 08:00:00 +0000',
      'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="M"', '', 'preamble', '--M',
      'Content-Type: multipart/related; boundary="R"', '', '--R', 'Content-Type: text/html; charset=utf-8', '',
      '<p>Voir <img src="cid:logo@x"></p>', '--R', 'Content-Type: image/png', 'Content-ID: <logo@x>', 'Content-Transfer-Encoding: base64',
      'Content-Description: =?UTF-8?Q?logo_=C3=A9quipe?=', '', img, '--R--', '--M', 'Content-Type: application/vnd.ms-excel',
      'Content-Transfer-Encoding: base64', '', img, '--M', 'Content-Type: text/plain; charset=utf-8', 'Content-Disposition: inline; filename="notes.txt"', '',
      'notes inline', '--M--', 'epilogue', '',
    ].join('\r\n');
    const file = join(tmp.dir, 'related.eml');
    writeFileSync(file, msg);
    const { whole, streamed } = await bothWays(file);
    expectSameItem(streamed, whole);
    expect(whole.children.map((c) => c.name)).toEqual(['part-1.png', 'part-2.xls', 'notes.txt']);
    expect(whole.children[0]!.meta.related).toBe(true);

    const single = join(tmp.dir, 'single.eml');
    writeFileSync(single, `From: a@example.org\nSubject: long\n\n${'une ligne de texte\n'.repeat(10_000)}`);
    const s = await bothWays(single);
    expectSameItem(s.streamed, s.whole);
  });

  it('leaves an attachment over the member limit inside the message, with E_TOO_LARGE naming it', async () => {
    const file = join(tmp.dir, 'limit.eml');
    writeFileSync(file, buildMessage(spec('\r\n')));
    const store = new LocalBlobStore(join(tmp.dir, 'limit-store'));
    const res = await runExtract(req(file, 'limit.eml', { streamAbove: 64 * 1024, limits: { ...DEFAULT_LIMITS, maxMemberBytes: 2 << 20 } }), store);
    expect(res.error).toBeNull();
    expect(res.children.map((c) => c.name)).toEqual(['note.txt', 'budget prévisionnel.xlsx', 'transféré.eml']);
    expect(res.warnings).toEqual([expect.objectContaining({ code: 'E_TOO_LARGE', member: 'relevés-mai.pdf' })]);
    for (const d of readdirSync(store.location)) expect(d).toMatch(/^[0-9a-f]{2}$/); // the partial copy was removed
  });

  it('reads only the start of a body far longer than the text kept, with the same text and a warning', async () => {
    const file = join(tmp.dir, 'long-body.eml');
    writeFileSync(file, `From: a@example.org\r\nSubject: long\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${'Trésorerie : solde de 12 000 euros.\r\n'.repeat(20_000)}`);
    const store = new LocalBlobStore(join(tmp.dir, 'long-store'));
    const whole = await runExtract(req(file, 'long.eml', { maxTextChars: 10_000 }), store);
    const streamed = await runExtract(req(file, 'long.eml', { maxTextChars: 10_000, streamAbove: 64 * 1024 }), store);
    expect(streamed.text).toBe(whole.text);
    expect(streamed.text.length).toBe(10_000);
    expect(streamed.meta).toEqual(whole.meta);
    expect(streamed.warnings.map((w) => w.code)).toEqual(['E_TOO_LARGE']);
  });

  it('fails a file without an email header block the same way, and still stores its bytes', async () => {
    const file = join(tmp.dir, 'not-mail.eml');
    writeFileSync(file, Buffer.concat([Buffer.from('this is not\nan email\n\n'), noise(200_000, 1)]));
    const { whole, streamed, streamStore } = await bothWays(file);
    expect(whole.error?.code).toBe('E_EMAIL_INVALID');
    expectSameItem(streamed, whole);
    expect(Buffer.from(await streamStore.get(streamed.sha256)).equals(readFileSync(file))).toBe(true);
  });

  it('splits a large mailbox with a huge message into the store, and that message streams to the same item', async () => {
    const big = Buffer.from(buildMessage(spec('\n')));
    const small = 'From: a@example.org\nSubject: petit\n\ncorps\n';
    const file = join(tmp.dir, 'box.mbox');
    writeFileSync(file, Buffer.concat([Buffer.from(`From a@example.org Tue May  2 10:00:00 2017\n${small}\nFrom b@example.org Tue May  2 10:00:01 2017\n`), big, Buffer.from('\n')]));
    const store = new LocalBlobStore(join(tmp.dir, 'mbox-store'));
    const box = await runExtract(req(file, 'box.mbox', { streamAbove: 64 * 1024 }), store);
    expect(box.ingestor).toBe('mbox');
    expect(box.children.map((c) => [c.name, c.size])).toEqual([['1.eml', small.length], ['2.eml', big.length]]);
    expect(box.children[1]!.sha256).toBe(sha(big));
    // The message blob, parsed from the store as the pipeline does (streamed, then whole).
    const fromBlob = (streamAbove?: number) => runExtract({ ...req('', '2.eml', { streamAbove }), source: { sha256: sha(big) } }, store);
    expectSameItem(await fromBlob(64 * 1024), await fromBlob());
  });
});
