// sniff(): magic bytes first, extension second, checked over the real corpora
// and on hand-made headers for the formats the corpora lack.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync, strToU8, zipSync } from 'fflate';
import { extensionOf, sniff } from '../../src/ingest/sniff.ts';

const corpora = fileURLToPath(new URL('../../../shared/corpora/', import.meta.url));

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const PPTX = 'application/vnd.openxmlformats-officedocument.presentationml.presentation';
const PROTECTED = 'application/x-tika-ooxml-protected';

/** What each extension in the corpora is, by its bytes. */
const BY_EXT: Record<string, string> = {
  pdf: 'application/pdf',
  docx: DOCX,
  xlsx: XLSX,
  pptx: PPTX,
  doc: 'application/msword',
  xls: 'application/vnd.ms-excel',
  ppt: 'application/vnd.ms-powerpoint',
  msg: 'application/vnd.ms-outlook',
  odt: 'application/vnd.oasis.opendocument.text',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
  rtf: 'application/rtf',
  eml: 'message/rfc822',
  mbox: 'application/mbox',
  pst: 'application/vnd.ms-outlook-pst',
  json: 'application/json',
  // hpsf/: OLE2 property-set files of programs with no MIME of their own
  adm: 'application/x-ole-storage',
  shw: 'application/x-ole-storage',
  sldprt: 'application/x-ole-storage',
  vsd: 'application/x-ole-storage',
  mpp: 'application/x-ole-storage',
};

/** Files whose bytes contradict their extension (checked with `file`, unzip -l, OLE directory). */
const EXCEPTIONS: Record<string, string> = {
  'protect.xlsx': PROTECTED, // OLE2 with an EncryptedPackage stream
  'protectedFile.xlsx': PROTECTED,
  'testEXCEL_protected_passtika.xlsx': PROTECTED,
  'testEXCEL_protected_passtika_2.xlsx': PROTECTED,
  'protected_normal_case.docx': PROTECTED,
  'protected_upper_case.docx': PROTECTED,
  'testWORD_protected_passtika.docx': PROTECTED,
  'testPPT_protected_passtika.pptx': PROTECTED,
  'testODTnotaZipFile.odt': 'text/plain', // "This is not a zip file!"
  'testWORDML_tableInsideParagraph.doc': 'application/xml', // Word 2003 XML
  'TestRobert_Flaherty.doc': 'application/vnd.ms-excel', // OLE2 with Book/Workbook streams
};

describe('sniff over the corpora', () => {
  const files = ['office', 'pdf', 'hpsf', 'dkim'].flatMap((d) => readdirSync(`${corpora}${d}`).map((f) => ({ dir: d, f })));

  it('identifies every file by its bytes', () => {
    expect(files.length).toBeGreaterThan(650);
    const wrong: string[] = [];
    for (const { dir, f } of files) {
      const ext = extensionOf(f);
      const want = EXCEPTIONS[f] ?? BY_EXT[ext];
      expect(want, `no expectation for ${f}`).toBeDefined();
      const got = sniff(new Uint8Array(readFileSync(`${corpora}${dir}/${f}`)), f);
      expect(got.ext).toBe(ext);
      if (got.mime !== want) wrong.push(`${dir}/${f}: ${got.mime}, expected ${want}`);
    }
    expect(wrong).toEqual([]);
  });

  it('detects mail with no extension (maildir cur/new) by its headers', () => {
    for (const f of readdirSync(`${corpora}office`).filter((n) => n.endsWith('.eml'))) {
      const bytes = new Uint8Array(readFileSync(`${corpora}office/${f}`));
      const mime = sniff(bytes, '1700000000.M1P2.host:2,S').mime;
      // One .eml keeps its mbox envelope line: without the .eml name it is a one-message mbox.
      expect(mime, f).toBe(f === 'testEmailWithPNGAtt.eml' ? 'application/mbox' : 'message/rfc822');
    }
  });

  it('uses magic over a misleading extension', () => {
    const pdf = new Uint8Array(readFileSync(`${corpora}office/testPDF.pdf`));
    expect(sniff(pdf, 'invoice.docx').mime).toBe('application/pdf');
    const docx = new Uint8Array(readFileSync(`${corpora}office/testWORD.docx`));
    expect(sniff(docx, 'archive.zip').mime).toBe(DOCX);
    expect(sniff(docx, 'macro.docm').mime).toBe('application/vnd.ms-word.document.macroEnabled.12');
    const doc = new Uint8Array(readFileSync(`${corpora}office/test.doc`));
    expect(sniff(doc, 'noext').mime).toBe('application/msword');
  });
});

