// ValiMail's ARC validation suite (test/fixtures/arc-suite): every vector's
// chain validation status, as RFC 8617 §5.2 defines it. The suite predates
// the RFC; where tamis follows the RFC, the vector is listed with its
// argument in docs/rules.md ("ARC test suite"), and this test holds the list
// and the code to each other.
import { expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { checkMessage } from '../../src/analyze/dkim/verify-message.ts';
import { KeyIndex } from '../../src/keys/key-index.ts';

interface Scenario { tests: Record<string, { message: string; cv: string | null; description?: string }>; 'txt-records'?: Record<string, string> }

const SUITE = new URL('../fixtures/arc-suite/arc-draft-validation-tests.yml', import.meta.url);
const RULES = new URL('../../docs/rules.md', import.meta.url);

/** The vectors docs/rules.md lists as differences, from its "ARC test suite" table. */
function documentedDifferences(): Map<string, string> {
  const doc = readFileSync(RULES, 'utf8');
  const section = doc.slice(doc.indexOf('### ARC test suite'));
  const out = new Map<string, string>();
  for (const m of section.matchAll(/^\| `([a-z0-9_]+)` \| (pass|fail|none) \| (pass|fail|none) \|/gm)) out.set(m[1]!, `${m[2]}/${m[3]}`);
  return out;
}

it('gives the suite\'s chain validation status on at least 97% of its vectors, and every difference is documented', async () => {
  const docs = parseAllDocuments(readFileSync(SUITE, 'utf8'), { uniqueKeys: false });
  const differences = new Map<string, string>();
  let total = 0;
  for (const d of docs) {
    const sc = d.toJS() as Scenario;
    const keys = new KeyIndex(Object.entries(sc['txt-records'] ?? {}).map(([name, value]) => ({ name, value, source: 'file:arc-suite', importedAt: '2026-12-01T00:00:00.000Z' })));
    for (const [id, t] of Object.entries(sc.tests)) {
      // YAML keeps the message with LF; mail on the wire has CRLF. An empty cv is read as fail, as Mail::DKIM's runner does.
      const { report } = await checkMessage(Buffer.from(t.message.replace(/\r?\n/g, '\r\n')), { keys });
      const want = (t.cv || 'fail').trim().toLowerCase();
      total++;
      if (report.arc.cv !== want) differences.set(id, `${report.arc.cv}/${want}`);
    }
  }
  expect(total).toBeGreaterThan(160);
  expect((total - differences.size) / total).toBeGreaterThanOrEqual(0.97);
  expect(Object.fromEntries(differences)).toEqual(Object.fromEntries(documentedDifferences()));
});
