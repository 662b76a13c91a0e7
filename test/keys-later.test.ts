// Keys found after the ingest: `tamis keys add` then `tamis analyze` checks
// again exactly the emails whose signatures name the new keys.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { join } from 'node:path';
import { makeAuthenticityDump, type AuthManifest } from './fixtures/make-authenticity-dump.ts';
import { tamis } from './helpers/cli.ts';
import { tempDir } from './helpers/tmp.ts';

const tmp = tempDir();
const dump = join(tmp.dir, 'leak');
const db = join(tmp.dir, 'tamis.db');
let manifest: AuthManifest;
beforeAll(async () => { manifest = await makeAuthenticityDump(dump); });
afterAll(() => tmp.cleanup());

const verdicts = () => new Map((JSON.parse(tamis(['report', '--db', db]).stdout) as { items: { sha256: string; verdict: string }[] }).items.map((i) => [i.sha256, i.verdict]));

it('verifies nothing without keys, then everything once the archive is added', () => {
  expect(tamis(['ingest', dump, '--db', db, '--quiet', '--no-ocr']).status).toBe(0);
  const before = verdicts();
  const signedGenuine = manifest.items.filter((m) => m.label === 'genuine-signed');
  expect(signedGenuine.every((m) => before.get(m.sha256) === 'consistent')).toBe(true);

  const add = tamis(['keys', 'add', manifest.keysZone, '--db', db]);
  expect(add.status, add.stderr).toBe(0);
  expect(add.stdout).toMatch(/9 DKIM keys read, 9 new/);
  const list = JSON.parse(tamis(['keys', 'list', '--db', db, '--json']).stdout) as { keys: { name: string; source: string; id: string }[] };
  expect(list.keys.filter((k) => k.name === 's2017._domainkey.campagne.example')).toHaveLength(2);
  expect(list.keys.every((k) => k.source === 'file:leak.keys.zone')).toBe(true);

  const again = tamis(['analyze', '--db', db]);
  expect(again.status, again.stderr).toBe(0);
  const after = verdicts();
  expect(manifest.items.filter((m) => after.get(m.sha256) !== m.expect).map((m) => `${m.path} ${m.label} ${after.get(m.sha256)}`)).toEqual([]);
  // A second analysis has nothing left to check.
  expect(tamis(['analyze', '--db', db]).stdout).toMatch(/signatures of 0 emails/);
});