const bytesOf = (...parts: (string | number[])[]) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? Array.from(p, (c) => c.charCodeAt(0)) : p)));
const pad = (b: Uint8Array, n = 600) => {
  const out = new Uint8Array(Math.max(n, b.length)).fill(0x41);
  out.set(b);
  return out;
};

describe('sniff on synthetic headers', () => {
  it('recognises archives and compressors', () => {
    expect(sniff(gzipSync(strToU8('x')), 'x.tar.gz')).toEqual({ mime: 'application/gzip', ext: 'gz' });
    expect(sniff(bytesOf('PK', [5, 6], new Array(18).fill(0)), 'empty.zip').mime).toBe('application/zip');
    expect(sniff(zipSync({ 'a.txt': strToU8('a') }), 'a.zip').mime).toBe('application/zip');
    expect(sniff(pad(bytesOf([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0, 4])), 'a').mime).toBe('application/x-7z-compressed');
    expect(sniff(pad(bytesOf('Rar!', [0x1a, 7, 0])), 'a').mime).toBe('application/vnd.rar');
    expect(sniff(pad(bytesOf('BZh91AY&SY')), 'a').mime).toBe('application/x-bzip2');
    expect(sniff(pad(bytesOf([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0]), 32), 'a').mime).toBe('application/x-xz');
    const tar = new Uint8Array(1024);
    tar.set(strToU8('file.txt'));
    tar.set(strToU8('ustar\x0000'), 257);
    expect(sniff(tar, 'a').mime).toBe('application/x-tar');
  });

  it('recognises ODF and EPUB by their mimetype member', () => {
    const odt = zipSync({ mimetype: [strToU8('application/vnd.oasis.opendocument.text'), { level: 0 }], 'content.xml': strToU8('<x/>') });
    expect(sniff(odt, 'x').mime).toBe('application/vnd.oasis.opendocument.text');
    const epub = zipSync({ mimetype: [strToU8('application/epub+zip'), { level: 0 }], 'META-INF/container.xml': strToU8('<x/>') });
    expect(sniff(epub, 'book').mime).toBe('application/epub+zip');
  });

  it('recognises images', () => {
    expect(sniff(pad(bytesOf([0x89], 'PNG', [13, 10, 26, 10])), 'a').mime).toBe('image/png');
    expect(sniff(pad(bytesOf([0xff, 0xd8, 0xff, 0xe0])), 'a').mime).toBe('image/jpeg');
    expect(sniff(pad(bytesOf('GIF89a')), 'a').mime).toBe('image/gif');
    expect(sniff(pad(bytesOf('II*', [0])), 'a').mime).toBe('image/tiff');
    expect(sniff(pad(bytesOf('MM', [0], '*')), 'a').mime).toBe('image/tiff');
    expect(sniff(pad(bytesOf('BM', [0x36, 0, 0, 0, 0, 0, 0, 0, 0x36, 0, 0, 0])), 'a').mime).toBe('image/bmp');
    expect(sniff(pad(bytesOf('RIFF', [0, 0, 0, 0], 'WEBPVP8 ')), 'a').mime).toBe('image/webp');
    expect(sniff(pad(bytesOf([0, 0, 0, 0x18], 'ftypheic')), 'IMG_0001.HEIC')).toEqual({ mime: 'image/heic', ext: 'heic' });
  });

  it('refines OLE2 by extension when the directory says nothing', () => {
    const ole = pad(bytesOf([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), 512);
    expect(sniff(ole, 'a.doc').mime).toBe('application/msword');
    expect(sniff(ole, 'a.xls').mime).toBe('application/vnd.ms-excel');
    expect(sniff(ole, 'a.ppt').mime).toBe('application/vnd.ms-powerpoint');
    expect(sniff(ole, 'a.msg').mime).toBe('application/vnd.ms-outlook');
    expect(sniff(ole, 'thumbs.db').mime).toBe('application/x-ole-storage');
  });

  it('tells mail, mbox, HTML, XML and text apart', () => {
    expect(sniff(strToU8('Received: from a by b; Mon, 1 Jun 2009\r\nSubject: hi\r\n\r\nbody'), '123').mime).toBe('message/rfc822');
    expect(sniff(strToU8('X-Mailer: foo\n  continued\nTo: a@b\n\nbody'), '123').mime).toBe('message/rfc822');
    expect(sniff(strToU8('From alice@example.org Mon Jun  1 10:00:00 2009\n\nhello\n'), 'box').mime).toBe('application/mbox');
    expect(sniff(strToU8('From someone\nSubject: x\n\nbody'), 'box').mime).toBe('application/mbox');
    expect(sniff(strToU8('From here to eternity, a novel.\nChapter 1'), 'novel').mime).toBe('text/plain');
    expect(sniff(strToU8('Note: call back\nand then some prose'), 'n').mime).toBe('text/plain');
    expect(sniff(strToU8('\ufeff  \n<!-- saved --><!DOCTYPE HTML PUBLIC "x"><html>'), 'page').mime).toBe('text/html');
    expect(sniff(strToU8('<BODY bgcolor=white>hi'), 'page').mime).toBe('text/html');
    expect(sniff(strToU8('<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml">'), 'p').mime).toBe('text/html');
    expect(sniff(strToU8('<?xml version="1.0"?><root/>'), 'data').mime).toBe('application/xml');
    expect(sniff(strToU8('a,b\n1,2\n'), 'table.csv').mime).toBe('text/csv');
    expect(sniff(strToU8('just words'), 'readme')).toEqual({ mime: 'text/plain', ext: '' });
    expect(sniff(Uint8Array.from([0x63, 0x61, 0x66, 0xe9, 0x0a]), 'latin1.txt').mime).toBe('text/plain');
    expect(sniff(new Uint8Array(Buffer.from('UTF-16 text with BOM', 'utf16le')), 'u').mime).toBe('text/plain');
  });

  it('falls back to octet-stream for unknown binary', () => {
    const noise = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256);
    expect(sniff(noise, 'blob').mime).toBe('application/octet-stream');
    expect(sniff(new Uint8Array(), 'empty').mime).toBe('application/octet-stream');
  });

  it('finds %PDF- after a prefix, but not inside a mail', () => {
    expect(sniff(bytesOf([0, 5, 0x16, 0, 0, 2, 0, 0, 0], '%PDF-1.4\n'), 'x').mime).toBe('application/pdf');
    expect(sniff(strToU8('Subject: scan\nFrom: a@b\n\n%PDF-1.4 pasted'), 'm').mime).toBe('message/rfc822');
  });

  it('returns the lower-case last extension', () => {
    expect(extensionOf('dir/Archive.TAR.GZ')).toBe('gz');
    expect(extensionOf('C:\\mail\\cur\\1700.M1:2,S')).toBe('');
    expect(extensionOf('Maildir/new/1700000000.M1P2.host')).toBe('host');
    expect(extensionOf('.bashrc')).toBe('');
    expect(extensionOf('noext')).toBe('');
  });
});
