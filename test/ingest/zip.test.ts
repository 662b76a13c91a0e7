import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { strToU8, zipSync } from 'fflate';
import { TamisError } from '../../src/core/errors.ts';
import { zipIngestor } from '../../src/ingest/zip.ts';

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const run = (bytes: Uint8Array) => zipIngestor.extract({ bytes, name: 'a.zip', ext: 'zip', mime: 'application/zip' });

async function expectCode(p: Promise<unknown>, code: string): Promise<void> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(TamisError);
  expect((err as TamisError).code).toBe(code);
}

/** Offsets of every local (PK\3\4) and central (PK\1\2) header for `name`. */
function headersOf(zip: Uint8Array, name: string): { local: number; central: number } {
  const buf = Buffer.from(zip);
  const find = (sig: number[], nameAt: number): number => {
    for (let p = buf.indexOf(Buffer.from(sig)); p !== -1; p = buf.indexOf(Buffer.from(sig), p + 1)) {
      const len = buf.readUInt16LE(p + (nameAt === 46 ? 28 : 26));
      if (buf.toString('utf8', p + nameAt, p + nameAt + len) === name) return p;
    }
    throw new Error(`no header for ${name}`);
  };
  return { local: find([0x50, 0x4b, 3, 4], 30), central: find([0x50, 0x4b, 1, 2], 46) };
}

const big = strToU8('Confidential ledger line. '.repeat(200));

