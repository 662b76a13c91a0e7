// The streaming MIME walker and the incremental decoders give exactly what
// the in-memory walker (listParts) gives, whatever the chunk size: same
// leaves, same decoded bytes, same warnings.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { listParts, MAX_MIME_PARTS, type MimeParts } from '../../src/ingest/mime-parts.ts';
import { MimeStreamWalker, type StreamLeaf } from '../../src/ingest/mime-stream.ts';
import { decodeBase64, decodeQuotedPrintable, partDecoder, QuotedPrintableDecoder, Base64Decoder } from '../../src/ingest/mime-decode.ts';
import { buildMessage, type MailSpec } from '../fixtures/mime-builder.ts';
import { encodeText } from '../fixtures/mime-encode.ts';
import { mimeish } from '../fuzz/targets.ts';

const corpora = new URL('../../../shared/corpora/', import.meta.url).pathname;
const bytesOf = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));

/** listParts' answer, computed by the streaming walker fed `chunk` bytes at a time; also returns the raw bytes it passed on. */
function streamParts(raw: Uint8Array, chunk: number): MimeParts & { rebuilt: Buffer } {
  const parts: MimeParts['parts'] = [];
  const rebuilt: Buffer[] = [];
  let leaf: StreamLeaf | null = null, out: Buffer[] = [], decoder = partDecoder('');
  const walker = new MimeStreamWalker({
    raw: (b) => { rebuilt.push(Buffer.from(b)); },
    leafStart: (l) => { leaf = l; out = []; decoder = partDecoder(l.transferEncoding); },
    body: (b) => { rebuilt.push(Buffer.from(b)); out.push(Buffer.from(decoder.push(b))); },
    leafEnd: () => { out.push(Buffer.from(decoder.end())); parts.push({ ...leaf!, bytes: new Uint8Array(Buffer.concat(out)) }); leaf = null; },
  });
  for (let p = 0; p < raw.length; p += chunk) walker.push(raw.subarray(p, p + chunk));
  const warnings = walker.end();
  return { parts, warnings, rebuilt: Buffer.concat(rebuilt) };
}

function expectSame(bytes: Uint8Array, chunks = [1, 2, 3, 7, 64, 4096, 1 << 20]): void {
  const raw = new Uint8Array(bytes); // a plain Uint8Array, as the worker reads it (Buffer#slice would give views)
  let whole: MimeParts | string;
  try { whole = listParts(raw); } catch (err) { whole = (err as Error).message; }
  for (const chunk of chunks) {
    const { rebuilt, ...got } = streamParts(raw, chunk);
    expect(got, `in ${chunk}-byte chunks`).toEqual(whole);
    // Every byte of the message is passed on once, in order, as structure or as body.
    expect(rebuilt.equals(Buffer.from(raw)), `bytes passed on, ${chunk}-byte chunks`).toBe(true);
  }
}

const spec = (over: Partial<MailSpec> = {}): MailSpec => ({
  from: { name: 'Hélène Dupré', email: 'h.dupre@example.fr' }, to: [{ email: 'f.lefevre@example.fr' }],
  subject: 'Ordre du jour', date: 'Fri, 05 May 2017 14:32:10 +0200', messageId: 'abc.1@example.fr',
  headerCharset: 'utf-8', headerEncoding: 'Q', text: { text: 'Bonjour,\nvoici le document.\n', charset: 'utf-8', encoding: 'quoted-printable' },
  ...over,
});

