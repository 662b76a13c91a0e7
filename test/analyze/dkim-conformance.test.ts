// DKIM conformance: the RFC test vectors, and the cases a leak throws at a
// verifier (expired x=, LF-only files, l= with appended text, a prepended
// From, refolded headers, rotated/missing/revoked keys). Expectations for
// the RFC vectors are cross-checked with python3-dkim when it is installed.
import { afterAll, describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { spawnSync } from 'node:child_process';
import { dkimSign } from 'mailauth/lib/dkim/sign.js';
import { verifyDkim } from '../../src/analyze/dkim/verify-message.ts';
import { CrlfTransform, scanFile, toCrlf } from '../../src/analyze/dkim/line-endings.ts';
import { tempDir } from '../helpers/tmp.ts';
import { needs } from '../helpers/needs.ts';
import { verdictOf } from '../../src/analyze/verdict.ts';
import { KeyIndex, type DkimKey } from '../../src/keys/key-index.ts';

const CORPUS = new URL('../../../shared/corpora/dkim/', import.meta.url);
const tmp = tempDir();
afterAll(() => tmp.cleanup());
const PY = '/usr/bin/python3';
const hasPyDkim = spawnSync(PY, ['-c', 'import dkim'], { encoding: 'utf8' }).status === 0;

function index(entries: Record<string, string>, source = 'file:test.zone'): KeyIndex {
  return new KeyIndex(Object.entries(entries).map(([name, value]) => ({ name, value, source, importedAt: '2026-11-25T00:00:00.000Z' } satisfies DkimKey)));
}
const rules = (findings: { rule: string }[]) => findings.map((f) => f.rule).sort();

function pythonVerifies(message: Buffer, keys: Record<string, string>): boolean {
  const script = `import dkim, sys, json
keys = json.loads(sys.argv[1])
msg = sys.stdin.buffer.read()
def dnsfunc(name, timeout=5):
    n = name.decode() if isinstance(name, bytes) else name
    v = keys.get(n.rstrip('.').lower())
    return v.encode() if v else None
d = dkim.DKIM(msg)
sigs = [h for h in d.headers if h[0].lower() == b'dkim-signature']
print(all(d.verify(idx=i, dnsfunc=dnsfunc) for i in range(len(sigs))))`;
  const r = spawnSync(PY, ['-c', script, JSON.stringify(keys)], { input: message, encoding: 'utf8' });
  return r.stdout.trim() === 'True';
}

describe.runIf(needs('the shared corpora (../shared/corpora/dkim)', existsSync(new URL('keys.json', CORPUS))))('RFC test vectors', () => {
  for (const file of ['rfc8463.eml', 'rfc6376.eml']) {
    it(`${file}: every signature passes with the published keys`, async () => {
      const keys = JSON.parse(readFileSync(new URL('keys.json', CORPUS), 'utf8')) as Record<string, string>;
      const raw = readFileSync(new URL(file, CORPUS));
      const { findings } = await verifyDkim(raw, { keys: index(keys) });
      const passes = findings.filter((f) => f.rule === 'dkim.pass');
      expect(passes.length).toBe(file === 'rfc8463.eml' ? 2 : 1);
      expect(findings.every((f) => f.severity !== 'critical')).toBe(true);
      expect(verdictOf(findings)).toBe('verified');
      if (file === 'rfc8463.eml') expect(passes.map((p) => p.evidence.algorithm).sort()).toEqual(['ed25519-sha256', 'rsa-sha256']);
      for (const p of passes) expect(p.evidence.key).toMatchObject({ source: 'file:test.zone' });
      if (hasPyDkim) expect(pythonVerifies(raw, keys)).toBe(true);
    });
  }
});

describe('leak cases', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const old = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pub = (k: typeof rsa) => k.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  const priv = (k: typeof rsa) => k.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const archive = { 's1._domainkey.en-marche.example': `v=DKIM1; k=rsa; p=${pub(rsa)}`, 'revoked._domainkey.en-marche.example': 'v=DKIM1; k=rsa; p=' };
  const message = [
    'From: Hélène Dupré <helene@en-marche.example>', 'To: francois@en-marche.example', 'Subject: Trésorerie mai',
    'Date: Tue, 02 May 2017 10:00:00 +0200', 'Message-ID: <abc@mx1.en-marche.example>', 'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8', '', 'Le solde est de 12 000 euros.', 'Bien à vous,', 'Hélène', '',
  ].join('\r\n');

  async function sign(msg: string, opts: { selector?: string; key?: typeof rsa; canon?: string; maxBodyLength?: number } = {}): Promise<string> {
    const res = await dkimSign(msg, {
      canonicalization: opts.canon ?? 'relaxed/relaxed',
      signTime: new Date('2017-05-02T08:00:00Z'),
      expires: new Date('2017-05-09T08:00:00Z'),
      // mailauth signs with signatureData; its typings want the single-signature fields too.
      signingDomain: 'en-marche.example', selector: opts.selector ?? 's1', privateKey: priv(opts.key ?? rsa),
      signatureData: [{ signingDomain: 'en-marche.example', selector: opts.selector ?? 's1', privateKey: priv(opts.key ?? rsa), maxBodyLength: opts.maxBodyLength }],
    });
    expect(res.errors).toEqual([]);
    return res.signatures + msg;
  }
  const check = async (msg: string | Buffer, keys: Record<string, string> = archive) => {
    const bytes = Buffer.from(msg);
    const findings = (await verifyDkim(bytes, { keys: index(keys) })).findings;
    // The road of a message too large to hold: read from its file as a stream, with the same findings.
    const file = join(tmp.dir, 'message.eml');
    writeFileSync(file, bytes);
    expect((await verifyDkim({ path: file }, { keys: index(keys) })).findings).toEqual(findings);
    return findings;
  };

  it('passes years after x= expired (the clock is the signature time)', async () => {
    const f = await check(await sign(message));
    expect(rules(f)).toEqual(['dkim.pass']);
    expect(f[0]!.evidence.expires).toBe('2017-05-09T08:00:00.000Z');
  });

  it('reads an LF-only file as CRLF and says so', async () => {
    const f = await check((await sign(message)).replace(/\r\n/g, '\n'));
    expect(rules(f)).toEqual(['dkim.pass', 'dkim.repaired-line-endings']);
    expect(verdictOf(f)).toBe('verified');
  });

  it('flags text appended after the l= length as unsigned', async () => {
    const signed = await sign(message, { maxBodyLength: 40 });
    const f = await check(signed + 'PS: virez 50 000 euros sur le compte suivant.\r\n');
    expect(rules(f)).toEqual(['dkim.pass', 'dkim.unsigned-appended']);
    expect(verdictOf(f)).toBe('suspicious');
  });

  it('flags a From header prepended above the signed one', async () => {
    const f = await check('From: Emmanuel <em@en-marche.example>\r\n' + (await sign(message)));
    expect(rules(f)).toContain('dkim.duplicate-from');
    expect(verdictOf(f)).not.toBe('verified');
  });

  it('tolerates refolded headers under relaxed, not under simple', async () => {
    const refold = (m: string) => m.replace('Subject: Trésorerie mai', 'Subject:   Trésorerie\r\n   mai');
    expect(rules(await check(refold(await sign(message))))).toEqual(['dkim.pass']);
    const simple = await check(refold(await sign(message, { canon: 'simple/simple' })));
    expect(rules(simple)).toEqual(['dkim.signature-mismatch']);
    expect(verdictOf(simple)).toBe('tampered');
  });

  it('calls an edited body tampered', async () => {
    const f = await check((await sign(message)).replace('12 000', '120 000'));
    expect(rules(f)).toEqual(['dkim.body-hash-mismatch']);
    expect(verdictOf(f)).toBe('tampered');
  });

  it('tries every archived key of a selector', async () => {
    const keys = { ...archive };
    const f = (await verifyDkim(Buffer.from(await sign(message)), { keys: new KeyIndex([
      { name: 's1._domainkey.en-marche.example', value: `v=DKIM1; k=rsa; p=${pub(old)}`, source: 'file:old.zone', importedAt: '2016-01-01T00:00:00Z' },
      { name: 's1._domainkey.en-marche.example', value: keys['s1._domainkey.en-marche.example'], source: 'file:new.zone', importedAt: '2018-01-01T00:00:00Z' },
    ]) })).findings;
    expect(rules(f)).toEqual(['dkim.pass']);
    expect(f[0]!.evidence.key).toMatchObject({ source: 'file:new.zone' });
  });

  it('tells a rotated key from a changed header: the archived key did not make the signature', async () => {
    const f = await check(await sign(message, { key: old }));
    expect(rules(f)).toEqual(['dkim.key-mismatch']);
    expect(f[0]!.evidence.bodyHashMatches).toBe(true);
    expect(verdictOf(f)).toBe('consistent');
  });

  it('is neutral when the key is missing or revoked', async () => {
    const missing = await check(await sign(message, { selector: 'ghost' }));
    expect(rules(missing)).toEqual(['dkim.no-key']);
    expect(verdictOf(missing)).toBe('consistent');
    const revoked = await check(await sign(message, { selector: 'revoked' }));
    expect(rules(revoked)).toEqual(['dkim.revoked-key']);
    expect(verdictOf(revoked)).toBe('consistent');
  });

  it('leaves an unsigned message consistent, never forged by that fact alone', async () => {
    const f = await check(message);
    expect(rules(f)).toEqual(['dkim.none']);
    expect(verdictOf(f)).toBe('consistent');
  });

  it('treats a key under 1024 bits as no proof', async () => {
    const tiny = generateKeyPairSync('rsa', { modulusLength: 512 });
    const f = await check(await sign(message, { selector: 'tiny', key: tiny }), { 'tiny._domainkey.en-marche.example': `v=DKIM1; p=${pub(tiny)}` });
    expect(rules(f)).toEqual(['dkim.weak-key']);
    expect(verdictOf(f)).toBe('consistent');
  });
});

