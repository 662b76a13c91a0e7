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

it('resumes after SIGKILL at several points to the same item set', async () => {
  const clean = join(tmp.dir, 'clean.db');
  expect(tamis(['ingest', dump, '--db', clean, '--quiet']).status).toBe(0);
  const expected = snapshot(clean);
  expect(expected.dupOcc).toBe(0);
  expect(expected.ftsRows).toBe(expected.items);

  for (const killAt of [1, 60, 200]) {
    const db = join(tmp.dir, `killed-${killAt}.db`);
    const child = tamisAsync(['ingest', dump, '--db', db, '--quiet']);
    const exited = new Promise((resolve) => child.on('exit', resolve));
    const deadline = Date.now() + 60_000;
    while ((await countItems(db)) < killAt && Date.now() < deadline && child.exitCode === null) await sleep(5);
    child.kill('SIGKILL');
    await exited;
    const partial = await countItems(db);
    const resumed = tamis(['ingest', dump, '--db', db, '--quiet']);
    expect(resumed.status, resumed.stderr).toBe(0);
    const got = snapshot(db);
    expect({ killAt, partialBelowTotal: partial <= expected.report.items.flatMap((i) => i.paths).length }).toEqual({ killAt, partialBelowTotal: true });
    expect(got).toEqual(expected);
  }
});
