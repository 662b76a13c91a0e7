// Chain of custody: the intake manifest checks with sha256sum, and
// verify-store notices an original changed or removed after intake.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { existsSync, readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { makeLeak } from './fixtures/make-leak.ts';
import { tamis } from './helpers/cli.ts';
import { tempDir } from './helpers/tmp.ts';

const tmp = tempDir();
const dump = join(tmp.dir, 'leak');
const db = join(tmp.dir, 'tamis.db');
beforeAll(async () => {
  await makeLeak(dump, { seed: 2017 });
  expect(tamis(['ingest', dump, '--db', db, '--quiet', '--no-analyze', '--no-ocr']).status).toBe(0);
});
afterAll(() => tmp.cleanup());

it('writes a manifest of every input file that sha256sum -c accepts', () => {
  const m = tamis(['manifest', '--db', db]);
  expect(m.status).toBe(0);
  const lines = m.stdout.trim().split('\n');
  expect(lines.length).toBeGreaterThan(100);
  writeFileSync(join(tmp.dir, 'SHA256SUMS'), m.stdout);
  const check = spawnSync('sha256sum', ['-c', '--quiet', join(tmp.dir, 'SHA256SUMS')], { cwd: dump, encoding: 'utf8' });
  expect(check.status, check.stdout + check.stderr).toBe(0);
  const json = JSON.parse(tamis(['manifest', '--db', db, '--format', 'json']).stdout) as { inputs: { path: string; sha256: string; size: number }[] };
  expect(json.inputs.length).toBe(lines.length);
});

it('verify-store passes on intact originals and names altered and missing ones', () => {
  expect(tamis(['verify-store', '--db', db]).status).toBe(0);
  const blobRoot = join(tmp.dir, 'tamis.blobs');
  const dirs = readdirSync(blobRoot).sort();
  const a = readdirSync(join(blobRoot, dirs[0]!))[0]!;
  const b = readdirSync(join(blobRoot, dirs[1]!))[0]!;
  writeFileSync(join(blobRoot, dirs[0]!, a), 'tampered');
  unlinkSync(join(blobRoot, dirs[1]!, b));
  const r = tamis(['verify-store', '--db', db, '--json']);
  expect(r.status).toBe(1);
  const out = JSON.parse(r.stdout) as { ok: boolean; missing: string[]; altered: { sha256: string }[] };
  expect(out.ok).toBe(false);
  expect(out.missing).toEqual([b]);
  expect(out.altered.map((x) => x.sha256)).toEqual([a]);
});

it('refuses a missing input with E_NOT_FOUND and leaves no store behind', () => {
  const db = join(tmp.dir, 'typo.db');
  const r = tamis(['ingest', join(tmp.dir, 'no-such-folder'), '--db', db]);
  expect(r.status).toBe(1);
  expect(r.stderr).toMatch(/^tamis: E_NOT_FOUND: /);
  expect(existsSync(db)).toBe(false);
});