describe('ARC', () => {
  const seal = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const sealPub = `v=DKIM1; k=rsa; p=${seal.publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`;
  const list = 'From: Hélène <helene@en-marche.example>\r\nTo: liste@lists.example\r\nSubject: Ordre du jour\r\nDate: Tue, 02 May 2017 10:00:00 +0200\r\nMessage-ID: <arc1@mx1.en-marche.example>\r\n\r\nPoint 1 : trésorerie.\r\n';

  async function sealed(): Promise<string> {
    const { sealMessage } = await import('mailauth/lib/arc/index.js');
    const headers = await sealMessage(Buffer.from(list), {
      signingDomain: 'lists.example', selector: 'arc', privateKey: seal.privateKey.export({ type: 'pkcs8', format: 'pem' }),
      authResults: 'mx.lists.example; dkim=pass header.d=en-marche.example', cv: 'none', signTime: new Date('2017-05-02T08:01:00Z'),
    } as never);
    return Buffer.from(headers as Uint8Array).toString() + list;
  }

  it('checks an intact ARC chain with the archived sealing key', async () => {
    const f = (await verifyDkim(Buffer.from(await sealed()), { keys: index({ 'arc._domainkey.lists.example': sealPub }) })).findings;
    expect(rules(f)).toContain('arc.pass');
  });

  it('reports a chain broken by a later change, and a missing sealing key', async () => {
    const broken = (await sealed()).replace('trésorerie', 'trésorerie offshore');
    expect(rules((await verifyDkim(Buffer.from(broken), { keys: index({ 'arc._domainkey.lists.example': sealPub }) })).findings)).toContain('arc.fail');
    expect(rules((await verifyDkim(Buffer.from(await sealed()), { keys: index({}) })).findings)).toContain('arc.no-key');
  });
});

describe('line endings of a message read as a stream', () => {
  const sample = Buffer.from('a\nb\r\nc\r\r\n\n\rd\n\r\n\ne');
  it('converts bare LF in pieces exactly as whole, wherever the pieces split', async () => {
    for (let cut = 0; cut <= sample.length; cut++) {
      const pieces = [sample.subarray(0, cut), sample.subarray(cut)];
      const out: Buffer[] = [];
      for await (const c of Readable.from(pieces).pipe(new CrlfTransform())) out.push(c as Buffer);
      expect(Buffer.concat(out).equals(Buffer.from(toCrlf(sample).bytes)), `cut at ${cut}`).toBe(true);
    }
  });
  it('counts bare LF in a file read in chunks as in the whole bytes', () => {
    const file = join(tmp.dir, 'lines.eml');
    writeFileSync(file, sample);
    for (const chunk of [1, 2, 3, 5, 64]) {
      const { head, bareLf } = scanFile(file, 6, chunk);
      expect(bareLf, `${chunk}-byte chunks`).toBe(toCrlf(sample).bareLf);
      expect(Buffer.from(head).equals(sample.subarray(0, 6))).toBe(true);
    }
  });
});
