import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';
import { TamisError } from '../../src/core/errors.ts';
import { tarIngestor } from '../../src/ingest/tar.ts';

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const run = (bytes: Uint8Array, name = 'dump.tar.gz', mime = 'application/gzip') =>
  tarIngestor.extract({ bytes, name, ext: name.split('.').pop()!, mime });

async function expectCode(p: Promise<unknown>, code: string): Promise<void> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(TamisError);
  expect((err as TamisError).code).toBe(code);
}

const ledger = Buffer.from('Q3 ledger: 1,204,000 EUR\n'.repeat(100));
const mtime = new Date('2019-03-04T05:06:07Z');

/** A real tar built with tar-stream: a folder, two files, a symlink and a hard link. */
async function makeTar(): Promise<Buffer> {
  const p = pack();
  p.entry({ name: 'box', type: 'directory', mode: 0o755, mtime });
  p.entry({ name: 'box/ledger.txt', mode: 0o640, mtime }, ledger);
  p.entry({ name: 'box/empty.txt', mode: 0o644, mtime }, Buffer.alloc(0));
  p.entry({ name: 'box/latest', type: 'symlink', linkname: '../../etc/passwd', mtime });
  p.entry({ name: 'box/hard', type: 'link', linkname: 'box/ledger.txt', mtime });
  p.entry({ name: '../outside.txt', mode: 0o644, mtime }, Buffer.from('names are data'));
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const c of p) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

describe('tar ingestor', () => {
  it('scores tar and gzip', () => {
    expect(tarIngestor.score({ mime: 'application/x-tar', ext: '' })).toBe(100);
    expect(tarIngestor.score({ mime: 'application/gzip', ext: '' })).toBe(100);
    expect(tarIngestor.score({ mime: 'application/octet-stream', ext: 'tgz' })).toBe(10);
    expect(tarIngestor.score({ mime: 'application/zip', ext: 'zip' })).toBe(0);
  });

  it('extracts a tar.gz: regular files only, links recorded as warnings', async () => {
    const out = await run(gzipSync(await makeTar()));
    expect(out.meta).toMatchObject({ format: 'tar+gzip', entries: 6 });
    expect(out.children.map((c) => c.name)).toEqual(['box/ledger.txt', 'box/empty.txt', '../outside.txt']);
    const first = out.children[0]!;
    expect(sha(first.bytes)).toBe(sha(ledger));
    expect(first.role).toBe('member');
    expect(first.meta).toEqual({ tarModified: '2019-03-04T05:06:07.000Z', tarMode: 0o640 });
    expect(out.children[1]!.bytes.length).toBe(0);
    expect(out.warnings).toEqual([
      expect.objectContaining({ code: 'E_TAR_LINK', member: 'box/latest' }),
      expect.objectContaining({ code: 'E_TAR_LINK', member: 'box/hard' }),
    ]);
    expect(out.warnings![0]!.message).toContain('../../etc/passwd');
    expect(out.text).toContain('box/ledger.txt');
  });

  it('extracts a plain tar', async () => {
    const out = await run(await makeTar(), 'dump.tar', 'application/x-tar');
    expect(out.meta).toMatchObject({ format: 'tar' });
    expect(out.children).toHaveLength(3);
  });

  it('gunzips a plain .gz into one child named without .gz', async () => {
    const body = Buffer.from('From: a@example.org\r\nSubject: hi\r\n\r\nbody\r\n');
    const out = await run(gzipSync(body), 'mail/msg.eml.gz');
    expect(out.children).toHaveLength(1);
    expect(out.children[0]!.name).toBe('msg.eml');
    expect(sha(out.children[0]!.bytes)).toBe(sha(body));
    expect(out.meta).toMatchObject({ format: 'gzip' });
    // A .tgz that holds no tar keeps a sensible name.
    expect((await run(gzipSync(body), 'x.tgz')).children[0]!.name).toBe('x.tar');
  });

  it('throws E_GZIP_CORRUPT for a truncated or damaged gzip', async () => {
    const gz = gzipSync(await makeTar());
    await expectCode(run(gz.subarray(0, gz.length - 20)), 'E_GZIP_CORRUPT');
    const bad = Buffer.from(gz);
    bad[20]! ^= 0xff;
    await expectCode(run(bad), 'E_GZIP_CORRUPT');
  });

  it('throws E_TAR_CORRUPT for a truncated tar, a bad checksum, or garbage', async () => {
    const tar = await makeTar();
    await expectCode(run(tar.subarray(0, 700), 'a.tar', 'application/x-tar'), 'E_TAR_CORRUPT');
    await expectCode(run(tar.subarray(0, 1500), 'a.tar', 'application/x-tar'), 'E_TAR_CORRUPT'); // inside a file's data
    const bad = Buffer.from(tar);
    bad[512 + 3]! ^= 0x01; // second header's name: checksum no longer matches
    await expectCode(run(bad, 'a.tar', 'application/x-tar'), 'E_TAR_CORRUPT');
    await expectCode(run(Buffer.from('not a tar at all'.repeat(64)), 'a.tar', 'application/x-tar'), 'E_TAR_CORRUPT');
    // Gzip around a truncated tar: gzip is fine, the tar inside is not.
    await expectCode(run(gzipSync(tar.subarray(0, 700))), 'E_TAR_CORRUPT');
  });

  it('never throws anything but a TamisError on damaged copies', async () => {
    const good = gzipSync(await makeTar());
    const copies: Uint8Array[] = [];
    for (let cut = 0; cut < good.length; cut += 53) copies.push(good.subarray(0, cut));
    for (let at = 0; at < good.length; at += 29) {
      const bad = Buffer.from(good);
      bad[at]! ^= 0x41;
      copies.push(bad);
    }
    for (const copy of copies) {
      await run(copy).catch((err: unknown) => {
        if (!(err instanceof TamisError)) throw err;
      });
    }
    // Plain tar too: damage inside headers and data.
    const tar = await makeTar();
    for (let at = 0; at < tar.length; at += 61) {
      const bad = Buffer.from(tar);
      bad[at]! ^= 0x41;
      await run(bad, 'a.tar', 'application/x-tar').catch((err: unknown) => { if (!(err instanceof TamisError)) throw err; });
    }
  });
});
