// No verdict moves on bytes nobody signed (issue 14). Every verified and
// every genuine unsigned email of the project's two labelled dumps gets a
// forged DKIM-Signature pasted in: its own domain or another, an archived
// selector or not, random or correct bh=, random b= of any length, and
// malformed variants. The DKIM verdict must stay what it was. An altered
// body under the genuine signature must still be caught.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { verifyDkim } from '../../src/analyze/dkim/verify-message.ts';
import { verdictOf } from '../../src/analyze/verdict.ts';
import { KeyIndex } from '../../src/keys/key-index.ts';
import { readKeyFile } from '../../src/keys/import-keys.ts';
import { makeAuthenticityDump } from '../fixtures/make-authenticity-dump.ts';
import { makeLeak } from '../fixtures/make-leak.ts';
import { messageReader } from '../fixtures/leak-reader.ts';
import { tempDir } from '../helpers/tmp.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const RUNS = Number(process.env.TAMIS_FUZZ_RUNS ?? 300);

interface Sample { name: string; bytes: Buffer; expect: 'verified' | 'consistent'; keys: KeyIndex }
const samples: Sample[] = [];

beforeAll(async () => {
  for (const [name, make] of [
    ['leak', async (dir: string) => makeLeak(dir)],
    ['authenticity', async (dir: string) => makeAuthenticityDump(dir, 2017, `${dir}.keys.zone`)],
  ] as const) {
    const dir = join(tmp.dir, name);
    const manifest = await make(dir);
    const keys = new KeyIndex(readKeyFile(manifest.keysZone).keys);
    const read = messageReader(dir);
    for (const item of manifest.items) {
      if (item.label !== 'genuine-unsigned' && !/^genuine-signed/.test(item.label ?? '')) continue;
      const bytes = read(item.path);
      if (!bytes || createHash('sha256').update(bytes).digest('hex') !== item.sha256) continue;
      samples.push({ name: `${name}:${item.path}`, bytes: Buffer.from(bytes), expect: item.expect as Sample['expect'], keys });
    }
  }
}, 300_000);

const verdict = async (bytes: Buffer, keys: KeyIndex) => verdictOf((await verifyDkim(bytes, { keys })).findings);
/** The signatures the verifier reported on (each finding names its signature's position). */
const signaturesSeen = async (bytes: Buffer, keys: KeyIndex) =>
  new Set((await verifyDkim(bytes, { keys })).findings.map((f) => f.evidence.signature).filter((n) => typeof n === 'number')).size;
const fromDomain = (b: Buffer) => /^From:.*@([A-Za-z0-9.-]+)/m.exec(b.toString('latin1'))?.[1]?.toLowerCase() ?? 'example.org';
/** The body hash a forger can compute without any key. */
function realBh(msg: Buffer): string {
  const text = msg.toString('latin1').replace(/\r?\n/g, '\r\n');
  const body = text.slice(text.indexOf('\r\n\r\n') + 4).replace(/(\r\n)*$/, '\r\n');
  return createHash('sha256').update(Buffer.from(body, 'latin1')).digest('base64');
}

const b64 = (n: number) => fc.uint8Array({ minLength: n, maxLength: n }).map((u) => Buffer.from(u).toString('base64'));
const forgedTags = (msg: Buffer) => fc.record({
  d: fc.constantFrom(fromDomain(msg), 'en-marche.example', 'republique.example', 'evil.example'),
  s: fc.constantFrom('s2017', 'ed2017', 's2016', 's2015', 'tiny', 'revoked', 'mail', 'ghost', 'x1'),
  a: fc.constantFrom('rsa-sha256', 'ed25519-sha256', 'rsa-sha1', 'rsa-md5', 'RSA-SHA256'),
  c: fc.constantFrom(null, 'relaxed/relaxed', 'simple/simple', 'relaxed', 'future/simple'),
  h: fc.constantFrom('from:to:subject:date', 'From:To:Subject:Date:Message-ID:MIME-Version', 'to:subject', 'from', ''),
  bh: fc.oneof(b64(32), b64(20), fc.constant(realBh(msg)), fc.constant('not base64!'), fc.constant(null)),
  b: fc.oneof(b64(256), b64(128), b64(64), b64(300), fc.constant(''), fc.constant('%%%')),
  t: fc.option(fc.integer({ min: 0, max: 2_000_000_000 })),
  x: fc.option(fc.integer({ min: 0, max: 2_000_000_000 })),
  l: fc.option(fc.integer({ min: 0, max: 5000 })),
  defect: fc.constantFrom('none', 'none', 'none', 'dup-d', 'empty-tag', 'no-v', 'v2', 'i-outside', 'bad-name'),
  at: fc.nat(),
});

