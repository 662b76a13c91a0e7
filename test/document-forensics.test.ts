// Document metadata forensics end to end: forged documents (Cyrillic or
// unknown editor, impossible dates, an edit burst, PDFs edited in place, a
// foreign time zone, an image editor as producer, an Office file zipped again
// by another tool) are suspicious with the
// field and value as evidence; genuine ones are not (<= 2% false alarms).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { join } from 'node:path';
import { makeDocumentDump, type DocItem } from './fixtures/make-document-dump.ts';
import { tamis } from './helpers/cli.ts';
import { tempDir } from './helpers/tmp.ts';

interface Item { sha256: string; verdict: string; findings: { rule: string; evidence: Record<string, unknown>; message: string }[] }
const tmp = tempDir();
const dump = join(tmp.dir, 'docs');
const db = join(tmp.dir, 'tamis.db');
let items: DocItem[];
let bySha: Map<string, Item>;

beforeAll(() => {
  items = makeDocumentDump(dump);
  const r = tamis(['ingest', dump, '--db', db, '--quiet', '--no-ocr', '--leak-date', '2017-05-05T20:00:00Z']);
  expect(r.status, r.stderr).toBe(0);
  bySha = new Map((JSON.parse(tamis(['report', '--db', db]).stdout) as { items: Item[] }).items.map((i) => [i.sha256, i]));
});
afterAll(() => tmp.cleanup());

const RULE_OF: Record<string, string> = {
  'cyrillic-editor': 'doc.foreign-script', 'unknown-editor': 'doc.unknown-editor', 'impossible-dates': 'doc.created-after-modified',
  'edit-burst': 'doc.edit-burst', 'incremental-pdf': 'pdf.incremental-update', 'foreign-timezone': 'doc.foreign-timezone',
  'post-processing': 'pdf.post-processing', 'revised-pdf': 'pdf.revision-text-changed',
  'changed-after-signature': 'pdf.changed-after-signature', 'signed-then-appended': 'pdf.appended-after-signature',
  'rezipped-office': 'office.rezipped',
};

it('makes every forged document suspicious, by the rule that fits, with its evidence', () => {
  const forged = items.filter((i) => i.expect !== 'consistent');
  expect(new Set(forged.map((f) => f.label))).toEqual(new Set(Object.keys(RULE_OF)));
  for (const f of forged) {
    const got = bySha.get(f.sha256)!;
    expect(got.verdict, f.path).toBe(f.expect);
    expect(got.findings.map((x) => x.rule), f.path).toContain(RULE_OF[f.label]);
  }
  const cyr = bySha.get(forged.find((f) => f.label === 'cyrillic-editor')!.sha256)!.findings.find((x) => x.rule === 'doc.foreign-script')!;
  expect(cyr.evidence).toMatchObject({ field: 'lastModifiedBy', value: 'Рошка Георгий Петрович', script: 'Cyrillic' });
  const burst = bySha.get(forged.find((f) => f.label === 'edit-burst')!.sha256)!.findings.find((x) => x.rule === 'doc.edit-burst')!;
  expect((burst.evidence.documents as unknown[]).length).toBe(5);
  const revised = bySha.get(forged.find((f) => f.label === 'revised-pdf')!.sha256)!.findings.find((x) => x.rule === 'pdf.revision-text-changed')!;
  expect(revised.evidence.changes).toEqual([expect.objectContaining({ removed: '12', added: '120' })]);
});

it('raises no alarm on more than 2% of the genuine documents and mail', () => {
  const genuine = items.filter((i) => i.expect === 'consistent');
  const flagged = genuine.filter((g) => bySha.get(g.sha256)!.verdict !== 'consistent');
  expect(flagged.length / genuine.length, flagged.map((g) => `${g.path}: ${bySha.get(g.sha256)!.findings.map((x) => x.rule)}`).join('\n')).toBeLessThanOrEqual(0.02);
});
