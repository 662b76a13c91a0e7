// End to end: the generated authenticity dump ingested with the real command
// line into SQLite and into PostgreSQL gives the same report, byte for byte,
// apart from when each run imported the DKIM keys (evidence.key.importedAt)
// and when the report was written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeAuthenticityDump, type AuthManifest } from '../fixtures/make-authenticity-dump.ts';
import { tamis } from '../helpers/cli.ts';
import { tempDir } from '../helpers/tmp.ts';
import { createTestDb } from '../helpers/pg.ts';

const tmp = tempDir();
const dump = join(tmp.dir, 'leak');
const sqlite = join(tmp.dir, 'tamis.db');
let pg: Awaited<ReturnType<typeof createTestDb>>;
let manifest: AuthManifest;

const ingest = (db: string, extra: string[] = []) => {
  const t0 = Date.now();
  const run = tamis(['ingest', dump, '--db', db, ...extra, '--keys', manifest.keysZone, '--quiet', '--no-ocr']);
  expect(run.status, run.stderr).toBe(0);
  return Date.now() - t0;
};
const report = (db: string) => {
  const out = join(tmp.dir, `report-${db.startsWith('postgres') ? 'pg' : 'sqlite'}.json`);
  const run = tamis(['report', '--db', db, '--format', 'json', '--out', out]);
  expect(run.status, run.stderr).toBe(0);
  return readFileSync(out, 'utf8')
    .replace(/"generatedAt": ?"[^"]*"/, '"generatedAt":"-"')
    .replace(/"importedAt":"[^"]*"/g, '"importedAt":"-"');
};

beforeAll(async () => {
  manifest = await makeAuthenticityDump(dump);
  pg = await createTestDb();
});
afterAll(async () => { await pg?.drop(); tmp.cleanup(); });

describe('the same dump in SQLite and PostgreSQL', () => {
  it('gives identical reports', () => {
    const sqliteMs = ingest(sqlite);
    const pgMs = ingest(pg.url, ['--blobs', join(tmp.dir, 'pg.blobs')]);
    console.log(`ingest + analysis of ${manifest.items.length} items: SQLite ${sqliteMs} ms, PostgreSQL ${pgMs} ms`);
    const a = report(sqlite);
    const b = report(pg.url);
    expect(JSON.parse(b).items.length).toBe(JSON.parse(a).items.length);
    // Byte for byte; a failure shows the first line (one item per line) that differs.
    const la = a.split('\n');
    const lb = b.split('\n');
    const first = la.findIndex((line, k) => line !== lb[k]);
    expect(first === -1 ? null : lb[first], `first difference, line ${first + 1}`).toBe(first === -1 ? null : la[first]);
    expect(lb.length).toBe(la.length);
  });

  it('gives the same verdicts, search results, manifest and intact originals', () => {
    const verdicts = (db: string) => Object.fromEntries((JSON.parse(report(db)).items as { sha256: string; verdict: string }[]).map((i) => [i.sha256, i.verdict]));
    expect(verdicts(pg.url)).toEqual(verdicts(sqlite));
    const search = (db: string) => JSON.parse(tamis(['search', 'tresorerie', '--db', db, '--json', '--limit', '100']).stdout) as { total: number; hits: { sha256: string }[] };
    const s = search(sqlite);
    const p = search(pg.url);
    expect(p.total).toBe(s.total);
    expect(p.hits.map((h) => h.sha256).sort()).toEqual(s.hits.map((h) => h.sha256).sort());
    expect(tamis(['manifest', '--db', pg.url]).stdout).toBe(tamis(['manifest', '--db', sqlite]).stdout);
    const verify = tamis(['verify-store', '--db', pg.url, '--blobs', join(tmp.dir, 'pg.blobs'), '--json']);
    expect(verify.status, verify.stdout).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, checked: manifest.items.length });
  });
});
