// A team ingest: the generated leak queued in PostgreSQL and read by three
// `tamis worker` processes gives the same report as a one-process ingest;
// a worker killed with SIGKILL mid-ingest loses nothing (its jobs go to
// another worker once its heartbeat stops). Real PostgreSQL, real processes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { makeLeak, type LeakManifest } from './fixtures/make-leak.ts';
import { BIN, tamis } from './helpers/cli.ts';
import { tempDir } from './helpers/tmp.ts';
import { createTestDb, type TestDatabase } from './helpers/pg.ts';

interface Report { items: { sha256: string; path: string; paths: string[]; verdict: string; findings: { evidence: Record<string, unknown> }[] }[]; failures: unknown[] }

const tmp = tempDir();
const dump = join(tmp.dir, 'leak');
let manifest: LeakManifest;
let local: Report;
const databases: TestDatabase[] = [];

/** What may differ between two runs: when the DKIM keys were imported (wherever a key is quoted). */
function comparable(r: Report): unknown {
  return JSON.parse(JSON.stringify({ items: r.items, failures: r.failures }, (k, v: unknown) => (k === 'importedAt' ? '(time of import)' : v)));
}

const report = (db: string): Report => {
  const r = tamis(['report', '--db', db, '--format', 'json']);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Report;
};

function startWorker(db: string, queue: string, blobs: string): ChildProcess {
  return spawn(process.execPath, [BIN, 'worker', '--db', db, '--queue', queue, '--blobs', blobs, '--concurrency', '1', '--no-ocr', '--exit-when-idle', '4', '--quiet'],
    { stdio: ['ignore', 'ignore', 'pipe'] });
}
const stderrOf = (p: ChildProcess) => { let text = ''; p.stderr?.on('data', (d: Buffer) => { text += d.toString(); }); return () => text; };
const exited = (p: ChildProcess) => new Promise<number | null>((r) => { if (p.exitCode !== null || p.signalCode) r(p.exitCode); else p.once('exit', (code) => r(code)); });

beforeAll(async () => {
  manifest = await makeLeak(dump);
  const db = join(tmp.dir, 'local.db');
  const run = tamis(['ingest', dump, '--db', db, '--keys', manifest.keysZone, '--quiet', '--no-ocr']);
  expect(run.status, run.stderr).toBe(0);
  local = report(db);
});
afterAll(async () => {
  for (const d of databases) await d.drop();
  tmp.cleanup();
});

describe('team ingest', () => {
  it('gives the same report with three workers as with one process', async () => {
    const pg = await createTestDb();
    databases.push(pg);
    const blobs = join(tmp.dir, 'team.blobs');
    const workers = [1, 2, 3].map(() => startWorker(pg.url, pg.url, blobs));
    const run = spawnSync(process.execPath, [BIN, 'ingest', dump, '--db', pg.url, '--blobs', blobs, '--keys', manifest.keysZone, '--workers', '0', '--no-ocr', '--quiet'],
      { encoding: 'utf8', timeout: 240_000 });
    expect(run.status, run.stderr).toBe(0);
    const logs = workers.map(stderrOf);
    expect(await Promise.all(workers.map(exited)), logs.map((l) => l()).join('\n')).toEqual([0, 0, 0]);
    expect(comparable(report(pg.url))).toEqual(comparable(local));
  });

  it('loses nothing when a worker is killed mid-ingest', async () => {
    const pg = await createTestDb();
    databases.push(pg);
    const blobs = join(tmp.dir, 'killed.blobs');
    // Queue first, then let a doomed worker take the first batch and die holding it.
    const queued = tamis(['ingest', dump, '--db', pg.url, '--blobs', blobs, '--keys', manifest.keysZone, '--no-wait', '--quiet']);
    expect(queued.status, queued.stderr).toBe(0);
    const doomed = startWorker(pg.url, pg.url, blobs);
    await new Promise((r) => setTimeout(r, 1500));
    doomed.kill('SIGKILL');
    await exited(doomed);
    const survivors = [startWorker(pg.url, pg.url, blobs), startWorker(pg.url, pg.url, blobs)];
    // The batch the dead worker held comes back after its heartbeat expires (pg-boss minimum 10 s).
    const wait = spawnSync(process.execPath, [BIN, 'ingest', dump, '--db', pg.url, '--blobs', blobs, '--workers', '0', '--no-ocr', '--quiet'], { encoding: 'utf8', timeout: 240_000 });
    expect(wait.status, wait.stderr).toBe(0);
    await Promise.all(survivors.map(exited));
    const team = report(pg.url);
    expect(new Set(team.items.map((i) => i.sha256))).toEqual(new Set(manifest.items.map((i) => i.sha256)));
    expect(comparable(team)).toEqual(comparable(local));
  });
});