describe('streaming MIME walker', () => {
  it('matches listParts on built messages (CRLF and LF), with nested and attached messages', () => {
    const qp = encodeText(`Tr\u00e9sorerie =  pr\u00e9visions\r\n${'tr\u00e8s long '.repeat(30)}\r\n\tfin \r\n`, 'utf-8');
    for (const eol of ['\r\n', '\n'] as const) {
      expectSame(buildMessage(spec({
        eol, html: { text: '<p>Bonjour</p>', charset: 'utf-8', encoding: 'base64' },
        attachments: [
          { type: 'file', filename: 'a.txt', contentType: 'text/plain', data: qp, ...(eol === '\r\n' ? { encoding: 'quoted-printable' as const } : {}) },
          { type: 'file', filename: 'b.bin', contentType: 'application/octet-stream', data: new Uint8Array(5000).map((_, i) => (i * 7) & 255) },
          { type: 'message', filename: 'fwd.eml', message: spec({ subject: 'inner', attachments: [{ type: 'file', filename: 'c.pdf', contentType: 'application/pdf', data: bytesOf('%PDF-1.4\n') }] }) },
        ],
      })));
    }
  });

  it('matches listParts on the real mail files of the corpora', () => {
    const files = [...readdirSync(`${corpora}office`).filter((f) => f.endsWith('.eml')).map((f) => `${corpora}office/${f}`),
      ...readdirSync(`${corpora}dkim`).filter((f) => f.endsWith('.eml')).map((f) => `${corpora}dkim/${f}`)];
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const f of files) expectSame(readFileSync(f), [1, 5, 64, 1 << 20]);
  });

  it('matches listParts on edge cases: blanks after delimiters, CR runs, shadowed boundaries, no close, headers never ended', () => {
    const cases = [
      'Content-Type: multipart/mixed; boundary=a\r\n\r\npre\r\n--a \t\r\n\r\nx\r\r\n--a\r\nContent-Type: multipart/mixed; boundary=a\r\n\r\n--a\r\n\r\ninner\r\n--a--\r\n\r\nouter\r\n--a--\r\nepi',
      'Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n--b\n\r\r\n\n--b\n\n\n--b--',
      'Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\na=\r\n--b\r\n\r\nend without close=',
      'Content-Type: multipart/digest; boundary=d\n\n--d\n\nSubject: x\n\nbody\n--d--\n',
      'no header block at all\n--x\n',
      'Content-Type: multipart/mixed; boundary="\u00e9\u0080x"\r\n\r\n--\u00e9\u0080x\r\n\r\nlatin\r\n--\u00e9\u0080x--',
    ];
    for (const c of cases) expectSame(bytesOf(c));
  });

  it('matches listParts past the depth cap and the part cap', () => {
    let open = '', close = '';
    for (let i = 0; i < 100; i++) { open += `--b${i}\r\nContent-Type: multipart/mixed; boundary="b${i + 1}"\r\n\r\n`; close = `\r\n--b${i}--\r\n` + close; }
    expectSame(bytesOf(`Content-Type: multipart/mixed; boundary="b0"\r\n\r\n${open}--b100\r\n\r\nfond\r\n--b100--${close}`), [3, 4096]);
    const many = Array.from({ length: MAX_MIME_PARTS + 5 }, (_, i) => `--p\r\n\r\n${i}\r\n`).join('');
    expectSame(bytesOf(`Content-Type: multipart/mixed; boundary=p\r\n\r\n${many}--p--\r\n`), [4096]);
  });

  it('keeps lines far longer than a chunk (a base64 attachment on one line) exact', () => {
    const data = new Uint8Array(300_000).map((_, i) => (i * 31 + (i >> 8)) & 255);
    const b64 = Buffer.from(data).toString('base64');
    const msg = `Content-Type: multipart/mixed; boundary=z\r\n\r\n--z\r\nContent-Transfer-Encoding: base64\r\nContent-Type: application/octet-stream\r\n\r\n${b64}\r\r\n--z\r\nContent-Type: text/plain\r\n\r\n${'-'.repeat(200_000)}\r\n--z--\r\n`;
    expectSame(bytesOf(msg), [7, 4096, 100_000]);
    const got = streamParts(bytesOf(msg), 4096).parts[0]!;
    expect(Buffer.from(got.bytes).equals(Buffer.from(data))).toBe(true);
  });

  it('matches listParts on generated MIME-like bytes in random chunks', () => {
    fc.assert(fc.property(fc.oneof(mimeish, fc.uint8Array({ maxLength: 300 })), fc.integer({ min: 1, max: 64 }), (raw, chunk) => {
      let whole: MimeParts;
      try { whole = listParts(raw); } catch { return; }
      const { rebuilt, ...got } = streamParts(raw, chunk);
      expect(got).toEqual(whole);
      expect(rebuilt.equals(Buffer.from(raw))).toBe(true);
    }), { numRuns: 2000, seed: 2017 });
  });
});

describe('incremental decoders', () => {
  const split = (d: { push(c: Uint8Array): Uint8Array; end(): Uint8Array }, src: Uint8Array, cuts: number[]): Buffer => {
    const out: Buffer[] = [];
    let from = 0;
    for (const c of [...cuts].sort((a, b) => a - b)) { out.push(Buffer.from(d.push(src.subarray(from, c)))); from = c; }
    out.push(Buffer.from(d.push(src.subarray(from))), Buffer.from(d.end()));
    return Buffer.concat(out);
  };
  const qpish = fc.array(fc.constantFrom('=', '=\r\n', '=\n', '= \t\r\n', '=3D', '=e9', '=4', 'a', ' ', '\t', '\r', '\n', '\r\n', 'ZZ'), { maxLength: 80 }).map((p) => bytesOf(p.join('')));
  const b64ish = fc.array(fc.constantFrom('SGVs', 'bG8=', '=', 'YQ', '\r\n', '*', 'w6k', '+/'), { maxLength: 80 }).map((p) => bytesOf(p.join('')));

  it('decode quoted-printable in pieces exactly as whole', () => {
    fc.assert(fc.property(qpish, fc.array(fc.nat(200), { maxLength: 8 }), (src, cuts) => {
      const c = cuts.map((x) => x % (src.length + 1));
      expect(split(new QuotedPrintableDecoder(), src, c).equals(Buffer.from(decodeQuotedPrintable(src)))).toBe(true);
    }), { numRuns: 3000, seed: 7 });
  });

  it('decode base64 in pieces exactly as whole', () => {
    fc.assert(fc.property(b64ish, fc.array(fc.nat(200), { maxLength: 8 }), (src, cuts) => {
      const c = cuts.map((x) => x % (src.length + 1));
      expect(split(new Base64Decoder(), src, c).equals(Buffer.from(decodeBase64(src)))).toBe(true);
    }), { numRuns: 3000, seed: 7 });
  });
});
