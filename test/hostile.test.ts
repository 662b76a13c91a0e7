// A dump made by an attacker: bombs, traversal names (zip, RAR), links, looping and
// truncated PDFs, MIME nested 10,000 deep. The run completes, each bad item
// has its failure code, and nothing is written outside the store.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { makeHostile, type HostileExpectation } from './fixtures/make-hostile.ts';
import { tamis } from './helpers/cli.ts';
import { tempDir } from './helpers/tmp.ts';

const tmp = tempDir();
const dump = join(tmp.dir, 'dump');
const db = join(tmp.dir, 'store', 'tamis.db');
let expected: HostileExpectation[];
let report: { items: { path: string; paths: string[] }[]; failures: { path: string; code: string }[] };
let stdout = '';

function tree(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? tree(join(dir, e.name)) : [join(dir, e.name)]));
}

beforeAll(async () => {
  expected = await makeHostile(dump);
  const r = tamis(['ingest', dump, '--db', db, '--timeout', '20', '--quiet']);
  stdout = r.stdout;
  expect(r.status, r.stderr).toBe(0);
  report = JSON.parse(tamis(['report', '--db', db]).stdout);
});
afterAll(() => tmp.cleanup());

it('completes and records each planted problem with its code', () => {
  expect(stdout).toMatch(/Ingested 8 files/);
  for (const e of expected) {
    expect(report.failures.filter((f) => f.path === e.path).map((f) => f.code), e.path).toContain(e.code);
  }
  // Every copy of the bomb kernel, at every nesting path, is accounted for.
  expect(report.failures.filter((f) => f.path.startsWith('bomb-42.zip!/') && f.code === 'E_BOMB')).toHaveLength(16 ** 4);
  expect(report.failures.filter((f) => f.path.startsWith('bomb-overlap.zip!/') && f.code === 'E_BOMB')).toHaveLength(200);
});

it('keeps traversal and odd member names as data and writes nothing outside the store', () => {
  const paths = report.items.flatMap((i) => i.paths);
  for (const name of ['slip.zip!/../../../../tmp/tamis-zip-slip.txt', 'slip.zip!/C:\\Windows\\tamis.txt', 'slip.zip!/nul\u0000byte.txt', 'slip.zip!/link-to-passwd', 'slip.zip!/ok/normal.txt']) {
    expect(paths, name).toContain(name);
  }
  for (const name of ['slip.rar!/../../../../tmp/tamis-rar-slip.txt', 'slip.rar!//etc/tamis-rar-absolute.txt', 'slip.rar!/C:\\Windows\\tamis-rar.txt', 'slip.rar!/ok/normal.txt']) {
    expect(paths, name).toContain(name);
  }
  expect(report.failures.filter((f) => f.path.startsWith('slip.rar'))).toEqual([]);
  expect(existsSync('/tmp/tamis-zip-slip.txt')).toBe(false);
  expect(existsSync('/tmp/tamis-rar-slip.txt')).toBe(false);
  expect(existsSync('/etc/tamis-absolute.txt')).toBe(false);
  // Only the dump (as generated), the store file and its blob folder exist.
  const outside = tree(tmp.dir).map((p) => relative(tmp.dir, p))
    .filter((p) => !p.startsWith('dump/') && !/^store\/tamis\.(db|db-wal|db-shm)$/.test(p) && !/^store\/tamis\.blobs\/[0-9a-f]{2}\/[0-9a-f]{64}$/.test(p));
  expect(outside).toEqual([]);
});
