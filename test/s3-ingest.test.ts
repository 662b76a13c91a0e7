// End to end with the original bytes in S3-compatible storage (a real s3rver
// on 127.0.0.1): the generated leak ingested with the real command line into
// `--blobs s3://…` gives the same report as into a local folder, verify-store
// re-hashes every object (and catches one changed behind tamis' back), and
// the streaming paths (blobs written piece by piece, large blobs read from a
// temporary copy) give the same items as the local store does, and a team
// ingest (PostgreSQL, `tamis worker` processes) shares one bucket.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { makeLeak, type LeakManifest } from './fixtures/make-leak.ts';
import { BIN, tamis } from './helpers/cli.ts';
import { createTestDb } from './helpers/pg.ts';
import { tempDir } from './helpers/tmp.ts';
import { startS3Server, type S3TestServer } from './helpers/s3-server.ts';
import { s3ClientConfig } from '../src/store/blobs/s3-location.ts';
import { openBlobStore } from '../src/store/blobs/open-blob-store.ts';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { ingest } from '../src/ingest/pipeline.ts';

const BUCKET = 'tamis-e2e';
const tmp = tempDir();
const dump = join(tmp.dir, 'leak');
let s3: S3TestServer;
let manifest: LeakManifest;

beforeAll(async () => {
  s3 = await startS3Server(BUCKET);
  manifest = await makeLeak(dump, { seed: 2017 });
});
afterAll(async () => { await s3?.stop(); tmp.cleanup(); });

const run = (args: string[]) => {
  const r = tamis(args);
  expect(r.status, r.stderr + r.stdout).toBe(0);
  return r;
};
/** The JSON report, minus the two times that differ between runs. */
const report = (db: string): string => {
  const out = join(tmp.dir, `${db.replace(/\W/g, '_')}.json`);
  run(['report', '--db', db, '--format', 'json', '--out', out]);
  return readFileSync(out, 'utf8')
    .replace(/"generatedAt": ?"[^"]*"/, '"generatedAt":"-"')
    .replace(/"importedAt": ?"[^"]*"/g, '"importedAt":"-"');
};
/** Line by line, so a failure shows the first item that differs. */
function expectSame(actual: string, expected: string): void {
  const a = actual.split('\n');
  const e = expected.split('\n');
  const first = e.findIndex((line, k) => line !== a[k]);
  expect(first === -1 ? null : a[first], `first difference, line ${first + 1}`).toBe(first === -1 ? null : e[first]);
  expect(a.length).toBe(e.length);
}

describe('original bytes in S3-compatible storage', () => {
  const localDb = join(tmp.dir, 'local.db');
  const s3Db = join(tmp.dir, 's3.db');
  const location = `s3://${BUCKET}/cases/macron`;

  it('ingest --blobs s3://… gives the same report as a local folder, and verify-store re-hashes every object', () => {
    const timed = (args: string[]) => { const t0 = Date.now(); run(args); return Date.now() - t0; };
    const common = [dump, '--quiet', '--no-ocr', '--keys', manifest.keysZone];
    const localMs = timed(['ingest', ...common, '--db', localDb]);
    // Parsers as processes (--max-worker-memory): each opens the bucket again from the location and the environment.
    const s3Ms = timed(['ingest', ...common, '--db', s3Db, '--blobs', location, '--max-worker-memory', '1G']);
    const local = report(localDb);
    const items = (JSON.parse(local) as { items: unknown[] }).items.length;
    console.log(`ingest + analysis of ${items} items: local folder ${localMs} ms, S3 (s3rver) ${s3Ms} ms`);
    expectSame(report(s3Db), local);

    const verify = run(['verify-store', '--db', s3Db, '--blobs', location, '--json']);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, checked: items, missing: [], altered: [] });
    // Running it again adds nothing.
    run(['ingest', ...common, '--db', s3Db, '--blobs', location, '--no-analyze']);
    expectSame(report(s3Db), local);
  });

  it('verify-store names an object changed in the bucket behind tamis\' back', async () => {
    const victim = (JSON.parse(report(s3Db)) as { items: { sha256: string; kind: string }[] }).items.find((i) => i.kind === 'email')!.sha256;
    const client = new S3Client(s3ClientConfig());
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: `cases/macron/${victim.slice(0, 2)}/${victim}`, Body: 'From: forged@example.fr\r\n\r\nforged\r\n' }));
    const verify = tamis(['verify-store', '--db', s3Db, '--blobs', location]);
    expect(verify.status).toBe(1);
    expect(verify.stdout).toContain(`ALTERED  ${victim}`);
  });

  it('streams large blobs through S3 (written piece by piece, read from temporary copies) to the same items', async () => {
    // A 4 KiB streaming threshold sends every mailbox, email and member above it through the streaming paths.
    const streamed = async (db: string, blobsAt: string) => {
      const store = new SqliteStore(db);
      try {
        // One parser thread: two threads that meet the same attachment both upload it, and s3rver (unlike S3 or
        // MinIO, where a PUT replaces an object atomically) empties the object while the second PUT runs, so a
        // reader in between would get zero bytes. Real stores serve the old or the new copy, both whole.
        await ingest({ store, blobs: await openBlobStore(blobsAt), inputs: [dump], workers: 1, ocr: false, streamAboveBytes: 4096 });
      } finally {
        await store.close();
      }
      run(['analyze', '--db', db, '--blobs', blobsAt, '--keys', manifest.keysZone]);
      return report(db);
    };
    const viaS3 = await streamed(join(tmp.dir, 'streamed-s3.db'), `s3://${BUCKET}/streamed`);
    const viaDisk = await streamed(join(tmp.dir, 'streamed-local.db'), join(tmp.dir, 'streamed.blobs'));
    expectSame(viaS3, viaDisk);
    run(['verify-store', '--db', join(tmp.dir, 'streamed-s3.db'), '--blobs', `s3://${BUCKET}/streamed`]);
  });

  it('serves a team: inputs copied into the bucket, read back by two `tamis worker` processes, the same report', { timeout: 300_000 }, async () => {
    const pg = await createTestDb();
    try {
      const team = `s3://${BUCKET}/team`;
      // Queued first (every input copied into the bucket), then read by the workers; the last command waits and verifies.
      run(['ingest', dump, '--db', pg.url, '--blobs', team, '--keys', manifest.keysZone, '--no-wait', '--quiet']);
      const workers = [1, 2].map(() => spawn(process.execPath,
        [BIN, 'worker', '--db', pg.url, '--blobs', team, '--concurrency', '1', '--no-ocr', '--exit-when-idle', '4', '--quiet'], { stdio: ['ignore', 'ignore', 'inherit'] }));
      const wait = spawnSync(process.execPath, [BIN, 'ingest', dump, '--db', pg.url, '--blobs', team, '--workers', '0', '--no-ocr', '--quiet'],
        { encoding: 'utf8', timeout: 240_000 });
      expect(wait.status, wait.stderr).toBe(0);
      expect(await Promise.all(workers.map(async (w) => (w.exitCode ?? (await once(w, 'exit'))[0]) as number))).toEqual([0, 0]);
      expectSame(report(pg.url), report(localDb));
      run(['verify-store', '--db', pg.url, '--blobs', team]);
    } finally {
      await pg.drop();
    }
  });
});
