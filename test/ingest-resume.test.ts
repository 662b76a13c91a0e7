// SIGKILL in the middle of an ingest, run it again: the store ends with the
// same items and paths as an uninterrupted run, with nothing twice.
import { afterAll, beforeAll, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { makeLeak } from './fixtures/make-leak.ts';
import { tamis, tamisAsync } from './helpers/cli.ts';
import { tempDir } from './helpers/tmp.ts';

const tmp = tempDir();
const dump = join(tmp.dir, 'leak');
beforeAll(async () => { await makeLeak(dump, { seed: 2017 }); });
afterAll(() => tmp.cleanup());

function snapshot(db: string) {
  const report = JSON.parse(tamis(['report', '--db', db, '--format', 'json']).stdout) as {
    items: { sha256: string; paths: string[] }[]; failures: { path: string; code: string }[];
  };
  const d = new Database(db, { readonly: true });
  const dupOcc = d.prepare('SELECT count(*) AS n FROM (SELECT path, sha256, count(*) c FROM occurrences GROUP BY path, sha256 HAVING c > 1)').get() as { n: number };
  const ftsRows = (d.prepare('SELECT count(*) AS n FROM items_fts').get() as { n: number }).n;
  const items = (d.prepare('SELECT count(*) AS n FROM items').get() as { n: number }).n;
  d.close();
  return { report: { items: report.items, failures: report.failures }, dupOcc: dupOcc.n, ftsRows, items };
}

async function countItems(db: string): Promise<number> {
  if (!existsSync(db)) return 0;
  try {
    const d = new Database(db, { readonly: true, fileMustExist: true });
    try { return (d.prepare('SELECT count(*) AS n FROM occurrences').get() as { n: number }).n; } finally { d.close(); }
  } catch { return 0; }
}

it('resumes after SIGKILL at 20 points to the same item set and verdicts', { timeout: 400_000 }, async () => {
  const clean = join(tmp.dir, 'clean.db');
  expect(tamis(['ingest', dump, '--db', clean, '--quiet', '--no-ocr']).status).toBe(0);
  const expected = snapshot(clean);
  expect(expected.dupOcc).toBe(0);
  expect(expected.ftsRows).toBe(expected.items);

  // Twenty kill moments spread over the run (node start-up, walking,
  // extracting, writing, analysing), each followed by a plain rerun.
  const started = Date.now();
  expect(tamis(['ingest', dump, '--db', join(tmp.dir, 'timing.db'), '--quiet', '--no-ocr']).status).toBe(0);
  const runMs = Date.now() - started;
  for (let k = 0; k < 20; k++) {
    const killAfterMs = Math.round(80 + (runMs * k) / 20);
    const db = join(tmp.dir, `killed-${k}.db`);
    const child = tamisAsync(['ingest', dump, '--db', db, '--quiet', '--no-ocr']);
    const exited = new Promise((resolve) => child.on('exit', resolve));
    await sleep(killAfterMs);
    child.kill('SIGKILL');
    await exited;
    const partial = await countItems(db);
    const resumed = tamis(['ingest', dump, '--db', db, '--quiet', '--no-ocr']);
    expect(resumed.status, resumed.stderr).toBe(0);
    const got = snapshot(db);
    expect({ k, killAfterMs, partialAtMost: partial <= expected.report.items.flatMap((i) => i.paths).length }).toEqual({ k, killAfterMs, partialAtMost: true });
    expect(got).toEqual(expected);
  }
});
