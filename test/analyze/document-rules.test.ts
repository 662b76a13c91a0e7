// Document metadata rules on the cases the MacronLeaks forgeries showed, and
// on genuine-looking documents that must not be flagged.
import { describe, expect, it } from 'vitest';
import { docFacts } from '../../src/analyze/documents/doc-facts.ts';
import { learnBaseline } from '../../src/analyze/documents/baseline.ts';
import { metadataFindings } from '../../src/analyze/documents/metadata-rules.ts';
import { editBurstFindings } from '../../src/analyze/documents/edit-burst.ts';
import { pdfFindings } from '../../src/analyze/documents/pdf-rules.ts';
import { emailFacts } from '../../src/analyze/email-facts.ts';
import { verdictOf } from '../../src/analyze/verdict.ts';

const people = ['Hélène Dupré', 'François Lefèvre', 'Cécile Fournié', 'Marc Girard', 'Sophie Martin', 'Julien Bernard', 'Nadia Haddad', 'Paul Roux', 'Anne Moreau', 'Luc Petit'];
const emails = people.flatMap((name, i) => Array.from({ length: 3 }, (_, k) => {
  const meta = { from: { name, address: `${name.split(' ')[0]!.toLowerCase()}@en-marche.example` }, date: `Tue, 0${(k % 9) + 1} May 2017 10:0${i % 10}:00 +0200`, headers: [] };
  return { facts: emailFacts(meta), names: [name] };
}));
const genuine = (over: Record<string, unknown> = {}) => docFacts('ooxml', {
  creator: 'Hélène Dupré', lastModifiedBy: 'François Lefèvre', company: 'En Marche !', created: '2017-03-01T09:00:00Z',
  modified: '2017-04-12T16:30:00Z', totalTime: 95, application: 'Microsoft Office Word', ...over,
})!;
const base = learnBaseline({ emails, docs: [genuine(), genuine()] });
const rules = (fs: { rule: string }[]) => fs.map((f) => f.rule).sort();

describe('metadata rules', () => {
  it('leave a genuine document alone', () => {
    expect(metadataFindings(genuine(), base, { leakDate: new Date('2017-05-05T20:00:00Z') })).toEqual([]);
    expect(metadataFindings(genuine({ lastModifiedBy: 'Utilisateur Windows' }), base)).toEqual([]);
  });

  it('flag a Cyrillic editor, with the exact field and value', () => {
    const fs = metadataFindings(genuine({ lastModifiedBy: 'Рошка Георгий Петрович' }), base);
    expect(rules(fs)).toEqual(['doc.foreign-script', 'doc.unknown-editor']);
    expect(fs[0]!.evidence).toMatchObject({ field: 'lastModifiedBy', value: 'Рошка Георгий Петрович', script: 'Cyrillic' });
    expect(verdictOf(fs)).toBe('suspicious');
  });

  it('learn the script and time zones from verified emails first: planted forged emails cannot hide a Cyrillic editor', () => {
    // 40 unverified (forged) emails with Cyrillic names and a Moscow clock outnumber the genuine ones.
    const planted = Array.from({ length: 40 }, (_, k) => {
      const meta = { from: { name: 'Рошка Георгий Петрович', address: `roshka${k}@mail.example` }, date: `Wed, 03 May 2017 1${k % 10}:00:00 +0300`, headers: [] };
      return { facts: emailFacts(meta), names: ['Рошка Георгий Петрович'], verified: false };
    });
    const forged = genuine({ lastModifiedBy: 'Рошка Георгий Петрович' });
    // Without verified emails the dump's own majority decides, and the forgery blends in.
    const naive = learnBaseline({ emails: [...emails, ...planted], docs: [genuine(), genuine()] });
    expect(naive.learnedFrom).toBe('all emails');
    expect(rules(metadataFindings(forged, naive))).toEqual([]);
    // With the genuine emails verified, only they say what the dump's names look like.
    const trusted = learnBaseline({ emails: [...emails.map((e) => ({ ...e, verified: true })), ...planted], docs: [genuine(), genuine()] });
    expect(trusted.learnedFrom).toBe('verified emails');
    expect(trusted.latinShare).toBe(1);
    expect(trusted.offsets).toEqual(new Set([120]));
    const fs = metadataFindings(forged, trusted);
    expect(rules(fs)).toEqual(['doc.foreign-script']);
    expect(fs[0]!.message).toContain("verified emails");
    expect(fs[0]!.evidence).toMatchObject({ learnedFrom: 'verified emails' });
  });

  it('flag a Cyrillic code page in a legacy Office file', () => {
    const d = docFacts('ole2', { author: 'Hélène Dupré', lastModifiedBy: 'Hélène Dupré', codePage: 1251, created: '2017-03-01T09:00:00Z', modified: '2017-03-02T09:00:00Z' })!;
    expect(rules(metadataFindings(d, base))).toEqual(['doc.foreign-codepage']);
  });

  it('flag an editor nobody in the dump knows, impossible and late dates, and editing time', () => {
    expect(rules(metadataFindings(genuine({ lastModifiedBy: 'Igor Strelkov' }), base))).toEqual(['doc.unknown-editor']);
    expect(rules(metadataFindings(genuine({ created: '2017-05-01T00:00:00Z', modified: '2017-04-01T00:00:00Z' }), base))).toEqual(['doc.created-after-modified']);
    expect(rules(metadataFindings(genuine({ modified: '2017-05-06T08:00:00Z' }), base, { leakDate: new Date('2017-05-05T20:00:00Z') }))).toEqual(['doc.modified-after-leak']);
    expect(rules(metadataFindings(genuine({ created: '2017-04-12T16:00:00Z', totalTime: 600 }), base))).toEqual(['doc.edit-time-inconsistent']);
  });

  it('flag a PDF date written in a time zone the dump never uses', () => {
    const d = docFacts('pdf', { author: 'Hélène Dupré', creationDate: '2017-04-01T10:00:00Z', creationDateRaw: "D:20170401130000+03'00'" })!;
    expect(rules(metadataFindings(d, base))).toEqual(['doc.foreign-timezone']);
    const ok = docFacts('pdf', { author: 'Hélène Dupré', creationDate: '2017-04-01T10:00:00Z', creationDateRaw: "D:20170401120000+02'00'" })!;
    expect(metadataFindings(ok, base)).toEqual([]);
  });
});

