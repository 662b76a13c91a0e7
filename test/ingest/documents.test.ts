// PDF and OOXML ingestors against real third-party files, with poppler's
// pdfinfo and exiftool as independent oracles for the metadata.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { zipSync, strToU8 } from 'fflate';
import { TamisError } from '../../src/core/errors.ts';
import type { Extraction, Ingestor } from '../../src/ingest/ingestor.ts';
import { extractPdf, pdfIngestor, parsePdfDate } from '../../src/ingest/pdf.ts';
import { scanRevisions } from '../../src/ingest/pdf-revisions.ts';
import { ooxmlIngestor } from '../../src/ingest/ooxml.ts';

const corpora = fileURLToPath(new URL('../../../shared/corpora/', import.meta.url));
const OFFICE = `${corpora}office/`;
const PDFS = `${corpora}pdf/`;
const read = (path: string) => new Uint8Array(readFileSync(path));
const list = (dir: string, re: RegExp) => readdirSync(dir).filter((f) => re.test(f)).sort().map((f) => dir + f);
const allPdfs = [...list(PDFS, /\.pdf$/i), ...list(OFFICE, /\.pdf$/i)];
const allOoxml = list(OFFICE, /\.(docx|xlsx|pptx)$/i);

const run = (ing: Ingestor, path: string, bytes = read(path)): Promise<Extraction> => {
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  return ing.extract({ bytes, name: path.slice(path.lastIndexOf('/') + 1), ext, mime: '' });
};
const pdf = (path: string) => run(pdfIngestor, path);
const ooxml = (path: string) => run(ooxmlIngestor, path);

async function codeOf(p: Promise<unknown>): Promise<string> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(TamisError);
  return (err as TamisError).code;
}

/** pdfinfo's Title/Author/Creator/Producer, or undefined when poppler cannot open the file. */
function pdfinfo(path: string): Record<string, string> | undefined {
  let out: string;
  try {
    out = execFileSync('pdfinfo', ['-enc', 'UTF-8', path], { stdio: ['ignore', 'pipe', 'ignore'], timeout: 30_000 }).toString('utf8');
  } catch {
    return undefined;
  }
  const fields: Record<string, string> = {};
  for (const line of out.split('\n')) {
    const m = /^(Title|Author|Creator|Producer):\s*(.*)$/.exec(line);
    if (m) fields[m[1]!.toLowerCase()] = m[2]!.trim();
  }
  return fields;
}

