// Public DKIM test messages (test/fixtures/dkim-suites: Mail::DKIM, dkimpy,
// go-msgauth, dkim_verifier, mail-auth, blaze, authheaders and real mail),
// each signature's result class (pass / fail / permerror / nokey /
// temperror) held against python3-dkim's, an implementation tamis shares no
// code with. Where they differ, docs/rules.md ("DKIM test messages") argues
// the difference from the RFCs, and this test holds the list to the code.
import { beforeAll, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { needs } from '../helpers/needs.ts';
import { hasPyDkim, pythonClasses, suiteCases, tamisClasses, type Klass, type SuiteCase } from './dkim-suite-runner.ts';

const RULES = new URL('../../docs/rules.md', import.meta.url);
let cases: SuiteCase[];
let tamis: ({ cls: Klass; reason: string }[] & { arc?: string })[];

beforeAll(async () => {
  cases = suiteCases();
  tamis = [];
  for (const c of cases) tamis.push(await tamisClasses(c));
});

/** The signatures docs/rules.md lists as differences: `id#n` → "tamis/python". */
function documentedDifferences(): Map<string, string> {
  const doc = readFileSync(RULES, 'utf8');
  const section = doc.slice(doc.indexOf('### DKIM test messages'), doc.indexOf('### ARC test suite'));
  const out = new Map<string, string>();
  for (const m of section.matchAll(/^\| `([^`]+)` \| (\w+) \| (\w+) \|/gm)) out.set(m[1]!, `${m[2]}/${m[3]}`);
  return out;
}

it('reads every test message, each signature with a result class', () => {
  expect(cases.length).toBeGreaterThan(100);
  for (let i = 0; i < cases.length; i++) {
    expect(tamis[i]!.length + (tamis[i]!.arc ? 1 : 0), cases[i]!.id).toBeGreaterThan(0);
    for (const s of tamis[i]!) expect(['pass', 'fail', 'permerror', 'nokey', 'temperror'], cases[i]!.id).toContain(s.cls);
  }
});

it('gives real mail with ARC sets the chain status its source states', () => {
  const stated = cases.map((c, i) => ({ c, i })).filter(({ c }) => c.arc?.cv);
  expect(stated.length).toBeGreaterThanOrEqual(15);
  for (const { c, i } of stated) expect(tamis[i]!.arc, c.id).toBe(c.arc!.cv!.toLowerCase());
});

it.runIf(needs('python3-dkim (Debian package python3-dkim)', hasPyDkim))('agrees with python3-dkim on at least 95% of the signatures, and every difference is documented', () => {
  const python = pythonClasses(cases);
  const differences = new Map<string, string>();
  let total = 0;
  for (let i = 0; i < cases.length; i++) {
    const n = Math.max(tamis[i]!.length, python[i]!.length);
    for (let k = 0; k < n; k++) {
      total++;
      const t = tamis[i]![k]?.cls, p = python[i]![k]?.cls;
      if (t !== p) differences.set(`${cases[i]!.id}#${k + 1}`, `${t}/${p}`);
    }
  }
  expect(total).toBeGreaterThan(130);
  expect(Object.fromEntries(differences)).toEqual(Object.fromEntries(documentedDifferences()));
  expect((total - differences.size) / total).toBeGreaterThanOrEqual(0.95);
});
