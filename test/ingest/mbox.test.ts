import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { TamisError } from '../../src/core/errors.ts';
import { emailIngestor } from '../../src/ingest/email.ts';
import { mboxIngestor, splitMbox } from '../../src/ingest/mbox.ts';

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const run = (bytes: Uint8Array) => mboxIngestor.extract({ bytes, name: 'box.mbox', ext: 'mbox', mime: 'application/mbox' });
const crlf = (s: string): string => s.replace(/\n/g, '\r\n');

// Two messages as delivered (what the mbox writer received), then the mbox
// the writer produced: From_ lines, >From escaping, a blank line after each.
const msg1 = [
  'From: Alice <alice@example.org>',
  'To: bob@example.org',
  'Subject: one',
  '',
  'Hello Bob,',
  'From the start of a line this would split the box.',
  '>From an already quoted line.',
  'The next line starts with From but follows text:',
  'From here it must not split.',
  '',
].join('\n');
const msg2Latin1 = Buffer.concat([
  Buffer.from('From: Carol <carol@example.org>\nSubject: two\nContent-Type: text/plain; charset=iso-8859-1\n\nTr'),
  Buffer.from([0xe9]), // é in ISO-8859-1: the splitter must not touch it
  Buffer.from('sorerie\n\nFrom a blank line: escaped by the writer.\n'),
]);
const mboxrdEscape = (s: string): string => s.replace(/^(>*From )/gm, '>$1');

function makeMbox(lineEnd: (s: string) => string): { mbox: Buffer; msgs: Buffer[] } {
  const m1 = Buffer.from(lineEnd(msg1));
  const m2 = Buffer.from(lineEnd(msg2Latin1.toString('latin1')), 'latin1');
  const mbox = Buffer.concat([
    Buffer.from(lineEnd('From alice@example.org Mon Jan  1 10:00:00 2024\n')),
    Buffer.from(mboxrdEscape(m1.toString('latin1')), 'latin1'),
    Buffer.from(lineEnd('\nFrom carol@example.org Tue Jan  2 11:00:00 2024\n')),
    Buffer.from(mboxrdEscape(m2.toString('latin1')), 'latin1'),
    Buffer.from(lineEnd('\n')),
  ]);
  return { mbox, msgs: [m1, m2] };
}

describe('mbox ingestor', () => {
  it('scores application/mbox and mbox/mbx extensions', () => {
    expect(mboxIngestor.score({ mime: 'application/mbox', ext: '' })).toBe(100);
    expect(mboxIngestor.score({ mime: 'text/plain', ext: 'mbx' })).toBe(10);
    expect(mboxIngestor.score({ mime: 'text/plain', ext: 'txt' })).toBe(0);
  });

  for (const [label, lineEnd] of [['LF', (s: string) => s], ['CRLF', crlf]] as const) {
    it(`splits a ${label} mbox and undoes >From escaping, byte for byte`, async () => {
      const { mbox, msgs } = makeMbox(lineEnd);
      const out = await run(mbox);
      expect(out.children.map((c) => c.name)).toEqual(['1.eml', '2.eml']);
      expect(out.children.map((c) => c.role)).toEqual(['message', 'message']);
      expect(out.meta).toEqual({ messages: 2 });
      // The child is exactly the delivered message: hashes match the report rule.
      expect(sha(out.children[0]!.bytes)).toBe(sha(msgs[0]!));
      expect(sha(out.children[1]!.bytes)).toBe(sha(msgs[1]!));
      expect(out.children[0]!.meta).toEqual({
        mboxFromLine: 'From alice@example.org Mon Jan  1 10:00:00 2024',
        mboxUnescaped: 3, // mboxrd escaped every /^>*From / line of the message
      });
      expect(out.children[1]!.meta).toMatchObject({ mboxUnescaped: 1 });
      const body = Buffer.from(out.children[0]!.bytes).toString();
      expect(body).toContain(lineEnd('\nFrom the start of a line'));
      expect(body).toContain(lineEnd('\n>From an already quoted line.'));
      // Each child is a parseable email; the ISO-8859-1 subject body survives.
      const second = await emailIngestor.extract({ bytes: out.children[1]!.bytes, name: '2.eml', ext: 'eml', mime: 'message/rfc822' });
      expect(second.title).toBe('two');
      expect(second.text).toContain('Trésorerie');
    });
  }

  it('splits only on From lines after an empty line (or at the start)', () => {
    const got = [...splitMbox(Buffer.from('From a Mon Jan  1 00:00:00 2024\nX: y\n\nline\nFrom not after a blank line\n'))];
    expect(got).toHaveLength(1);
    expect(Buffer.from(got[0]!.bytes).toString()).toBe('X: y\n\nline\nFrom not after a blank line\n');
    expect(got[0]!.unescaped).toBe(0);
  });

  it('handles a message without headers and a file without a final newline', () => {
    const got = [...splitMbox(Buffer.from('From a Mon Jan  1 00:00:00 2024\n\nbody one\n\nFrom b Tue Jan  2 00:00:00 2024\nX: y\n\nlast'))];
    expect(got.map((m) => Buffer.from(m.bytes).toString())).toEqual(['\nbody one\n', 'X: y\n\nlast']);
    expect(got.map((m) => m.fromLine)).toEqual(['From a Mon Jan  1 00:00:00 2024', 'From b Tue Jan  2 00:00:00 2024']);
  });

  it('throws E_MBOX_CORRUPT when the file does not start with a From line', async () => {
    for (const bad of ['Subject: not an mbox\n\nbody\n', '\nFrom a Mon Jan  1 00:00:00 2024\n', '']) {
      const err = await run(Buffer.from(bad)).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(TamisError);
      expect((err as TamisError).code).toBe('E_MBOX_CORRUPT');
    }
  });

  it('splits a large mailbox in linear time', async () => {
    const one = 'From x@example.org Mon Jan  1 00:00:00 2024\nSubject: s\n\n>From quoted\nbody\n\n';
    const mbox = Buffer.from(one.repeat(40_000));
    const t0 = performance.now();
    let n = 0;
    for (const m of splitMbox(mbox)) {
      n++;
      expect(m.unescaped).toBe(1);
    }
    expect(n).toBe(40_000);
    expect(performance.now() - t0).toBeLessThan(5_000);
  });
});