describe('edit bursts', () => {
  const doc = (i: number, created: string, modified: string, folder = 'compta') =>
    ({ sha256: `h${i}`, folder, path: `${folder}/f${i}.xlsx`, facts: genuine({ created, modified }) });
  it('flag five files saved within minutes that claim to be years apart', () => {
    const docs = [0, 1, 2, 3, 4].map((i) => doc(i, `201${i}-02-01T10:00:00Z`, `2017-05-03T21:0${i}:00Z`));
    const out = editBurstFindings([...docs, doc(9, '2016-01-01T00:00:00Z', '2017-01-01T00:00:00Z')]);
    expect([...out.keys()].sort()).toEqual(['h0', 'h1', 'h2', 'h3', 'h4']);
    expect(out.get('h0')![0]!.related.sort()).toEqual(['h1', 'h2', 'h3', 'h4']);
  });
  it('leave alone a burst of files created together, and a burst spread over folders', () => {
    expect(editBurstFindings([0, 1, 2, 3, 4].map((i) => doc(i, '2017-05-01T10:00:00Z', `2017-05-03T21:0${i}:00Z`))).size).toBe(0);
    expect(editBurstFindings([0, 1, 2, 3, 4].map((i) => doc(i, `201${i}-02-01T10:00:00Z`, `2017-05-03T21:0${i}:00Z`, `d${i}`))).size).toBe(0);
  });
});

describe('PDF rules', () => {
  it('flag Info/XMP disagreement, editing tools and incremental updates', () => {
    expect(rules(pdfFindings({ author: 'Hélène Dupré', producer: 'Microsoft® Word 2016', revisions: 1, xmp: { 'dc:creator': 'Hélène Dupré', 'pdf:producer': 'Microsoft® Word 2016' } }))).toEqual([]);
    expect(rules(pdfFindings({ author: 'Hélène Dupré', revisions: 1, xmp: { 'dc:creator': 'Jean Inconnu' } }))).toEqual(['pdf.info-xmp-mismatch']);
    expect(rules(pdfFindings({ producer: 'Adobe Photoshop CC 2017', revisions: 1 }))).toEqual(['pdf.post-processing']);
    expect(rules(pdfFindings({ producer: 'Microsoft® Word 2016', revisions: 3 }))).toEqual(['pdf.incremental-update']);
  });
});
