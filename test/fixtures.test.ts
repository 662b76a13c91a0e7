// Self-test of the fixture generator (the oracle of the ingest tests): it is
// deterministic, the manifest matches the files on disk, the item count is in
// range, the generated PDFs and Office files read back with standard tools,
// every email carries an authenticity label, and python3-dkim (when
// installed) independently confirms which signed emails verify against the
// key archive written beside the dump.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { makeLeak, type LeakManifest } from './fixtures/make-leak.ts';
import { EXPECT, type Label } from './fixtures/dkim-plan.ts';
import { messageReader, zoneTxt } from './fixtures/leak-reader.ts';
import { makeMailDump } from './fixtures/make-mail-dump.ts';
import { tempDir } from './helpers/tmp.ts';

const tmp = tempDir('tamis-fixtures-');
const a = join(tmp.dir, 'a');
const b = join(tmp.dir, 'b');
let first: LeakManifest;
let second: LeakManifest;

const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');
const has = (cmd: string) => { try { execFileSync('sh', ['-c', `command -v ${cmd}`]); return true; } catch { return false; } };
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : [relative(a, join(dir, e.name)).split(sep).join('/')]);
}

beforeAll(async () => {
  first = await makeLeak(a, { seed: 2017 });
  second = await makeLeak(b, { seed: 2017 });
});
afterAll(() => tmp.cleanup());

