// Email authenticity on the generated dump, whose emails carry known labels
// (signed with keys the generator made, altered after signing, forged,
// signed with unknown, rotated, revoked or weak keys). The thresholds are
// the issue's: nothing altered or forged is verified, every altered email
// is tampered, >= 95% of forged ones are suspicious, <= 2% of genuine ones
// are flagged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { makeLeak } from './fixtures/make-leak.ts';
import { tamis } from './helpers/cli.ts';
import { tempDir } from './helpers/tmp.ts';

interface Item { id: string; sha256: string; path: string; kind: string; verdict: string; findings: { rule: string; severity: string; evidence: Record<string, unknown>; related: string[] }[] }
type Manifest = Awaited<ReturnType<typeof makeLeak>>;
type Labelled = Manifest['items'][number] & { label?: string; expect?: string };

const tmp = tempDir();
const dump = join(tmp.dir, 'leak');
const db = join(tmp.dir, 'tamis.db');
let manifest: Manifest & { keysZone?: string };
let bySha: Map<string, Item>;
let labelled: Labelled[];

beforeAll(async () => {
  manifest = await makeLeak(dump, { seed: 2017 });
  expect(manifest.keysZone, 'the generator writes a key archive').toBeTruthy();
  const run = tamis(['ingest', dump, '--db', db, '--keys', manifest.keysZone!, '--quiet']);
  expect(run.status, run.stderr).toBe(0);
  const report = JSON.parse(tamis(['report', '--db', db, '--format', 'json']).stdout) as { items: Item[] };
  bySha = new Map(report.items.map((i) => [i.sha256, i]));
  labelled = (manifest.items as Labelled[]).filter((m) => m.label);
});
afterAll(() => tmp.cleanup());

const verdictOf = (m: Labelled) => bySha.get(m.sha256)!.verdict;
const withLabel = (re: RegExp) => labelled.filter((m) => re.test(m.label!));

describe('verdicts on the labelled dump', () => {
  it('has every kind of case', () => {
    const labels = new Set(labelled.map((m) => m.label));
    for (const l of ['genuine-signed', 'altered-body', 'altered-header', 'appended-after-l', 'prepended-from', 'forged', 'unknown-selector', 'rotated-key', 'revoked-key', 'genuine-unsigned']) {
      expect(labels.has(l), l).toBe(true);
    }
  });

  it('calls every altered email tampered, and no altered or forged one verified', () => {
    const altered = withLabel(/^altered-/);
    expect(altered.length).toBeGreaterThan(0);
    expect(altered.filter((m) => verdictOf(m) !== 'tampered').map((m) => [m.path, m.label, verdictOf(m)])).toEqual([]);
    const bad = withLabel(/^(altered-|forged|appended-after-l|prepended-from)/);
    expect(bad.filter((m) => verdictOf(m) === 'verified').map((m) => m.path)).toEqual([]);
  });

  it('finds at least 95% of the forged emails suspicious', () => {
    const forged = withLabel(/^forged$/);
    expect(forged.length).toBeGreaterThanOrEqual(20);
    const caught = forged.filter((m) => verdictOf(m) === 'suspicious').length;
    expect(caught / forged.length).toBeGreaterThanOrEqual(0.95);
  });

  it('flags at most 2% of the genuine emails, and verifies the signed ones', () => {
    const genuine = withLabel(/^genuine-/);
    const flagged = genuine.filter((m) => ['suspicious', 'tampered'].includes(verdictOf(m)));
    expect(flagged.length / genuine.length, JSON.stringify(flagged.map((m) => [m.path, m.label, verdictOf(m)]))).toBeLessThanOrEqual(0.02);
    const signed = withLabel(/^genuine-(signed|refolded)/);
    expect(signed.filter((m) => verdictOf(m) !== 'verified').map((m) => [m.path, m.label, verdictOf(m)])).toEqual([]);
  });

  it('gives each labelled item the verdict the generator expects', () => {
    const wrong = labelled.filter((m) => m.expect && verdictOf(m) !== m.expect && m.label !== 'forged')
      .map((m) => `${m.path} [${m.label}] expected ${m.expect}, got ${verdictOf(m)}: ${bySha.get(m.sha256)!.findings.map((f) => f.rule).join(', ')}`);
    expect(wrong).toEqual([]);
  });

  it('shows for each signed email the DKIM result, the key used and its source', () => {
    for (const m of withLabel(/^(genuine-signed|altered-)/)) {
      const dkim = bySha.get(m.sha256)!.findings.filter((f) => f.rule.startsWith('dkim.') && f.evidence.domain);
      expect(dkim.length, m.path).toBeGreaterThan(0);
      for (const f of dkim) {
        expect(f.evidence).toHaveProperty('selector');
        expect(f.evidence.key).toMatchObject({ source: expect.stringMatching(/^file:/), id: expect.any(String) });
      }
    }
  });
});