describe('zip ingestor', () => {
  it('scores application/zip and the zip extension only', () => {
    expect(zipIngestor.score({ mime: 'application/zip', ext: '' })).toBe(100);
    expect(zipIngestor.score({ mime: 'application/octet-stream', ext: 'zip' })).toBe(10);
    expect(zipIngestor.score({ mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', ext: 'docx' })).toBe(0);
  });

  it('extracts members with exact bytes, keeps names as data, skips directories', async () => {
    const inner = zipSync({ 'deep.txt': strToU8('inside the inner zip') });
    const zip = zipSync({
      'box/': new Uint8Array(0),
      'box/ledger.txt': [big, { level: 9, mtime: new Date(2021, 4, 6, 7, 8, 10) }],
      'box/stored.bin': [new Uint8Array([0, 1, 2, 255]), { level: 0 }],
      'nested.zip': inner,
      '../escape.txt': strToU8('dot dot'),
      '/etc/abs.txt': strToU8('absolute'),
      'Trésorerie/état.txt': strToU8('utf-8 name'),
    });
    const out = await run(zip);
    expect(out.meta.entries).toBe(7);
    expect(out.warnings).toEqual([]);
    const names = out.children.map((c) => c.name);
    expect(names).toEqual(['box/ledger.txt', 'box/stored.bin', 'nested.zip', '../escape.txt', '/etc/abs.txt', 'Trésorerie/état.txt']);
    expect(out.text!.split('\n')).toEqual(names);
    const ledger = out.children[0]!;
    expect(sha(ledger.bytes)).toBe(sha(big));
    expect(ledger.role).toBe('member');
    expect(ledger.meta).toMatchObject({ zipMethod: 'deflate', zipIndex: 1, zipModified: '2021-05-06T07:08:10' });
    expect(out.children[1]!.meta).toMatchObject({ zipMethod: 'stored' });
    expect([...out.children[1]!.bytes]).toEqual([0, 1, 2, 255]);
    // The nested zip is a child with its own bytes; the pipeline recurses into it.
    const nested = await run(out.children[2]!.bytes);
    expect(nested.children.map((c) => [c.name, Buffer.from(c.bytes).toString()])).toEqual([['deep.txt', 'inside the inner zip']]);
  });

  it('reads an empty archive', async () => {
    const out = await run(zipSync({}));
    expect(out.children).toEqual([]);
    expect(out.meta.entries).toBe(0);
  });

  it('fails loudly, not silently empty, when data is prepended (self-extractor layout)', async () => {
    const zip = zipSync({ 'a.txt': strToU8('payload') });
    await expectCode(run(Buffer.concat([Buffer.alloc(1000, 0x90), zip])), 'E_ZIP_CORRUPT');
  });

  it('throws E_ZIP_CORRUPT for a truncated zip and for garbage', async () => {
    const zip = zipSync({ 'a.txt': big, 'b.txt': big });
    await expectCode(run(zip.subarray(0, zip.length - 30)), 'E_ZIP_CORRUPT');
    await expectCode(run(zip.subarray(0, 100)), 'E_ZIP_CORRUPT');
    await expectCode(run(new Uint8Array(0)), 'E_ZIP_CORRUPT');
    await expectCode(run(Buffer.from('PK\x03\x04 not really a zip at all')), 'E_ZIP_CORRUPT');
  });

  it('skips encrypted and unsupported members with warnings, keeps the rest', async () => {
    const zip = zipSync({ 'secret.txt': strToU8('hidden'), 'weird.bin': strToU8('bzip2?'), 'plain.txt': strToU8('visible') });
    const buf = Buffer.from(zip);
    const s = headersOf(buf, 'secret.txt');
    buf.writeUInt16LE(buf.readUInt16LE(s.local + 6) | 1, s.local + 6);
    buf.writeUInt16LE(buf.readUInt16LE(s.central + 8) | 1, s.central + 8);
    const w = headersOf(buf, 'weird.bin');
    buf.writeUInt16LE(12, w.local + 8);
    buf.writeUInt16LE(12, w.central + 10);
    const out = await run(buf);
    expect(out.children.map((c) => c.name)).toEqual(['plain.txt']);
    expect(out.warnings).toEqual([
      expect.objectContaining({ code: 'E_ZIP_ENCRYPTED', member: 'secret.txt' }),
      expect.objectContaining({ code: 'E_ZIP_UNSUPPORTED', member: 'weird.bin' }),
    ]);
    // Names of unreadable members stay searchable.
    expect(out.text).toContain('secret.txt');
  });

  it('reports a member with damaged data as a warning, not as a failure', async () => {
    const zip = zipSync({ 'bad.txt': [big, { level: 0 }], 'good.txt': strToU8('fine') });
    const buf = Buffer.from(zip);
    const h = headersOf(buf, 'bad.txt');
    buf[h.local + 30 + 'bad.txt'.length + 5]! ^= 0xff; // flip one stored byte: CRC no longer matches
    const out = await run(buf);
    expect(out.children.map((c) => c.name)).toEqual(['good.txt']);
    expect(out.warnings).toEqual([expect.objectContaining({ code: 'E_ZIP_CORRUPT', member: 'bad.txt' })]);
    // A member whose recorded size lies (zip-bomb style) is refused, not inflated without bound.
    const liar = Buffer.from(zipSync({ 'bomb.txt': big, 'ok.txt': strToU8('fine') }));
    const l = headersOf(liar, 'bomb.txt');
    liar.writeUInt32LE(100, l.local + 22);
    liar.writeUInt32LE(100, l.central + 24);
    const lied = await run(liar);
    expect(lied.children.map((c) => c.name)).toEqual(['ok.txt']);
    expect(lied.warnings).toEqual([expect.objectContaining({ code: 'E_ZIP_CORRUPT', member: 'bomb.txt' })]);
    // When nothing at all can be read, the archive is corrupt.
    const only = Buffer.from(zipSync({ 'bad.txt': [big, { level: 0 }] }));
    only[30 + 'bad.txt'.length + 5]! ^= 0xff;
    await expectCode(run(only), 'E_ZIP_CORRUPT');
  });

  it('never throws anything but a TamisError on damaged copies', async () => {
    const noise = new Uint8Array(777).map((_, i) => (i * 31) & 0xff);
    const good = zipSync({ 'a/one.txt': big, 'two.bin': [noise, { level: 0 }], 'three.zip': zipSync({ x: big }) });
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
  });
});
