// Self-test of the fixture generator (the oracle of the ingest tests): it is
// deterministic, the manifest matches the files on disk, the item count is in
// range, and the generated PDFs and Office files read back with standard tools.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { makeLeak, type Manifest } from './fixtures/make-leak.ts';
import { makeMailDump } from './fixtures/make-mail-dump.ts';
import { tempDir } from './helpers/tmp.ts';

const tmp = tempDir('tamis-fixtures-');
const a = join(tmp.dir, 'a');
const b = join(tmp.dir, 'b');
let first: Manifest;
let second: Manifest;

const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');
const has = (cmd: string) => { try { execFileSync('sh', ['-c', `command -v ${cmd}`]); return true; } catch { return false; } };
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : [relative(a, join(dir, e.name)).split(sep).join('/')]);
}

beforeAll(async () => {
  first = await makeLeak(a, { seed: 2017 });
  second = await makeLeak(b, { seed: 2017 });
});
afterAll(() => tmp.cleanup());

describe('makeLeak', () => {
  it('is deterministic for a seed', () => {
    expect(second).toEqual(first);
  });

  it('holds 350 to 500 items, one path each, every kind represented', () => {
    expect(first.items.length).toBeGreaterThanOrEqual(350);
    expect(first.items.length).toBeLessThanOrEqual(500);
    expect(new Set(first.items.map((i) => i.path)).size).toBe(first.items.length);
    const kinds = new Set(first.items.map((i) => i.kind));
    for (const k of ['email', 'attachment', 'document', 'archive', 'image']) expect(kinds).toContain(k);
    // Some bytes occur at several paths (dedupe).
    expect(new Set(first.items.map((i) => i.sha256)).size).toBeLessThan(first.items.length);
  });

  it('lists every file on disk with its SHA-256 and size, and no other top-level path', () => {
    const top = first.items.filter((i) => !i.path.includes('!/'));
    for (const i of top) {
      const p = join(a, ...i.path.split('/'));
      expect({ path: i.path, sha256: sha(p), size: statSync(p).size }).toEqual({ path: i.path, sha256: i.sha256, size: i.size });
    }
    expect(filesUnder(a).sort()).toEqual(top.map((i) => i.path).sort());
  });

  it('records the three broken files as items and failures', () => {
    const paths = new Set(first.items.map((i) => i.path));
    expect(first.failures).toEqual([
      { path: 'broken/corrupt.zip', code: 'E_ZIP_CORRUPT' },
      { path: 'broken/truncated.pdf', code: 'E_PDF_INVALID' },
      { path: 'broken/invalid.eml', code: 'E_EMAIL_INVALID' },
    ]);
    for (const f of first.failures) expect(paths.has(f.path)).toBe(true);
  });

  it('never spells "tresorerie" without its accent', () => {
    for (const p of filesUnder(a)) expect(readFileSync(join(a, p)).toString('latin1').toLowerCase()).not.toContain('tresorerie');
  });

  it.runIf(has('pdftotext'))('writes PDFs whose text pdftotext reads, accents included', () => {
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', join(a, 'docs', 'note-trésorerie-mai-2017.pdf'), '-'], { encoding: 'utf8' });
    expect(text).toContain('Trésorerie');
    const info = execFileSync('pdfinfo', [join(a, 'docs', 'note-trésorerie-mai-2017.pdf')], { encoding: 'utf8' });
    expect(info).toMatch(/Title:\s+Trésorerie — prévisions/);
    expect(info).toMatch(/Author:\s+\S/);
  });

  it.runIf(has('exiftool'))('writes Office files whose core and app properties exiftool reads', () => {
    const out = JSON.parse(execFileSync('exiftool', ['-j', join(a, 'docs', 'plan-de-financement.docx'), join(a, 'docs', 'tableau-dons-avril.xlsx'), join(a, 'docs', 'presentation-comite.pptx')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as Record<string, unknown>[];
    for (const m of out) {
      expect(m.Creator).toBeTypeOf('string');
      expect(m.LastModifiedBy).toBeTypeOf('string');
      expect(m.CreateDate).toMatch(/^2017:/);
      expect(m.ModifyDate).toMatch(/^2017:/);
      expect(m.Application).toMatch(/^Microsoft/);
      expect(m.Company).toBe('En Marche !');
    }
  });
});

describe('makeMailDump', () => {
  it('writes count emails in a maildir, deterministically', async () => {
    const d1 = await makeMailDump(join(tmp.dir, 'm1'), { count: 200, seed: 3, layout: 'maildir' });
    const d2 = await makeMailDump(join(tmp.dir, 'm2'), { count: 200, seed: 3, layout: 'maildir' });
    expect(d2).toEqual(d1);
    const emails = d1.items.filter((i) => i.kind === 'email');
    expect(emails.length).toBe(200);
    expect(emails.every((e) => /^mail\/[^/]+\/(cur|new)\/[^/]+$/.test(e.path))).toBe(true);
    const attached = d1.items.length - emails.length;
    expect(attached).toBeGreaterThan(10);
    expect(attached).toBeLessThan(80);
    for (const e of emails.slice(0, 20)) expect(sha(join(tmp.dir, 'm1', ...e.path.split('/')))).toBe(e.sha256);
  });
});