/** A small valid PDF: one Helvetica text line per page, an Info dictionary, a classic xref. */
function makePdf(pages: string[], title: string): string {
  const objs = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${pages.map((_, i) => `${5 + i * 2} 0 R`).join(' ')}] /Count ${pages.length} >>`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    `<< /Title (${title}) /Author (Hand) /CreationDate (D:20240102030405+01'00') >>`,
  ];
  pages.forEach((t, i) => {
    const content = `BT /F1 12 Tf 72 720 Td (${t}) Tj ET`;
    objs.push(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents ${6 + i * 2} 0 R >>`);
    objs.push(`<< /Length ${content.length} >>\nstream\n${content}\nendstream`);
  });
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objs.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  return `${out}trailer\n<< /Size ${objs.length + 1} /Root 1 0 R /Info 4 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
}

/** Append an incremental update that replaces the Info dictionary (object 4). */
function updateTitle(pdf: string, title: string): string {
  const prev = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(pdf)![1]);
  const size = Number(/\/Size (\d+)/.exec(pdf)![1]);
  const at = pdf.length;
  const body = `4 0 obj\n<< /Title (${title}) /Author (Hand) >>\nendobj\n`;
  const xref = at + body.length;
  return `${pdf}${body}xref\n4 1\n${String(at).padStart(10, '0')} 00000 n \ntrailer\n<< /Size ${size} /Root 1 0 R /Info 4 0 R /Prev ${prev} >>\nstartxref\n${xref}\n%%EOF\n`;
}

describe('pdf ingestor', () => {
  it('extracts or fails with a TamisError on every corpus PDF, without hanging', async () => {
    expect(allPdfs.length).toBeGreaterThan(300);
    const outcomes: Record<string, number> = {};
    for (const path of allPdfs) {
      let outcome = 'ok';
      try {
        const x = await pdf(path);
        expect(typeof x.text).toBe('string');
        expect(x.meta.pages).toBeTypeOf('number');
      } catch (err) {
        if (!(err instanceof TamisError)) throw new Error(`${path}: non-TamisError ${String(err)}`);
        expect(['E_PDF_INVALID', 'E_PDF_ENCRYPTED']).toContain(err.code);
        outcome = err.code;
      }
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    }
    // Nearly all of the corpus opens; the rest are the deliberately broken / locked ones.
    expect(outcomes.ok).toBeGreaterThan(allPdfs.length * 0.95);
  }, 600_000);

  it('agrees with pdfinfo on Title/Author/Creator/Producer (>= 98%)', async () => {
    let compared = 0;
    let agreed = 0;
    const misses: string[] = [];
    for (const path of allPdfs) {
      const oracle = pdfinfo(path);
      if (!oracle || Object.keys(oracle).length === 0) continue;
      const meta = await pdf(path).then((x) => x.meta, () => ({}) as Record<string, unknown>);
      for (const [field, want] of Object.entries(oracle)) {
        compared++;
        const got = typeof meta[field] === 'string' ? (meta[field] as string).trim() : undefined;
        if (got === want) agreed++;
        else misses.push(`${path} ${field}: ${JSON.stringify(want)} vs ${JSON.stringify(got)}`);
      }
    }
    const rate = agreed / compared;
    console.log(`pdfinfo agreement: ${agreed}/${compared} = ${(rate * 100).toFixed(2)}%`);
    expect(compared).toBeGreaterThan(300);
    expect(rate, misses.slice(0, 10).join('\n')).toBeGreaterThanOrEqual(0.98);
  }, 600_000);

  it('reads text, Info fields and dates of a known PDF', async () => {
    const x = await pdf(`${OFFICE}testPDF.pdf`);
    expect(x.text).toContain('Apache Tika is a toolkit for detecting and extracting metadata');
    expect(x.title).toBe('Apache Tika - Apache Tika');
    expect(x.meta).toMatchObject({
      author: 'Bertrand Delacrétaz',
      creator: 'Firefox',
      producer: 'Mac OS X 10.4.10 Quartz PDFContext',
      creationDateRaw: "D:20070915110231+02'00'",
      creationDate: '2007-09-15T11:02:31+02:00',
      pdfVersion: '1.3',
      pages: 1,
      encrypted: false,
      revisions: 1,
    });
    expect(x.date).toBe('2007-09-15T09:02:31.000Z');
  });

  it('separates pages and survives a page that cannot be read', async () => {
    const x = await pdf(`${PDFS}Pages-tree-refs.pdf`);
    expect(x.text).toContain('\f');
    expect(x.warnings?.[0]?.message).toMatch(/page 2/);
  });

  it('maps password-protected and broken files to their codes', async () => {
    expect(await codeOf(pdf(`${OFFICE}testPassword4Spaces.pdf`))).toBe('E_PDF_ENCRYPTED');
    expect(await codeOf(pdf(`${PDFS}REDHAT-1531897-0.pdf`))).toBe('E_PDF_INVALID');
    expect(await codeOf(run(pdfIngestor, 'x.pdf', strToU8('this is not a PDF at all\n'.repeat(50))))).toBe('E_PDF_INVALID');
    // Cut inside the first object: pdf.js may rebuild an empty document or give up.
    const truncated = read(`${OFFICE}testPDF.pdf`).subarray(0, 400);
    const outcome = await run(pdfIngestor, 'x.pdf', truncated).then(() => 'ok', (e: unknown) => (e instanceof TamisError ? e.code : String(e)));
    expect(['E_PDF_INVALID', 'ok']).toContain(outcome);
  });

  it('opens a file encrypted with an empty user password and flags it', async () => {
    const x = await pdf(`${PDFS}auth-event-ef-open.pdf`);
    expect(x.meta.encrypted).toBe(true);
    expect(x.text).toContain('Example');
  });

  it('counts incremental updates, not counting a linearized stub trailer', () => {
    // Oracle: the startxref/%%EOF pairs visible with `grep -abo`, minus the
    // first-page trailer of files whose first object is /Linearized.
    expect(scanRevisions(read(`${PDFS}annotation-highlight-without-appearance.pdf`))).toMatchObject({ revisions: 4, linearized: false });
    expect(scanRevisions(read(`${PDFS}bug793632.pdf`))).toMatchObject({ revisions: 1, linearized: true });
    expect(scanRevisions(read(`${PDFS}annotation-tx3.pdf`))).toMatchObject({ revisions: 5, linearized: true });
    expect(scanRevisions(read(`${OFFICE}testPDF_incrementalUpdates.pdf`))).toMatchObject({ revisions: 3, linearized: true });
    // %%EOF markers inside embedded files have no startxref: not revisions.
    expect(scanRevisions(read(`${PDFS}bug1937438_af_from_latex.pdf`)).revisions).toBe(1);
    expect(scanRevisions(strToU8('%PDF-1.4\n%%EOF\n')).revisions).toBe(0);
  });

  it('caps the pages it reads and says so', async () => {
    const bytes = strToU8(makePdf(['First page', 'Second page', 'Third page'], 'Capped'));
    const all = await extractPdf(bytes);
    expect(all.text).toBe('First page\n\f\nSecond page\n\f\nThird page');
    expect(all.meta).toMatchObject({ pages: 3, title: 'Capped', author: 'Hand', creationDate: '2024-01-02T03:04:05+01:00' });
    const capped = await extractPdf(bytes, 2);
    expect(capped.text).toBe('First page\n\f\nSecond page');
    expect(capped.meta.truncated).toEqual({ pagesProcessed: 2, reason: 'page limit' });
    expect(capped.warnings?.[0]?.code).toBe('E_TOO_LARGE');
  });

  it('reads the latest Info of an incrementally updated file and counts the revision', async () => {
    const bytes = strToU8(updateTitle(makePdf(['Body'], 'Original'), 'Edited'));
    const x = await extractPdf(bytes);
    expect(x.title).toBe('Edited');
    expect(x.meta).toMatchObject({ revisions: 2, linearized: false });
    expect(x.meta.revisionEnds).toEqual(scanRevisions(bytes).ends.map((e) => e.eofEnd));
  });

  it('parses PDF date variants', () => {
    expect(parsePdfDate("D:20111028134714-07'00'")?.iso).toBe('2011-10-28T13:47:14-07:00');
    expect(parsePdfDate('D:19891231210000Z')?.utc).toBe('1989-12-31T21:00:00.000Z');
    expect(parsePdfDate('D:2001')?.iso).toBe('2001-01-01T00:00:00');
    expect(parsePdfDate("D:20070915110231+02'")?.iso).toBe('2007-09-15T11:02:31+02:00');
    expect(parsePdfDate('D:20071399000000')).toBeUndefined();
    expect(parsePdfDate('garbage')).toBeUndefined();
  });
});

/** exiftool -j -n on all OOXML files of the corpus, keyed by file path. */
function exiftool(paths: string[]): Map<string, Record<string, unknown>> {
  const out = execFileSync('exiftool', ['-j', '-n', '-Creator', '-LastModifiedBy', '-CreateDate', '-ModifyDate', ...paths], {
    stdio: ['ignore', 'pipe', 'ignore'],
    maxBuffer: 64 * 1024 * 1024,
  }).toString('utf8');
  return new Map((JSON.parse(out) as Record<string, unknown>[]).map((r) => [String(r.SourceFile), r]));
}
/** exiftool prints "2008:12:11 16:04:00Z"; make it ISO for Date.parse. */
const exifDate = (s: string) => Date.parse(s.replace(/^(\d{4}):(\d{2}):(\d{2}) /, '$1-$2-$3T'));

describe('ooxml ingestor', () => {
  it('agrees with exiftool on creator, lastModifiedBy, created, modified (>= 98%)', async () => {
    const oracle = exiftool(allOoxml);
    const pairs = [['Creator', 'creator'], ['LastModifiedBy', 'lastModifiedBy'], ['CreateDate', 'created'], ['ModifyDate', 'modified']] as const;
    let compared = 0;
    let agreed = 0;
    const misses: string[] = [];
    for (const path of allOoxml) {
      const want = oracle.get(path) ?? {};
      const meta = await ooxml(path).then((x) => x.meta, () => ({}) as Record<string, unknown>);
      for (const [tag, field] of pairs) {
        if (!(tag in want)) continue;
        compared++;
        const w = String(want[tag]);
        const got = meta[field];
        const ok = typeof got === 'string' && (tag.endsWith('Date') ? exifDate(w) === Date.parse(got) : w.trim() === got.trim());
        if (ok) agreed++;
        else misses.push(`${path} ${tag}: ${JSON.stringify(w)} vs ${JSON.stringify(got)}`);
      }
    }
    const rate = agreed / compared;
    console.log(`exiftool agreement: ${agreed}/${compared} = ${(rate * 100).toFixed(2)}%`);
    expect(compared).toBeGreaterThan(300);
    expect(rate, misses.slice(0, 10).join('\n')).toBeGreaterThanOrEqual(0.98);
  }, 300_000);

  it('never throws anything but a TamisError on the corpus', async () => {
    for (const path of allOoxml) {
      await ooxml(path).catch((err: unknown) => {
        if (!(err instanceof TamisError)) throw new Error(`${path}: ${String(err)}`);
        expect(['E_OOXML_INVALID', 'E_OOXML_ENCRYPTED']).toContain(err.code);
      });
    }
  }, 300_000);

  it('reads DOCX text with headers, footers and notes, and the core properties', async () => {
    const x = await ooxml(`${OFFICE}testWORD.docx`);
    expect(x.mime).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(x.text).toContain('This is a sample Microsoft Word Document.');
    expect(x.text).toContain('This document includes text that is BOLD and ITALIC.');
    expect(x.title).toBe('Sample Word Document');
    expect(x.date).toBe('2008-12-11T16:04:00.000Z');
    expect(x.meta).toMatchObject({ creator: 'Keith Bennett', lastModifiedBy: 'Nick Burch', application: 'Microsoft Office Word', pages: 2 });
    const notes = await ooxml(`${OFFICE}footnotes.docx`);
    expect(notes.text).toContain('snoska');
  });

  it('keeps custom properties typed and apart', async () => {
    const x = await ooxml(`${OFFICE}testWORD_custom_props.docx`);
    expect(x.meta.custom).toEqual({
      MyCustomDate: '2010-12-30T23:00:00Z',
      MyCustomString: 'MyStringValue',
      myCustomSecondDate: '2010-12-29T22:00:00Z',
      myCustomNumber: 3,
      myCustomBoolean: true,
    });
    expect(x.meta.company).toBe('EDF-DIT');
  });

  it('reads XLSX sheets: names, shared strings and numbers', async () => {
    const x = await ooxml(`${OFFICE}testEXCEL.xlsx`);
    expect(x.meta.sheets).toEqual(['Feuil1', 'Feuil2', 'Feuil3']);
    expect(x.text).toContain('Sample Excel Worksheet - Numbers and their Squares');
    expect(x.text).toContain('9\t81');
  });

  it('reads PPTX slides in presentation order', async () => {
    const x = await ooxml(`${OFFICE}testPPT.pptx`);
    expect(x.meta.slideCount).toBe(3);
    const t = x.text ?? '';
    expect(t.indexOf('Attachment Test')).toBeLessThan(t.indexOf('Different words to test against'));
  });

  it('lists zip entries in central-directory order, as unzip does', async () => {
    const path = `${OFFICE}testWORD.docx`;
    const want = execFileSync('unzip', ['-Z1', path]).toString('utf8').trim().split('\n');
    const x = await ooxml(path);
    const entries = x.meta.zipEntries as { name: string; modified?: string }[];
    expect(entries.map((e) => e.name)).toEqual(want);
    expect(entries[0]!.modified).toBe('2010-11-12T16:35:52');
  });

  it('maps encrypted, truncated and non-zip input to their codes', async () => {
    expect(await codeOf(ooxml(`${OFFICE}testWORD_protected_passtika.docx`))).toBe('E_OOXML_ENCRYPTED');
    expect(await codeOf(ooxml(`${OFFICE}protected_upper_case.docx`))).toBe('E_OOXML_ENCRYPTED');
    expect(await codeOf(ooxml(`${OFFICE}testWORD_truncated.docx`))).toBe('E_OOXML_INVALID');
    expect(await codeOf(ooxml(`${OFFICE}test.doc`))).toBe('E_OOXML_INVALID');
    expect(await codeOf(run(ooxmlIngestor, 'x.docx', strToU8('not a zip')))).toBe('E_OOXML_INVALID');
    const noMain = zipSync({ 'hello.txt': strToU8('hi') });
    expect(await codeOf(run(ooxmlIngestor, 'x.docx', noMain))).toBe('E_OOXML_INVALID');
  });

  it('handles a minimal hand-made package: entities, tabs, breaks, deleted text, text boxes once', async () => {
    const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
    const doc = `<?xml version="1.0" encoding="UTF-8"?><w:document ${W} xmlns:mc="x"><w:body>
      <w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t>Fish &amp; chips</w:t><w:tab/><w:t>&#8364;5</w:t><w:br/><w:t xml:space="preserve">next </w:t></w:r></w:p>
      <w:p><w:del><w:r><w:delText>secret figure</w:delText></w:r></w:del><w:r><mc:AlternateContent><mc:Choice><w:t>boxed</w:t></mc:Choice><mc:Fallback><w:t>boxed</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p>
      </w:body></w:document>`;
    const pkg = zipSync({
      '[Content_Types].xml': strToU8('<Types><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'),
      '_rels/.rels': strToU8('<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>'),
      'word/document.xml': strToU8(doc),
      'docProps/core.xml': strToU8('<cp:coreProperties xmlns:cp="c" xmlns:dc="d" xmlns:dcterms="t"><dc:title>Q3 &lt;draft&gt;</dc:title><dc:creator>Alice</dc:creator><cp:lastModifiedBy>Bob</cp:lastModifiedBy><dcterms:created>2020-02-03T04:05:06Z</dcterms:created></cp:coreProperties>'),
    });
    const x = await run(ooxmlIngestor, 'memo.docx', pkg);
    expect(x.text).toBe('Fish & chips\t€5\nnext \nboxed');
    expect(x.meta.deletedText).toBe('secret figure');
    expect(x.title).toBe('Q3 <draft>');
    expect(x.meta).toMatchObject({ creator: 'Alice', lastModifiedBy: 'Bob', created: '2020-02-03T04:05:06Z' });
  });
});
