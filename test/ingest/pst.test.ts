// Outlook .pst on the Tika test file: every message becomes an Outlook .msg
// child that the msg ingestor reads, checked against the RFC 822 headers the
// .pst keeps beside the MAPI properties (PR_TRANSPORT_MESSAGE_HEADERS);
// damaged copies end as recorded failures, never as hangs or crashes. The
// .msg writer is checked on its own with an independent reader (cfb).
import { afterAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import CFB from 'cfb';
import { TamisError } from '../../src/core/errors.ts';
import type { Extraction } from '../../src/ingest/ingestor.ts';
import { pickIngestor } from '../../src/ingest/registry.ts';
import { sniff } from '../../src/ingest/sniff.ts';
import { msgIngestor } from '../../src/ingest/msg.ts';
import { writeMsg, type MapiProp } from '../../src/ingest/msg-write.ts';
import { tamis } from '../helpers/cli.ts';
import { tempDir } from '../helpers/tmp.ts';

const PST = fileURLToPath(new URL('../../../shared/corpora/office/testPST_variousBodyTypes.pst', import.meta.url));
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const tmp = tempDir();
afterAll(() => tmp.cleanup());

async function ingest(bytes: Uint8Array, name: string): Promise<Extraction & { ingestor: string }> {
  const { mime, ext } = sniff(bytes, name);
  const ing = pickIngestor(mime, ext);
  if (!ing) throw new Error(`${name}: no ingestor for ${mime}`);
  return { ...(await ing.extract({ bytes, name, ext, mime })), ingestor: ing.name };
}
const header = (raw: string, name: string) => new RegExp(`^${name}: (.*)$`, 'mi').exec(raw)?.[1]?.trim();

describe.runIf(existsSync(PST))('testPST_variousBodyTypes.pst', () => {
  const bytes = () => new Uint8Array(readFileSync(PST));

  it('gives its 4 messages as .msg children named by folder and rank, read like any .msg', async () => {
    const r = await ingest(bytes(), 'testPST_variousBodyTypes.pst');
    expect(r.ingestor).toBe('pst');
    expect(r.warnings ?? []).toEqual([]);
    expect(r.meta).toMatchObject({ pstFormat: 'unicode', pstEncoding: 'compressible', messages: 4 });
    expect(r.children.map((c) => [c.name, c.role])).toEqual([1, 2, 3, 4].map((n) => [`Top of Outlook data file/Inbox/tmp/${n}.msg`, 'message']));
    // One body per storage form: HTML, HTML, RTF, plain text (the file's purpose).
    const expected = [
      ['original email', '2017-08-30T19:26:03.000Z', 'This is the original email (html)'],
      ['FW: original email', '2017-08-30T19:26:52.000Z', 'Forwarded (html)'],
      ['FW: original email', '2017-08-30T19:27:20.000Z', 'Forwarded RTF'],
      ['FW: original email', '2017-08-30T19:27:50.000Z', 'Forwarded plain text'],
    ];
    for (const [i, c] of r.children.entries()) {
      const m = await ingest(c.bytes, c.name);
      expect(m.ingestor).toBe('msg');
      const [subject, date, phrase] = expected[i]!;
      expect([m.title, m.date], c.name).toEqual([subject, date]);
      expect(m.text).toContain(phrase);
      expect(m.meta.from).toEqual({ name: 'Allison, Timothy B.', address: 'tallison@mitre.org' });
      expect(m.meta.to).toEqual([{ name: 'Allison, Timothy B.', address: 'tallison@mitre.org', type: 'to' }]);
      // The properties agree with the headers the .pst stored beside them.
      const raw = String(m.meta.transportHeaders);
      expect(raw).toMatch(/^Received: from /);
      expect(header(raw, 'Subject')).toBe(m.title);
      expect(new Date(header(raw, 'Date')!).toISOString()).toBe(m.date);
      expect(header(raw, 'Message-ID')).toBe(m.meta.messageId);
      expect(c.meta).toMatchObject({ pstFolder: 'Top of Outlook data file/Inbox/tmp', messageClass: 'IPM.Note' });
    }
  });

  it('gives the same bytes every time (items are identified by their hash)', async () => {
    const a = (await ingest(bytes(), 'a.pst')).children.map((c) => sha(c.bytes));
    const b = (await ingest(bytes(), 'b.pst')).children.map((c) => sha(c.bytes));
    expect(new Set(a).size).toBe(4);
    expect(b).toEqual(a);
  });

  it('records a truncated or damaged copy with E_PST_INVALID, quickly, and never hangs', async () => {
    const full = bytes();
    // Cut inside the tables: nothing can be opened.
    await expect(ingest(full.subarray(0, 50_000), 'cut.pst')).rejects.toMatchObject({ code: 'E_PST_INVALID' });
    await expect(ingest(full.subarray(0, 600), 'cut.pst')).rejects.toMatchObject({ code: 'E_PST_INVALID' });
    // Cut after the tables: what remains is read, and the cut is recorded.
    const half = await ingest(full.subarray(0, 100_000), 'cut.pst');
    expect(half.children.length).toBe(2);
    expect(new Set(half.warnings?.map((w) => w.code))).toEqual(new Set(['E_PST_INVALID']));
    expect(half.warnings?.[0]?.message).toMatch(/truncated: 100000 bytes of the 271360/);
    expect(half.warnings?.map((w) => w.message)).toContain('folder "Top of Outlook data file/Inbox/tmp" lists 4 items, 2 could be read');
    // Flipped bytes; seed 3 used to make the library read past a node's end forever.
    const outcomes = { read: 0, refused: 0 };
    for (let seed = 1; seed <= 24; seed++) {
      const b = Uint8Array.from(full);
      for (let i = 512 + seed * 13; i < b.length; i += seed % 2 ? 2000 + seed * 37 : 300 + seed * 7) b[i] = b[i]! ^ (((seed * 29) & 0xff) || 0x5a);
      const t0 = performance.now();
      try {
        const r = await ingest(b, 'flipped.pst');
        for (const w of r.warnings ?? []) expect(['E_PST_INVALID', 'E_TOO_LARGE']).toContain(w.code);
        outcomes.read++;
      } catch (err) {
        expect(err, `seed ${seed}`).toBeInstanceOf(TamisError);
        expect((err as TamisError).code).toBe('E_PST_INVALID');
        outcomes.refused++;
      }
      expect(performance.now() - t0, `seed ${seed}`).toBeLessThan(5000);
    }
    expect(outcomes.read).toBeGreaterThan(0);
    expect(outcomes.refused).toBeGreaterThan(0);
  });

  it('refuses a B-tree page that points back into the tree instead of descending forever', () => {
    // One byte of a branch page's child offset, found by bench/fuzz.ts (pst, seed 990319005, run 1865):
    // the library's lookup then visited the same pages endlessly. Run through the CLI, in a parser
    // thread with a time limit, so that a regression fails here (E_TIMEOUT) instead of hanging the test.
    const b = bytes();
    b[49_217] = 0xc0;
    const dir = join(tmp.dir, 'looping');
    mkdirSync(dir);
    writeFileSync(join(dir, 'looping.pst'), b);
    const db = join(tmp.dir, 'looping.db');
    expect(tamis(['ingest', dir, '--db', db, '--quiet', '--no-ocr', '--timeout', '20']).status).toBe(0);
    const { failures } = JSON.parse(tamis(['report', '--db', db]).stdout) as { failures: { path: string; code: string; message: string }[] };
    expect(failures.map((f) => [f.path, f.code])).toEqual([['looping.pst', 'E_PST_INVALID']]);
    expect(failures[0]!.message).toMatch(/B-tree lookup does not end/);
  });

  it('ingests end to end: messages searchable by body, a cut copy recorded, nothing on stderr', () => {
    const dir = join(tmp.dir, 'dump');
    mkdirSync(dir);
    writeFileSync(join(dir, 'cut.pst'), readFileSync(PST).subarray(0, 50_000));
    const db = join(tmp.dir, 'pst.db');
    const run = tamis(['ingest', PST, dir, '--db', db, '--quiet', '--no-ocr']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    const hits = (q: string) => (JSON.parse(tamis(['search', q, '--db', db, '--json']).stdout) as { hits: { path: string; kind: string }[] }).hits;
    expect(hits('"forwarded plain text"').map((h) => [h.path, h.kind])).toEqual([['testPST_variousBodyTypes.pst!/Top of Outlook data file/Inbox/tmp/4.msg', 'email']]);
    expect(hits('forwarded rtf').map((h) => h.path)).toEqual(['testPST_variousBodyTypes.pst!/Top of Outlook data file/Inbox/tmp/3.msg']);
    const report = JSON.parse(tamis(['report', '--db', db]).stdout) as { items: { paths: string[]; kind: string }[]; failures: { path: string; code: string }[] };
    const kinds = report.items.filter((i) => i.paths.some((p) => p.startsWith('testPST'))).map((i) => i.kind).sort();
    expect(kinds).toEqual(['archive', 'email', 'email', 'email', 'email']);
    expect(report.failures.map((f) => [f.path, f.code])).toEqual([['cut.pst', 'E_PST_INVALID']]);
  });
});

describe('the .msg writer', () => {
  const u16 = (s: string): MapiProp['value'] => Buffer.from(s, 'utf16le');
  const u32 = (n: number) => { const b = Buffer.alloc(4); b.writeUInt32LE(n); return b; };

  it('keeps attachment bytes exact, small and past the DIFAT size, as an independent reader sees them', async () => {
    const small = Uint8Array.from({ length: 3000 }, (_, i) => (i * 31) & 255);
    const large = Uint8Array.from({ length: 12 << 20 }, (_, i) => (i * 7 + (i >> 9)) & 255);
    const msg = writeMsg({
      props: [{ id: 0x001a, type: 0x001f, value: u16('IPM.Note') }, { id: 0x0037, type: 0x001f, value: u16('Pièces') }],
      recipients: [],
      attachments: [small, large].map((data, i) => ({ props: [{ id: 0x3707, type: 0x001f, value: u16(`f${i}.bin`) }, { id: 0x3705, type: 0x0003, value: u32(1) }, { id: 0x3701, type: 0x0102, value: data }] })),
    });
    const cfb = CFB.read(Buffer.from(msg), { type: 'buffer' });
    const stored = cfb.FullPaths.map((p, i) => [p, cfb.FileIndex[i]!.content] as const).filter(([p]) => p.endsWith('/__substg1.0_37010102'));
    expect(stored.map(([, c]) => sha(Uint8Array.from(c as ArrayLike<number>)))).toEqual([sha(small), sha(large)]);
    const r = await msgIngestor.extract({ bytes: msg, name: 'x.msg', ext: 'msg', mime: 'application/vnd.ms-outlook' });
    expect(r.title).toBe('Pièces');
    expect(r.children.map((c) => [c.name, sha(c.bytes)])).toEqual([['f0.bin', sha(small)], ['f1.bin', sha(large)]]);
  });

  it('keeps 8-bit strings in their code page, reads an HTML-only body, nests embedded messages', async () => {
    const inner = { props: [{ id: 0x0037, type: 0x001f, value: u16('Inner') }, { id: 0x1000, type: 0x001f, value: u16('inner body') }], recipients: [], attachments: [] };
    const msg = writeMsg({
      props: [
        { id: 0x0037, type: 0x001e, value: Buffer.from('Trésorerie', 'latin1') }, // cp1252 bytes
        { id: 0x3ffd, type: 0x0003, value: u32(1252) },
        { id: 0x1013, type: 0x0102, value: Buffer.from('<p>Montant&nbsp;: <b>4250000</b> €</p>', 'utf8') },
        { id: 0x3fde, type: 0x0003, value: u32(65001) },
      ],
      recipients: [[{ id: 0x3001, type: 0x001f, value: u16('Alice') }, { id: 0x39fe, type: 0x001f, value: u16('alice@example.org') }, { id: 0x0c15, type: 0x0003, value: u32(1) }]],
      attachments: [{ props: [{ id: 0x3705, type: 0x0003, value: u32(5) }, { id: 0x3001, type: 0x001f, value: u16('fwd') }], embedded: inner }],
    });
    const r = await msgIngestor.extract({ bytes: msg, name: 'x.msg', ext: 'msg', mime: 'application/vnd.ms-outlook' });
    expect(r.title).toBe('Trésorerie');
    expect(r.meta.to).toEqual([{ name: 'Alice', address: 'alice@example.org', type: 'to' }]);
    expect(r.text).toContain('Montant : 4250000 €');
    expect(r.children.map((c) => c.meta?.embeddedMessage)).toEqual([true]);
    const nested = await msgIngestor.extract({ bytes: r.children[0]!.bytes, name: 'fwd.msg', ext: 'msg', mime: 'application/vnd.ms-outlook' });
    expect([nested.title, nested.text?.endsWith('inner body')]).toEqual(['Inner', true]);
  });
});