function forgedField(t: ReturnType<typeof forgedTags> extends fc.Arbitrary<infer T> ? T : never): string {
  const tags = [
    t.defect === 'no-v' ? null : `v=${t.defect === 'v2' ? 2 : 1}`, `a=${t.a}`, t.c ? `c=${t.c}` : null, `d=${t.d}`,
    t.defect === 'dup-d' ? `d=${t.d}` : null, `s=${t.s}`, t.t !== null ? `t=${t.t}` : null, t.x !== null ? `x=${t.x}` : null,
    t.l !== null ? `l=${t.l}` : null, t.defect === 'i-outside' ? 'i=@elsewhere.example' : null, t.defect === 'bad-name' ? '9z=1' : null,
    `h=${t.h}`, t.bh !== null ? `bh=${t.bh}` : null, `b=${t.b}`,
  ].filter((x) => x !== null);
  return `DKIM-Signature: ${tags.join(t.defect === 'empty-tag' ? ';; ' : '; ')}`.replace(/(.{70})/g, '$1\r\n ');
}

/** Pastes a header field in among the header fields (any place in the header block). */
function paste(msg: Buffer, field: string, at: number): Buffer {
  const text = msg.toString('latin1');
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  const end = text.indexOf(nl + nl);
  const starts = [0, ...[...text.slice(0, end).matchAll(new RegExp(`${nl}(?![ \\t])`, 'g'))].map((m) => m.index! + nl.length)];
  const pos = starts[at % starts.length]!;
  return Buffer.from(text.slice(0, pos) + field.replace(/\r\n/g, nl) + nl + text.slice(pos), 'latin1');
}

describe('a forged DKIM-Signature moves no verdict', () => {
  it('the labelled emails get their expected DKIM verdict to begin with', async () => {
    expect(samples.filter((s) => s.expect === 'verified').length).toBeGreaterThan(40);
    expect(samples.filter((s) => s.expect === 'consistent').length).toBeGreaterThan(10);
    for (const s of samples) expect(await verdict(s.bytes, s.keys), s.name).toBe(s.expect);
  });

  it('verified stays verified and unsigned stays consistent, whatever signature is pasted in', async () => {
    await fc.assert(fc.asyncProperty(fc.nat(), fc.context(), async (pick, ctx) => {
      const s = samples[pick % samples.length]!;
      const tags = fc.sample(forgedTags(s.bytes), { numRuns: 1, seed: pick })[0]!;
      const forged = paste(s.bytes, forgedField(tags), tags.at);
      ctx.log(`${s.name} ${forgedField(tags)}`);
      expect(await verdict(forged, s.keys)).toBe(s.expect);
      // The pasted field was read as a signature of its own.
      expect(await signaturesSeen(forged, s.keys)).toBe((await signaturesSeen(s.bytes, s.keys)) + 1);
    }), { numRuns: RUNS, seed: 14 });
  }, 300_000);

  it('an altered body under the genuine signature is still caught', async () => {
    for (const s of samples.filter((x) => x.expect === 'verified')) {
      const text = s.bytes.toString('latin1');
      const body = text.search(/\r?\n\r?\n/) + 4;
      // Change one letter or digit in the middle of the body (not an append).
      let i = body + Math.floor((text.length - body) / 2);
      while (i < text.length && !/[A-Za-z0-9]/.test(text[i]!)) i++;
      if (i >= text.length) continue;
      const altered = Buffer.from(text.slice(0, i) + (text[i] === 'x' ? 'y' : 'x') + text.slice(i + 1), 'latin1');
      expect(await verdict(altered, s.keys), s.name).toMatch(/^(tampered|suspicious)$/);
    }
  });
});
