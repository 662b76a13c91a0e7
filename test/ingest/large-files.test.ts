// The ingest pipeline with its streaming threshold lowered to 256 KiB: a large
// .eml, a mailbox holding a large message, and that message's attachments
// come out as the same items (paths, SHA-256, kinds, titles) as when read in
// memory, and the blob folder holds blobs only (temporary copies a killed
// worker left behind are swept).
import { afterAll, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ingest } from '../../src/ingest/pipeline.ts';
import { openStore } from '../../src/store/open-store.ts';
import { buildMessage, type MailSpec } from '../fixtures/mime-builder.ts';
import { tempDir } from '../helpers/tmp.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const bytes = (n: number, seed: number): Uint8Array => new Uint8Array(n).map((_, i) => (i * seed + (i >> 9)) & 255);
const spec = (id: string, eol: '\r\n' | '\n'): MailSpec => ({
  eol, from: { name: 'Hélène', email: 'h@en-marche.example' }, to: [{ email: 't@en-marche.example' }],
  subject: `Relevés ${id}`, date: 'Tue, 02 May 2017 10:00:00 +0200', messageId: `${id}@en-marche.example`,
  headerCharset: 'utf-8', headerEncoding: 'Q', text: { text: `Bonjour,\nles relevés ${id}.\n`, charset: 'utf-8', encoding: 'quoted-printable' },
  attachments: [
    { type: 'file', filename: `releve-${id}.bin`, contentType: 'application/octet-stream', data: bytes(1 << 20, 7) },
    { type: 'file', filename: 'video.mp4', contentType: 'video/mp4', data: bytes(600_000, 13) },
  ],
});

async function run(db: string, streamAboveBytes?: number) {
  const { store, blobs } = await openStore(db);
  try {
    await ingest({ store, blobs, inputs: [join(tmp.dir, 'dump')], ocr: false, workers: 2, streamAboveBytes });
    const items = [];
    for await (const i of store.reportItems()) items.push({ paths: i.paths, sha256: i.sha256, kind: i.kind, mime: i.mime, size: i.size, title: i.title, date: i.date });
    return { items: items.sort((a, b) => a.paths[0]!.localeCompare(b.paths[0]!)), counts: await store.counts(), blobRoot: blobs.location };
  } finally {
    await store.close();
  }
}

it('ingests large emails and mailboxes by streaming into the same items as in memory', async () => {
  const dump = join(tmp.dir, 'dump');
  mkdirSync(dump);
  writeFileSync(join(dump, 'big.eml'), buildMessage(spec('a', '\r\n')));
  const inBox = Buffer.from(buildMessage(spec('b', '\n')));
  writeFileSync(join(dump, 'box.mbox'), Buffer.concat([Buffer.from('From h@en-marche.example Tue May  2 10:00:00 2017\nFrom: x@example.org\nSubject: petit\n\ncourt\n\nFrom h@en-marche.example Tue May  2 10:00:01 2017\n'), inBox, Buffer.from('\n')]));

  const memory = await run(join(tmp.dir, 'memory', 'tamis.db'));
  // A temporary copy as a worker killed mid-write leaves it: the run removes it.
  const streamedDb = join(tmp.dir, 'streamed', 'tamis.db');
  mkdirSync(join(tmp.dir, 'streamed', 'tamis.blobs'), { recursive: true });
  writeFileSync(join(tmp.dir, 'streamed', 'tamis.blobs', '.write.0123456789ab.tmp'), 'half a copy');
  const streamed = await run(streamedDb, 256 * 1024);

  expect(streamed.items).toEqual(memory.items);
  expect(streamed.counts).toEqual(memory.counts);
  expect(memory.counts.failed).toBe(0);
  const paths = memory.items.flatMap((i) => i.paths);
  for (const p of ['big.eml!/releve-a.bin', 'big.eml!/video.mp4', 'box.mbox!/2.eml', 'box.mbox!/2.eml!/releve-b.bin']) expect(paths).toContain(p);
  expect(memory.items.find((i) => i.paths.includes('box.mbox!/2.eml'))).toMatchObject({ kind: 'email', title: 'Relevés b' });
  expect(readdirSync(streamed.blobRoot).filter((n) => !/^[0-9a-f]{2}$/.test(n))).toEqual([]);
  // The mailbox did take the streaming road (its item says so), and only in the second run.
  const mboxMeta = (db: string) => {
    const d = new Database(db, { readonly: true });
    try { return JSON.parse(d.prepare(`SELECT meta FROM items WHERE ingestor = 'mbox'`).pluck().get() as string); } finally { d.close(); }
  };
  expect(mboxMeta(streamedDb)).toEqual({ streamed: true, messages: 2 });
  expect(mboxMeta(join(tmp.dir, 'memory', 'tamis.db'))).toEqual({ messages: 2 });
});
