// RAR archives (RAR 5.0 and RAR 4.x, stored entries) written by the fixture
// writer, read through 7-Zip (WASM): members with their exact bytes, a zip
// inside unpacked in turn, damaged archives recorded with a code. 7-Zip
// checks the header and data CRCs the writer computes, so a writer mistake
// shows as a failure here too.
import { afterAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { sevenZipIngestor } from '../../src/ingest/sevenzip.ts';
import { sniff } from '../../src/ingest/sniff.ts';
import { pickIngestor } from '../../src/ingest/registry.ts';
import { vint, writeRar4, writeRar5, type RarEntry } from '../fixtures/rar-writer.ts';
import { tamis } from '../helpers/cli.ts';
import { tempDir } from '../helpers/tmp.ts';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const tmp = tempDir();
afterAll(() => tmp.cleanup());

const note = strToU8('Trésorerie : 4 250 000 euros au 5 mai 2017\n');
const contrat = strToU8('Contrat de cession, signé le 3 mai 2017\n');
const inner = zipSync({ 'contrat.txt': contrat }, { mtime: new Date('2017-05-03T10:00:00Z') });
const binary = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 131 + (i >> 8)) & 255);
const entries: RarEntry[] = [{ name: 'notes/note.txt', data: note }, { name: 'inner.zip', data: inner }, { name: 'bin/r.dat', data: binary }];
const expected = entries.map((e) => [e.name, sha(e.data)]).sort();
const extract = (bytes: Uint8Array) => sevenZipIngestor.extract({ bytes, name: 'x.rar', ext: 'rar', mime: 'application/vnd.rar' });

describe.each([['RAR 5.0', writeRar5], ['RAR 4.x', writeRar4]] as const)('%s', (_, write) => {
  it('is sniffed as RAR and unpacks every member with its exact bytes', async () => {
    const rar = write(entries);
    const { mime, ext } = sniff(rar, 'leak.rar');
    expect([mime, pickIngestor(mime, ext)?.name]).toEqual(['application/vnd.rar', '7z']);
    const r = await extract(rar);
    expect(r.children.map((c) => [c.name, sha(c.bytes)]).sort()).toEqual(expected);
    expect(r.children.find((c) => c.name === 'notes/note.txt')?.meta).toEqual({ archiveModified: expect.stringMatching(/^2017-05-05 20:00:00/) });
    expect(r.warnings).toEqual([]);
  });

  it('records a member whose data fails its CRC, keeping its bytes as found', async () => {
    const rar = write(entries);
    const at = Buffer.from(rar).indexOf('4 250 000');
    rar[at] = 0x35; // 4 250 000 -> 5 250 000
    const r = await extract(rar);
    expect(r.warnings).toEqual([{ code: 'E_ARCHIVE_CORRUPT', message: expect.stringMatching(/CRC Failed/), member: 'notes/note.txt' }]);
    expect(new TextDecoder().decode(r.children.find((c) => c.name === 'notes/note.txt')!.bytes)).toContain('5 250 000');
  });

  it('refuses an archive cut inside its first file header, or with a broken header CRC, with E_ARCHIVE_CORRUPT', async () => {
    const rar = write(entries);
    await expect(extract(rar.subarray(0, Buffer.from(rar).indexOf('notes') - 3))).rejects.toMatchObject({ code: 'E_ARCHIVE_CORRUPT' });
    const bad = Uint8Array.from(rar);
    bad[write === writeRar5 ? 9 : 7]! ^= 0xff; // the main archive header's CRC
    await expect(extract(bad)).rejects.toMatchObject({ code: 'E_ARCHIVE_CORRUPT' });
    // Cut inside the last member's data: what precedes is kept, the cut recorded.
    const cut = await extract(rar.subarray(0, rar.length - 30));
    expect(cut.children.map((c) => c.name)).toContain('notes/note.txt');
    expect(cut.warnings?.map((w) => w.code)).toContain('E_ARCHIVE_CORRUPT');
  });
});

it('encodes vints as the RAR 5.0 note says', () => {
  expect([vint(0), vint(127), vint(128), vint(300), vint(2 ** 35)]).toEqual([[0], [0x7f], [0x80, 0x01], [0xac, 0x02], [0x80, 0x80, 0x80, 0x80, 0x80, 0x01]]);
});

it('ingests RAR archives end to end: nested zip unpacked, damaged archives recorded', () => {
  const dump = join(tmp.dir, 'dump');
  mkdirSync(dump);
  writeFileSync(join(dump, 'leak.rar'), writeRar5(entries));
  writeFileSync(join(dump, 'old.rar'), writeRar4([{ name: 'note.txt', data: note }]));
  const rar = writeRar5(entries);
  writeFileSync(join(dump, 'cut.rar'), rar.subarray(0, 20));
  const altered = Uint8Array.from(rar);
  altered[Buffer.from(rar).indexOf('4 250 000')] = 0x35;
  writeFileSync(join(dump, 'crc.rar'), altered);
  const db = join(tmp.dir, 'rar.db');
  const run = tamis(['ingest', dump, '--db', db, '--quiet', '--no-ocr']);
  expect(run.status, run.stderr).toBe(0);
  const report = JSON.parse(tamis(['report', '--db', db]).stdout) as { items: { sha256: string; paths: string[]; kind: string }[]; failures: { path: string; code: string }[] };
  const shaAt = (path: string) => report.items.find((i) => i.paths.includes(path))?.sha256;
  expect(shaAt('leak.rar!/notes/note.txt')).toBe(sha(note));
  expect(shaAt('old.rar!/note.txt')).toBe(sha(note));
  expect(shaAt('leak.rar!/inner.zip')).toBe(sha(inner));
  expect(shaAt('leak.rar!/inner.zip!/contrat.txt')).toBe(sha(contrat));
  expect(shaAt('leak.rar!/bin/r.dat')).toBe(sha(binary));
  expect(report.items.find((i) => i.paths.includes('leak.rar'))?.kind).toBe('archive');
  expect(report.failures.map((f) => [f.path, f.code]).sort()).toEqual([['crc.rar!/notes/note.txt', 'E_ARCHIVE_CORRUPT'], ['cut.rar', 'E_ARCHIVE_CORRUPT']]);
  // One item (the same bytes sit in leak.rar and crc.rar), found by the text of a zip inside a RAR.
  const hits = JSON.parse(tamis(['search', 'contrat cession', '--db', db, '--json']).stdout) as { hits: { sha256: string; path: string }[] };
  expect(hits.hits.map((h) => [h.sha256, h.path.endsWith('.rar!/inner.zip!/contrat.txt')])).toEqual([[sha(contrat), true]]);
});
