// Jobs that hit the time limit are failures with E_TIMEOUT (the input file
// still kept and hashed); `--retry-failed`
// with a sensible limit runs exactly those again and ends with the same
// store as an uninterrupted run.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { join } from 'node:path';
import { makeLeak } from './fixtures/make-leak.ts';
import { tamis } from './helpers/cli.ts';
import { tempDir } from './helpers/tmp.ts';

const tmp = tempDir();
const dump = join(tmp.dir, 'leak');
beforeAll(async () => { await makeLeak(dump, { seed: 2017 }); });
afterAll(() => tmp.cleanup());

const report = (db: string) => {
  const r = JSON.parse(tamis(['report', '--db', db]).stdout) as { items: unknown[]; failures: { path: string; code: string }[] };
  return { items: r.items, failures: r.failures };
};

it('re-runs timed-out jobs and reaches the uninterrupted result', () => {
  const clean = join(tmp.dir, 'clean.db');
  expect(tamis(['ingest', dump, '--db', clean, '--quiet', '--no-ocr']).status).toBe(0);
  const db = join(tmp.dir, 'retry.db');
  expect(tamis(['ingest', dump, '--db', db, '--quiet', '--no-ocr', '--timeout', '0.001']).status).toBe(0);
  const first = report(db);
  expect(first.failures.filter((f) => f.code === 'E_TIMEOUT').length).toBeGreaterThan(0);
  // A file its parser gave up on is still kept and hashed: the interrupted run's manifest is the clean run's.
  expect(tamis(['manifest', '--db', db]).stdout).toBe(tamis(['manifest', '--db', clean]).stdout);
  const again = tamis(['ingest', dump, '--db', db, '--quiet', '--no-ocr', '--retry-failed']);
  expect(again.status, again.stderr).toBe(0);
  expect(report(db)).toEqual(report(clean));
});
