// 7z archives through 7-Zip (WASM): members with exact bytes, truncated and
// bomb archives refused with codes. The archives are made here by the same
// 7-Zip build, in its in-memory file system.
import { expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import SevenZipDefault from '7z-wasm';
import type { SevenZipModuleFactory } from '7z-wasm';
import { sevenZipIngestor } from '../../src/ingest/sevenzip.ts';
import { TamisError } from '../../src/core/errors.ts';
import { DEFAULT_LIMITS } from '../../src/core/limits.ts';

const SevenZip = SevenZipDefault as unknown as SevenZipModuleFactory;
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

async function make7z(files: Record<string, Uint8Array>): Promise<Uint8Array> {
  const mod = await SevenZip({ print: () => {}, printErr: () => {} });
  mod.FS.mkdir('/w');
  for (const [name, data] of Object.entries(files)) {
    const parts = name.split('/');
    for (let i = 1; i < parts.length; i++) { try { mod.FS.mkdir(`/w/${parts.slice(0, i).join('/')}`); } catch { /* exists */ } }
    mod.FS.writeFile(`/w/${name}`, data);
  }
  mod.FS.chdir('/w');
  mod.callMain(['a', '/t.7z', ...new Set(Object.keys(files).map((n) => n.split('/')[0]!))]);
  return mod.FS.readFile('/t.7z') as Uint8Array;
}

const extract = (bytes: Uint8Array, limits = DEFAULT_LIMITS) => sevenZipIngestor.extract({ bytes, name: 'x.7z', ext: '7z', mime: 'application/x-7z-compressed', limits });

it('unpacks every member with its exact bytes', async () => {
  const files = { 'docs/note.txt': new TextEncoder().encode('Trésorerie : 12 000 euros'), 'a.eml': new TextEncoder().encode('From: a@b.c\r\n\r\nx\r\n'), 'bin/r.dat': Uint8Array.from({ length: 5000 }, (_, i) => (i * 7) & 255) };
  const r = await extract(await make7z(files));
  expect(r.children.map((c) => [c.name, sha(c.bytes)]).sort()).toEqual(Object.entries(files).map(([n, b]) => [n, sha(b)]).sort());
  expect(r.warnings).toEqual([]);
});

it('refuses truncated archives and bombs with codes', async () => {
  const archive = await make7z({ 'z.bin': new Uint8Array(8 << 20) });
  await expect(extract(archive.subarray(0, 40))).rejects.toBeInstanceOf(TamisError);
  await expect(extract(archive, { ...DEFAULT_LIMITS, maxRatio: 100 })).rejects.toMatchObject({ code: 'E_BOMB' });
  await expect(extract(archive, { ...DEFAULT_LIMITS, maxMemberBytes: 1 << 20 })).rejects.toMatchObject({ code: 'E_BOMB' });
});
