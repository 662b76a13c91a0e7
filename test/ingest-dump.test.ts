// End to end on the generated dump: every item the generator made is in the
// report with its exact SHA-256, path and kind; broken files are recorded
// failures with their codes; search folds accents; re-running adds nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeLeak } from './fixtures/make-leak.ts';
import { tamis } from './helpers/cli.ts';
import { tempDir } from './helpers/tmp.ts';

interface Report {
  schema: string; generatedAt: string;
  corpus: { items: number; bytes: number; failed: number };
  items: { id: string; sha256: string; path: string; paths: string[]; parent: string | null; kind: string; mime: string; size: number; title: string | null; date: string | null; verdict: string; findings: unknown[] }[];
  failures: { path: string; code: string; message: string }[];
}

const tmp = tempDir();
const dump = join(tmp.dir, 'leak');
const db = join(tmp.dir, 'tamis.db');
let manifest: Awaited<ReturnType<typeof makeLeak>>;
let report: Report;

beforeAll(async () => {
  manifest = await makeLeak(dump, { seed: 2017 });
  const run = tamis(['ingest', dump, '--db', db, '--quiet', '--keys', manifest.keysZone]);
  expect(run.stderr).not.toMatch(/tamis: |Error/);
  expect(run.status).toBe(0);
  const out = tamis(['report', '--db', db, '--format', 'json']);
  expect(out.status).toBe(0);
  report = JSON.parse(out.stdout);
});
afterAll(() => tmp.cleanup());

describe('ingest of the generated dump', () => {
  it('follows the tamis.report/1 shape', () => {
    expect(report.schema).toBe('tamis.report/1');
    expect(report.generatedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(report.corpus.items).toBe(report.items.length);
    expect(report.corpus.failed).toBe(report.failures.length);
    expect(report.corpus.bytes).toBe(report.items.reduce((n, i) => n + i.size, 0));
    const ids = new Set(report.items.map((i) => i.id));
    for (const item of report.items) {
      expect(item.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(['email', 'attachment', 'document', 'archive', 'image', 'other']).toContain(item.kind);
      expect(['verified', 'corroborated', 'consistent', 'suspicious', 'tampered']).toContain(item.verdict);
      for (const f of item.findings as { rule: string; severity: string; message: string; evidence: object; related: string[] }[]) {
        expect(f.rule).toMatch(/^[a-z]+\.[a-z0-9-]+$/);
        expect(['info', 'warn', 'critical']).toContain(f.severity);
        expect(f.message.length).toBeGreaterThan(10);
        expect(typeof f.evidence).toBe('object');
        for (const r of f.related) expect(ids.has(r)).toBe(true);
      }
      if (item.parent !== null) expect(ids.has(item.parent)).toBe(true);
      expect(item.paths[0]).toBe(item.path);
    }
  });

  it('reports every generated item at every path with its exact SHA-256, and nothing else', () => {
    const expected = new Set(manifest.items.map((m) => `${m.path}\t${m.sha256}`));
    const got = new Set(report.items.flatMap((i) => i.paths.map((p) => `${p}\t${i.sha256}`)));
    const missing = [...expected].filter((k) => !got.has(k));
    const extra = [...got].filter((k) => !expected.has(k));
    expect(missing).toEqual([]);
    expect(extra).toEqual([]);
    expect(report.items.length).toBe(new Set(manifest.items.map((m) => m.sha256)).size);
  });

  it('gives each item the kind and size of its canonical path', () => {
    const byPath = new Map(manifest.items.map((m) => [`${m.path}\t${m.sha256}`, m]));
    for (const item of report.items) {
      const m = byPath.get(`${item.path}\t${item.sha256}`)!;
      expect({ path: item.path, kind: item.kind, size: item.size }).toEqual({ path: m.path, kind: m.kind, size: m.size });
    }
  });

  it('records the corrupt zip, truncated PDF and invalid email as failures with codes', () => {
    expect(manifest.failures.length).toBeGreaterThanOrEqual(3);
    for (const f of manifest.failures) {
      expect(report.failures.filter((r) => r.path === f.path).map((r) => r.code)).toContain(f.code);
    }
    for (const f of report.failures) {
      expect(f.code).toMatch(/^E_[A-Z0-9_]+$/);
      expect(f.message.length).toBeGreaterThan(5);
    }
  });

  it('finds "Trésorerie" when searching "tresorerie"', () => {
    const r = tamis(['search', 'tresorerie', '--db', db, '--json']);
    expect(r.status).toBe(0);
    const { hits } = JSON.parse(r.stdout) as { hits: { id: string; sha256: string; path: string; kind: string; title: string | null; snippet: string; score: number }[] };
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.some((h) => h.kind === 'document' && /Trésorerie/i.test(h.snippet))).toBe(true);
    for (const h of hits) expect(Object.keys(h).sort()).toEqual(['id', 'kind', 'path', 'score', 'sha256', 'snippet', 'title']);
  });

  it('adds nothing when the same ingest runs again', () => {
    const before = readFileSync(db).length;
    const again = tamis(['ingest', dump, '--db', db, '--quiet']);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/0 new/);
    const out = JSON.parse(tamis(['report', '--db', db, '--format', 'json']).stdout) as Report;
    expect(out.items).toEqual(report.items);
    expect(out.failures).toEqual(report.failures);
    expect(before).toBeGreaterThan(0);
  });

  it('gives each labelled email and attachment the verdict the generator expects', () => {
    const verdicts = new Map(report.items.map((i) => [i.sha256, i.verdict]));
    const labelled = (manifest.items as { path: string; sha256: string; label?: string; expect?: string }[]).filter((m) => m.expect);
    expect(labelled.length).toBeGreaterThan(300);
    expect(labelled.filter((m) => verdicts.get(m.sha256) !== m.expect).map((m) => `${m.path} [${m.label}] ${m.expect} ≠ ${verdicts.get(m.sha256)}`)).toEqual([]);
  });

  it('writes a CSV report with one row per item', () => {
    const out = join(tmp.dir, 'report.csv');
    const r = tamis(['report', '--db', db, '--format', 'csv', '--out', out]);
    expect(r.status).toBe(0);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,sha256,path,parent,kind,mime,size,title,date,verdict,rules,paths');
    expect(lines.length).toBeGreaterThanOrEqual(report.items.length + 1);
  });
});
