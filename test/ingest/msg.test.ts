// Outlook .msg on the Tika test files: read like an email, attachments and
// embedded messages as children that parse again.
import { expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { msgIngestor } from '../../src/ingest/msg.ts';
import { TamisError } from '../../src/core/errors.ts';

const dir = fileURLToPath(new URL('../../../shared/corpora/office/', import.meta.url));
const extract = (bytes: Uint8Array) => msgIngestor.extract({ bytes, name: 'x.msg', ext: 'msg', mime: 'application/vnd.ms-outlook' });

it('reads sender, subject, date, body and attachments', async () => {
  const r = await extract(readFileSync(`${dir}testMSG_att_doc.msg`));
  expect(r.title).toBe('test pièce jointe 1');
  expect(r.meta.from).toMatchObject({ address: 'nicolas1.23456@free.fr' });
  expect(r.date).toBe('2009-04-22T14:36:33.000Z');
  expect(r.children.map((c) => [c.name, c.bytes.length])).toEqual([['test-unicode.doc', 24064], ['pj1.txt', 89]]);
  expect(Buffer.from(r.children[0]!.bytes.subarray(0, 4)).toString('hex')).toBe('d0cf11e0'); // an OLE2 .doc, intact
});

it('gives an embedded message as a .msg child that parses again', async () => {
  const r = await extract(readFileSync(`${dir}testMSG_att_msg.msg`));
  const inner = r.children.find((c) => c.name.endsWith('.msg'))!;
  expect(inner.meta).toMatchObject({ embeddedMessage: true });
  expect((await extract(inner.bytes)).title).toBeTruthy();
});

it('reads every corpus .msg, and fails cut files only with TamisError', async () => {
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.msg'))) {
    const bytes = readFileSync(dir + f);
    expect((await extract(bytes)).meta.messageClass, f).toBeTruthy();
    for (const cut of [bytes.subarray(0, bytes.length >> 1), bytes.subarray(0, 700)]) {
      try { await extract(cut); } catch (err) { expect(err).toBeInstanceOf(TamisError); }
    }
  }
});
