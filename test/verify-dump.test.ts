// Email authenticity on a generated dump whose emails carry known labels
// (signed with the committed test keys, altered after signing, forged,
// signed with unknown, rotated, revoked or weak keys). The thresholds are
// the issue's: nothing altered or forged is verified, every altered email
// is tampered, >= 95% of forged ones are suspicious, <= 2% of genuine ones
// are flagged. python3-dkim, when installed, confirms the labels
// independently of tamis.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { makeAuthenticityDump, type AuthManifest, type AuthItem } from './fixtures/make-authenticity-dump.ts';
import { tamis } from './helpers/cli.ts';
import { tempDir } from './helpers/tmp.ts';

interface Item { id: string; sha256: string; path: string; kind: string; verdict: string; findings: { rule: string; severity: string; evidence: Record<string, unknown>; related: string[] }[] }

const tmp = tempDir();
const dump = join(tmp.dir, 'leak');
const db = join(tmp.dir, 'tamis.db');
let manifest: AuthManifest;
let bySha: Map<string, Item>;

beforeAll(async () => {
  manifest = await makeAuthenticityDump(dump);
  const run = tamis(['ingest', dump, '--db', db, '--keys', manifest.keysZone, '--quiet', '--no-ocr']);
  expect(run.status, run.stderr).toBe(0);
  const report = JSON.parse(tamis(['report', '--db', db, '--format', 'json']).stdout) as { items: Item[] };
  bySha = new Map(report.items.map((i) => [i.sha256, i]));
});
afterAll(() => tmp.cleanup());

const verdictOf = (m: AuthItem) => bySha.get(m.sha256)?.verdict ?? 'missing';
const withLabel = (re: RegExp) => manifest.items.filter((m) => re.test(m.label));
const describeItem = (m: AuthItem) => `${m.path} [${m.label}] expected ${m.expect}, got ${verdictOf(m)}: ${bySha.get(m.sha256)?.findings.map((f) => f.rule).join(', ')}`;

describe('verdicts on the labelled dump', () => {
  it('holds every kind of case', () => {
    const labels = new Set(manifest.items.map((m) => m.label));
    for (const l of ['genuine-signed', 'genuine-signed-lf', 'genuine-signed-mbox', 'genuine-refolded-relaxed', 'altered-body', 'altered-header',
      'appended-after-l', 'prepended-from', 'forged', 'unknown-selector', 'rotated-key', 'revoked-key', 'weak-key', 'genuine-unsigned',
      'quoted-in-verified', 'attachment-of-verified', 'copy-identical', 'copy-same-text', 'copy-altered-figures', 'copy-altered-wording',
      'altered-header-ed25519', 'list-footer', 'list-subject-tag', 'list-footer-arc', 'list-reworded-arc', 'list-arc-rotated-key']) {
      expect(labels.has(l), l).toBe(true);
    }
  });

  it('calls every altered email tampered, and no altered or forged one verified', () => {
    // An Ed25519 signature that fails cannot tell a changed header from another key: those stay consistent.
    const altered = withLabel(/^altered-/).filter((m) => m.label !== 'altered-header-ed25519');
    expect(altered.length).toBeGreaterThanOrEqual(10);
    expect(altered.filter((m) => verdictOf(m) !== 'tampered').map(describeItem)).toEqual([]);
    expect(withLabel(/^(altered-|forged|appended-after-l|prepended-from)/).filter((m) => verdictOf(m) === 'verified').map(describeItem)).toEqual([]);
  });

  it('finds at least 95% of the forged emails suspicious', () => {
    const forged = withLabel(/^forged$/);
    expect(forged.length).toBeGreaterThanOrEqual(20);
    expect(forged.filter((m) => verdictOf(m) === 'suspicious').length / forged.length).toBeGreaterThanOrEqual(0.95);
  });

  it('flags at most 2% of the genuine emails', () => {
    const genuine = withLabel(/^(genuine-|quoted-in-verified)/);
    const flagged = genuine.filter((m) => ['suspicious', 'tampered'].includes(verdictOf(m)));
    expect(flagged.length / genuine.length, flagged.map(describeItem).join('\n')).toBeLessThanOrEqual(0.02);
  });

  it('gives every labelled item the verdict its label implies', () => {
    expect(manifest.items.filter((m) => verdictOf(m) !== m.expect).map(describeItem)).toEqual([]);
  });

  it('shows for each signed email the DKIM result, the key used and its source', () => {
    for (const m of withLabel(/^(genuine-signed|altered-|rotated-key|weak-key)/)) {
      const dkim = bySha.get(m.sha256)!.findings.filter((f) => f.rule.startsWith('dkim.') && f.evidence.selector);
      expect(dkim.length, m.path).toBeGreaterThan(0);
      for (const f of dkim) {
        expect(f.evidence.key, `${m.path} ${f.rule}`).toMatchObject({ source: 'file:leak.keys.zone', id: expect.any(String) });
      }
    }
  });
});

