// HTML and plain-text ingestors, and the shared charset detection.
import { describe, expect, it } from 'vitest';
import { htmlIngestor, parseHtml } from '../../src/ingest/html.ts';
import { textIngestor } from '../../src/ingest/text.ts';
import { decodeText, detectCharset } from '../../src/ingest/charset.ts';

const enc = (s: string) => new TextEncoder().encode(s);
/** windows-1252 / latin-1 bytes for a string of code points < 256. */
const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const html = (bytes: Uint8Array) => htmlIngestor.extract({ bytes, name: 'p.html', ext: 'html', mime: 'text/html' });
const text = (bytes: Uint8Array) => textIngestor.extract({ bytes, name: 'a.txt', ext: 'txt', mime: 'text/plain' });

describe('charset detection', () => {
  it('follows BOM, then valid UTF-8, then UTF-16 guess, then windows-1252', () => {
    expect(decodeText(Uint8Array.of(0xef, 0xbb, 0xbf, 0x68, 0x69))).toMatchObject({ text: 'hi', charset: 'utf-8', source: 'bom' });
    expect(decodeText(Uint8Array.of(0xff, 0xfe, 0x68, 0, 0xe9, 0))).toMatchObject({ text: 'hé', charset: 'utf-16le' });
    expect(decodeText(Uint8Array.of(0xfe, 0xff, 0, 0x68, 0, 0xe9))).toMatchObject({ text: 'hé', charset: 'utf-16be' });
    expect(decodeText(enc('café €'))).toMatchObject({ text: 'café €', charset: 'utf-8', source: 'utf8-valid' });
    expect(decodeText(latin1('caf\xe9 \x80'))).toMatchObject({ text: 'café €', charset: 'windows-1252', source: 'fallback' });
    const u16 = new Uint8Array(Buffer.from('plain ASCII in UTF-16 without a BOM', 'utf16le'));
    expect(decodeText(u16)).toMatchObject({ text: 'plain ASCII in UTF-16 without a BOM', source: 'utf16-guess' });
  });

  it('honours a declared charset, but not a false UTF-8 claim', () => {
    expect(detectCharset(latin1('\xe9'), 'ISO-8859-1').charset).toBe('windows-1252');
    expect(detectCharset(latin1('\xe9'), 'utf-8')).toMatchObject({ charset: 'windows-1252', source: 'fallback' });
    expect(detectCharset(enc('x'), 'no-such-charset').source).toBe('utf8-valid');
  });
});

describe('text ingestor', () => {
  it('decodes and counts lines', async () => {
    expect((await text(enc('one\ntwo\nthree'))).meta).toMatchObject({ charset: 'utf-8', lines: 3 });
    expect((await text(enc('one\r\ntwo\r\n'))).meta.lines).toBe(2);
    expect((await text(new Uint8Array())).meta.lines).toBe(0);
    const x = await text(latin1('Gr\xfc\xdfe\n'));
    expect(x.text).toBe('Grüße\n');
    expect(x.title).toBeUndefined();
  });

  it('scores text/* as a fallback below specialised ingestors', () => {
    expect(textIngestor.score({ mime: 'text/plain', ext: '' })).toBe(100);
    expect(textIngestor.score({ mime: 'text/csv', ext: 'csv' })).toBe(100);
    expect(textIngestor.score({ mime: 'text/x-vcard', ext: '' })).toBe(50);
    expect(textIngestor.score({ mime: 'application/octet-stream', ext: 'log' })).toBe(10);
    expect(textIngestor.score({ mime: 'application/pdf', ext: 'pdf' })).toBe(0);
  });
});

describe('html ingestor', () => {
  it('keeps visible text only, with block structure and decoded entities', async () => {
    const page = `<!DOCTYPE html><html><head><title>Q3 &amp; Q4 report</title>
      <meta name="author" content="Jane Roe"><meta name="generator" content="Word 15">
      <meta http-equiv="Content-Type" content="text/html; charset=utf-8">
      <style>p { color: red }</style><script>var secret = "<p>not text</p>";</script></head>
      <body><h1>Revenue</h1><p>Up&nbsp;12&#37; &euro;4m &lt;draft&gt;</p><!-- hidden comment -->
      <noscript>enable js</noscript><template><p>tpl</p></template>
      <table><tr><td>a</td><td>b</td></tr></table><p>end<br>line</p></body></html>`;
    const x = await html(enc(page));
    expect(x.title).toBe('Q3 & Q4 report');
    expect(x.text).toBe('Revenue\n\nUp 12% €4m <draft>\n\na\tb\n\nend\nline');
    expect(x.meta).toMatchObject({ author: 'Jane Roe', generator: 'Word 15', charset: 'utf-8' });
    expect((x.meta.metaTags as Record<string, string>)['content-type']).toBe('text/html; charset=utf-8');
  });

  it('detects the charset from <meta charset>, http-equiv, or falls back', async () => {
    const cyr = Uint8Array.from([...enc('<meta charset="windows-1251"><p>'), 0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2]);
    expect(await html(cyr)).toMatchObject({ text: 'Привет', meta: { charset: 'windows-1251', charsetSource: 'declared' } });
    const eq = latin1('<meta http-equiv="content-type" content="text/html; charset=iso-8859-1"><p>caf\xe9');
    expect(await html(eq)).toMatchObject({ text: 'café', meta: { charset: 'windows-1252' } });
    expect(await html(latin1('<p>caf\xe9'))).toMatchObject({ text: 'café', meta: { charsetSource: 'fallback' } });
    expect(await html(enc('\ufeff<p>café'))).toMatchObject({ text: 'café', meta: { charsetSource: 'bom' } });
  });

  it('is linear on hostile input', () => {
    const MB = 1024 * 1024;
    const cases = [
      '<'.repeat(MB),
      `<p>visible</p><!--${'-'.repeat(MB)}`,
      `<p>visible</p><a href="${'x'.repeat(MB)}`,
      `<p>visible</p><script>${'<'.repeat(MB)}`,
      `<title>${'<'.repeat(MB)}`,
      '<a '.repeat(MB / 3),
      '<!'.repeat(MB / 2),
      '&amp;'.repeat(MB / 5),
      `<meta ${'charset'.repeat(MB / 7)}`,
    ];
    for (const c of cases) {
      const t = performance.now();
      const out = parseHtml(c);
      expect(performance.now() - t, c.slice(0, 20)).toBeLessThan(2000);
      if (c.startsWith('<p>visible')) expect(out.text).toBe('visible');
    }
  });

  it('treats stray "<" as text and drops unterminated tags', () => {
    expect(parseHtml('a < b and c<d').text).toBe('a < b and c');
    expect(parseHtml('1 <2 & 3> 0').text).toBe('1 <2 & 3> 0');
    expect(parseHtml('<p title="a>b">x</p>').text).toBe('x');
  });
});