describe('makeLeak', () => {
  it('is deterministic for a seed, key archive included', () => {
    expect(first.keysZone).toBe(`${a}.keys.zone`);
    expect({ ...second, keysZone: '' }).toEqual({ ...first, keysZone: '' });
    expect(readFileSync(second.keysZone, 'utf8')).toBe(readFileSync(first.keysZone, 'utf8'));
  });

  it('holds 350 to 600 items, one path each, every kind represented', () => {
    expect(first.items.length).toBeGreaterThanOrEqual(350);
    expect(first.items.length).toBeLessThanOrEqual(600);
    expect(new Set(first.items.map((i) => i.path)).size).toBe(first.items.length);
    const kinds = new Set(first.items.map((i) => i.kind));
    for (const k of ['email', 'attachment', 'document', 'archive', 'image']) expect(kinds).toContain(k);
    // Some bytes occur at several paths (dedupe).
    expect(new Set(first.items.map((i) => i.sha256)).size).toBeLessThan(first.items.length);
  });

  it('lists every file on disk with its SHA-256 and size, and no other top-level path', () => {
    const top = first.items.filter((i) => !i.path.includes('!/'));
    for (const i of top) {
      const p = join(a, ...i.path.split('/'));
      expect({ path: i.path, sha256: sha(p), size: statSync(p).size }).toEqual({ path: i.path, sha256: i.sha256, size: i.size });
    }
    expect(filesUnder(a).sort()).toEqual(top.map((i) => i.path).sort());
  });

  it('records the three broken files as items and failures', () => {
    const paths = new Set(first.items.map((i) => i.path));
    expect(first.failures).toEqual([
      { path: 'broken/corrupt.zip', code: 'E_ZIP_CORRUPT' },
      { path: 'broken/truncated.pdf', code: 'E_PDF_INVALID' },
      { path: 'broken/invalid.eml', code: 'E_EMAIL_INVALID' },
    ]);
    for (const f of first.failures) expect(paths.has(f.path)).toBe(true);
  });

  it('never spells "tresorerie" without its accent', () => {
    for (const p of filesUnder(a)) expect(readFileSync(join(a, p)).toString('latin1').toLowerCase()).not.toContain('tresorerie');
  });

  it.runIf(has('pdftotext'))('writes PDFs whose text pdftotext reads, accents included', () => {
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', join(a, 'docs', 'note-trésorerie-mai-2017.pdf'), '-'], { encoding: 'utf8' });
    expect(text).toContain('Trésorerie');
    const info = execFileSync('pdfinfo', [join(a, 'docs', 'note-trésorerie-mai-2017.pdf')], { encoding: 'utf8' });
    expect(info).toMatch(/Title:\s+Trésorerie — prévisions/);
    expect(info).toMatch(/Author:\s+\S/);
  });

  it.runIf(has('exiftool'))('writes Office files whose core and app properties exiftool reads', () => {
    const out = JSON.parse(execFileSync('exiftool', ['-j', join(a, 'docs', 'plan-de-financement.docx'), join(a, 'docs', 'tableau-dons-avril.xlsx'), join(a, 'docs', 'presentation-comite.pptx')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as Record<string, unknown>[];
    for (const m of out) {
      expect(m.Creator).toBeTypeOf('string');
      expect(m.LastModifiedBy).toBeTypeOf('string');
      expect(m.CreateDate).toMatch(/^2017:/);
      expect(m.ModifyDate).toMatch(/^2017:/);
      expect(m.Application).toMatch(/^Microsoft/);
      expect(m.Company).toBe('En Marche !');
    }
  });
});

const LABELS = Object.keys(EXPECT) as Label[];
const byLabel = (re: RegExp) => first.items.filter((i) => i.label && re.test(i.label));

describe('makeLeak: authenticity labels and key archive', () => {
  it('writes the key archive beside the dump: a zone file of TXT records in mixed forms', () => {
    expect(existsSync(first.keysZone)).toBe(true);
    const zone = readFileSync(first.keysZone, 'utf8');
    expect(zone).toMatch(/^\$ORIGIN en-marche\.example\.$/m);
    expect(zone).toMatch(/^\$TTL \d+$/m);
    expect(zone).toMatch(/TXT \(/); // parenthesised multi-line
    expect(zone).toMatch(/^s2017\._domainkey\.en-marche\.example\.\s/m); // absolute name
    const txt = zoneTxt(zone);
    expect(txt.get('s2017._domainkey.en-marche.example')).toHaveLength(2); // a wrong key and the right one
    expect(txt.get('s2015._domainkey.en-marche.example')).toHaveLength(1);
    expect(txt.get('revoked._domainkey.en-marche.example')).toEqual(['v=DKIM1; k=rsa; p=']);
    expect(txt.has('ghost._domainkey.en-marche.example')).toBe(false);
    for (const n of ['s2016', 'ed2017', 'tiny']) expect(txt.get(`${n}._domainkey.en-marche.example`)?.[0]).toMatch(/^v=DKIM1; k=\w+; p=[A-Za-z0-9+/]+=*$/);
    expect(txt.get('mail._domainkey.republique.example')?.[0]).toMatch(/^v=DKIM1; k=rsa; p=/);
  });

  it('labels every email (broken files aside) and every attachment of a verified one, with the verdict its label implies', () => {
    const counts: Record<string, number> = {};
    for (const i of first.items) if (i.label) counts[i.label] = (counts[i.label] ?? 0) + 1;
    console.log(`labels: ${Object.entries(counts).sort().map(([k, v]) => `${k} ${v}`).join(', ')}`);
    for (const l of [...LABELS, 'attachment-of-verified']) expect(counts[l] ?? 0, l).toBeGreaterThan(0);
    expect(counts.forged).toBeGreaterThanOrEqual(20);
    expect(first.items.filter((i) => i.kind === 'email' && !i.path.startsWith('broken/') && !i.label).map((i) => i.path)).toEqual([]);
    expect(first.items.filter((i) => i.path.startsWith('broken/') && i.label)).toEqual([]);
    for (const i of first.items.filter((x) => x.label)) {
      expect(i.expect, i.path).toBe(i.label === 'attachment-of-verified' ? 'verified' : EXPECT[i.label as Label]);
    }
    // Attachments are labelled under verified emails only; the same bytes always carry the same label.
    const byPath = new Map(first.items.map((i) => [i.path, i]));
    for (const i of first.items.filter((x) => x.kind === 'attachment')) {
      const parent = byPath.get(i.path.slice(0, i.path.lastIndexOf('!/')))!;
      expect(i.label, i.path).toBe(parent.expect === 'verified' ? 'attachment-of-verified' : undefined);
    }
    const labelOf = new Map<string, string>();
    for (const i of first.items.filter((x) => x.kind === 'email' && x.label)) {
      expect(labelOf.get(i.sha256) ?? i.label, i.path).toBe(i.label);
      labelOf.set(i.sha256, i.label!);
    }
  });

  it('signs and alters as labelled: LF-only exports, mbox-escaped From lines, forged mail unsigned', () => {
    const read = messageReader(a);
    const text = (p: string) => Buffer.from(read(p)!).toString('latin1');
    for (const i of byLabel(/^genuine-signed-lf$/)) expect(text(i.path)).not.toContain('\r');
    for (const i of byLabel(/^genuine-signed-mbox$/)) {
      expect(i.path.startsWith('boxes/archive.mbox!/'), i.path).toBe(true);
      expect(text(i.path).split('\n\n').slice(1).join('\n\n')).toMatch(/^>*From /m);
    }
    expect(readFileSync(join(a, 'boxes', 'archive.mbox'), 'latin1')).toMatch(/^>From now on/m);
    for (const i of byLabel(/^(forged|genuine-unsigned|quoted-in-verified)$/)) if (!i.path.includes('.eml!/')) expect(text(i.path), i.path).not.toMatch(/^DKIM-Signature:/mi);
    for (const i of byLabel(/^(genuine-signed|altered-|appended|prepended|unknown|rotated|revoked|weak)/)) expect(text(i.path), i.path).toMatch(/^DKIM-Signature:/m);
    expect(byLabel(/^prepended-from$/).every((i) => (text(i.path).match(/^From:/gm) ?? []).length === 2)).toBe(true);
    expect(byLabel(/^appended-after-l$/).every((i) => /; l=\d+;/.test(text(i.path).replace(/\r?\n[ \t]+/g, ' ')))).toBe(true);
  });
});

const PYTHONS = ['/usr/bin/python3', 'python3'];
const PY = PYTHONS.find((p) => { try { execFileSync(p, ['-c', 'import dkim'], { stdio: 'ignore' }); return true; } catch { return false; } });
if (!PY) console.warn('python3-dkim is not installed (Debian: apt-get install python3-dkim): the independent DKIM check of the fixture is skipped');

// python3-dkim verifies with the archived keys (each key of a selector in turn), at the
// signature's own time (it compares x= with the clock), after LF -> CRLF for LF-only files.
const ORACLE = `import dkim, json, re, sys, time
keys = json.load(open(sys.argv[1]))
out = {}
for path in sys.argv[2:]:
    msg = open(path, 'rb').read()
    if b'\\r\\n' not in msg: msg = msg.replace(b'\\n', b'\\r\\n')
    t = int(re.search(rb'\\bt=(\\d+)', msg).group(1))
    time.time = lambda t=t: t + 60
    ok = False
    for i in range(3):
        def dnsfunc(name, timeout=5, i=i):
            vals = keys.get(name.decode().rstrip('.').lower(), [])
            return vals[min(i, len(vals) - 1)].encode() if vals else None
        try:
            if dkim.verify(msg, dnsfunc=dnsfunc): ok = True
        except Exception: pass
    out[path] = ok
print(json.dumps(out))`;

it.runIf(PY)('python3-dkim agrees: genuine signed mail verifies, altered mail and unverifiable keys do not', () => {
  // appended-after-l still verifies (the signature covers l= bytes only); prepended-from does not here, as
  // python3-dkim hashes an extra From header too (its bug #644046 defence), though RFC 6376 alone would pass it.
  const shouldPass = /^(genuine-signed|genuine-signed-lf|genuine-signed-mbox|genuine-refolded-relaxed|appended-after-l)$/;
  const checked = byLabel(/^(genuine-signed|genuine-refolded|altered-|appended-after-l|prepended-from|unknown-selector|rotated-key|revoked-key|weak-key)/)
    .filter((i) => i.kind === 'email');
  const read = messageReader(a);
  const dir = join(tmp.dir, 'oracle');
  mkdirSync(dir, { recursive: true });
  const files = new Map<string, (typeof checked)[number]>();
  checked.forEach((i, n) => {
    const bytes = read(i.path);
    expect(bytes && createHash('sha256').update(bytes).digest('hex'), i.path).toBe(i.sha256);
    const f = join(dir, `${n}.eml`);
    writeFileSync(f, bytes!);
    files.set(f, i);
  });
  const keys = join(dir, 'keys.json');
  writeFileSync(keys, JSON.stringify(Object.fromEntries(zoneTxt(readFileSync(first.keysZone, 'utf8')))));
  const ok = JSON.parse(execFileSync(PY!, ['-c', ORACLE, keys, ...files.keys()], { encoding: 'utf8', maxBuffer: 1 << 24 })) as Record<string, boolean>;
  const disagree = [...files].filter(([f, i]) => ok[f] !== shouldPass.test(i.label!)).map(([f, i]) => `${i.path} [${i.label}] python3-dkim: ${ok[f]}`);
  expect(checked.length).toBeGreaterThan(150);
  expect(disagree).toEqual([]);
});

describe('makeMailDump', () => {
  it('writes count emails in a maildir, deterministically', async () => {
    const d1 = await makeMailDump(join(tmp.dir, 'm1'), { count: 200, seed: 3, layout: 'maildir' });
    const d2 = await makeMailDump(join(tmp.dir, 'm2'), { count: 200, seed: 3, layout: 'maildir' });
    expect(d2).toEqual(d1);
    const emails = d1.items.filter((i) => i.kind === 'email');
    expect(emails.length).toBe(200);
    expect(emails.every((e) => /^mail\/[^/]+\/(cur|new)\/[^/]+$/.test(e.path))).toBe(true);
    const attached = d1.items.length - emails.length;
    expect(attached).toBeGreaterThan(10);
    expect(attached).toBeLessThan(80);
    for (const e of emails.slice(0, 20)) expect(sha(join(tmp.dir, 'm1', ...e.path.split('/')))).toBe(e.sha256);
  });
});