it('lists the altered copies of the verified report in one cluster, with the changed figure in the diff', () => {
  const dups = JSON.parse(tamis(['dups', '--db', db, '--json']).stdout) as { clusters: { reason: string; members: { path: string; verdict: string }[] }[] };
  const report = dups.clusters.find((c) => c.members.some((m) => m.path === 'docs/rapport-T1-modifie.txt'))!;
  expect(report.reason).toBe('near-text');
  expect(report.members.map((m) => m.verdict).sort()).toEqual(['corroborated', 'suspicious', 'tampered', 'verified']);
  const altered = bySha.get(manifest.items.find((m) => m.label === 'copy-altered-figures')!.sha256)!.findings.find((f) => f.rule === 'dup.altered-copy')!;
  expect(altered.evidence.changes).toEqual(expect.arrayContaining([expect.objectContaining({ removed: '4', added: '14' })]));
  expect(altered.related).toHaveLength(1);
});

const PY = '/usr/bin/python3';
const hasPyDkim = spawnSync(PY, ['-c', 'import dkim'], { encoding: 'utf8' }).status === 0;

it.runIf(hasPyDkim)('agrees with python3-dkim on which signed files verify', () => {
  const zone = readFileSync(manifest.keysZone, 'utf8');
  // The oracle reads the same key archive; a selector with two keys is tried with each.
  const script = `import dkim, sys, re, json
zone = open(sys.argv[1]).read()
keys = {}
origin = ''
for rec in re.finditer(r'^(\\$ORIGIN\\s+(\\S+)|(\\S+)\\s[^"(]*TXT\\s*\\(?((?:\\s*"[^"]*")+)\\s*\\)?)', zone, re.M):
    if rec.group(2): origin = rec.group(2).rstrip('.'); continue
    owner = rec.group(3); value = ''.join(re.findall(r'"([^"]*)"', rec.group(4)))
    name = owner.rstrip('.') if owner.endswith('.') else owner + '.' + origin
    keys.setdefault(name.lower(), []).append(value)
out = {}
for path in sys.argv[2:]:
    msg = open(path, 'rb').read()
    if b'\\r\\n' not in msg: msg = msg.replace(b'\\n', b'\\r\\n')
    # Like tamis, check at the signature's own time (python3-dkim compares x= with now).
    m = re.search(rb't=(\\d+)', msg)
    if m: dkim.time.time = (lambda t=int(m.group(1)): t + 60)
    ok = False
    for i in range(4):
        def dnsfunc(name, timeout=5, i=i):
            vals = keys.get(name.decode().rstrip('.').lower(), [])
            return vals[min(i, len(vals) - 1)].encode() if vals else None
        try:
            if dkim.verify(msg, dnsfunc=dnsfunc, minkey=1024): ok = True; break
        except Exception: pass
    out[path] = ok
print(json.dumps(out))`;
  const files = withLabel(/^(genuine-signed$|genuine-signed-lf|genuine-refolded-relaxed|altered-)/).filter((m) => !m.path.includes('!/'));
  const r = spawnSync(PY, ['-c', script, manifest.keysZone, ...files.map((m) => join(dump, m.path))], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  const verdicts = JSON.parse(r.stdout) as Record<string, boolean>;
  const disagree = files.filter((m) => verdicts[join(dump, m.path)] !== m.label.startsWith('genuine')).map((m) => `${m.path} [${m.label}] python3-dkim: ${verdicts[join(dump, m.path)]}`);
  expect(zone.length).toBeGreaterThan(0);
  expect(disagree).toEqual([]);
});
