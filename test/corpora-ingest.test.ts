// Every real third-party file in ../shared/corpora (Tika, POI, pdf.js and
// RFC test files, some deliberately malformed) goes through a whole ingest
// and analysis: the run completes, nothing crashes a parser thread, and
// each file ends as an item, a coded failure, or both.
import { afterAll, expect, it } from 'vitest';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tamis } from './helpers/cli.ts';
import { tempDir } from './helpers/tmp.ts';

const corpora = fileURLToPath(new URL('../../shared/corpora/', import.meta.url));
const tmp = tempDir();
afterAll(() => tmp.cleanup());

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
}

it.runIf(existsSync(corpora))('ingests every corpus file without a crash', { timeout: 600_000 }, () => {
  const db = join(tmp.dir, 'corpora.db');
  const r = tamis(['ingest', corpora, '--db', db, '--quiet', '--no-ocr', '--timeout', '60']);
  expect(r.status, r.stderr).toBe(0);
  expect(r.stderr).toBe('');
  const report = JSON.parse(tamis(['report', '--db', db]).stdout) as { items: { paths: string[] }[]; failures: { path: string; code: string }[] };
  const crashes = report.failures.filter((f) => ['E_WORKER_CRASH', 'E_TIMEOUT', 'E_EXTRACT'].includes(f.code));
  expect(crashes).toEqual([]);
  const accounted = new Set([...report.items.flatMap((i) => i.paths), ...report.failures.map((f) => f.path)]);
  const all = files(corpora).filter((f) => statSync(f).isFile()).map((f) => relative(corpora, f));
  expect(all.filter((f) => !accounted.has(f))).toEqual([]);
  expect(all.length).toBeGreaterThan(600);
});
