// docs/rules.md must document every rule the analyzers can emit, with the
// effect the verdict engine gives it.
import { expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { effectOf, verdictOf, RULE_EFFECTS } from '../../src/analyze/verdict.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const doc = readFileSync(join(root, 'docs/rules.md'), 'utf8');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [readFileSync(join(dir, e.name), 'utf8')] : []);
}

it('documents every rule id the analyzers emit, with its effect', () => {
  const ids = new Set<string>();
  for (const src of sources(join(root, 'src/analyze'))) {
    for (const m of src.matchAll(/(?:rule: |finding\()'([a-z0-9-]+\.[a-z0-9-]+)'/g)) ids.add(m[1]!);
  }
  expect(ids.size).toBeGreaterThan(15);
  for (const id of ids) {
    const row = doc.split('\n').find((l) => l.startsWith(`| \`${id}\` |`));
    expect(row, `docs/rules.md has no row for ${id}`).toBeDefined();
    // A rule may fire at two severities ("critical / warn"), each with its effect.
    const effects = row!.split('|')[3]!.split('/').map((x) => x.trim());
    const severities = row!.split('|')[2]!.split('/').map((x) => x.trim() as 'info' | 'warn' | 'critical');
    severities.forEach((severity, k) => expect({ id, severity, effect: effects[k] }).toEqual({ id, severity, effect: effectOf({ rule: id, severity }) }));
  }
  for (const id of Object.keys(RULE_EFFECTS)) expect(ids.has(id), id).toBe(true);
});

it('orders verdicts as documented', () => {
  const f = (rule: string, severity: 'info' | 'warn' | 'critical' = 'info') => ({ rule, severity });
  expect(verdictOf([])).toBe('consistent');
  expect(verdictOf([f('dkim.none')])).toBe('consistent');
  expect(verdictOf([f('dkim.body-hash-mismatch', 'critical')])).toBe('tampered');
  expect(verdictOf([f('dkim.pass'), f('dkim.body-hash-mismatch', 'critical')])).toBe('suspicious');
  expect(verdictOf([f('dkim.pass'), f('dkim.unsigned-appended', 'warn')])).toBe('suspicious');
  expect(verdictOf([f('dkim.pass'), f('header.date-mismatch', 'warn')])).toBe('verified');
  expect(verdictOf([f('header.date-mismatch', 'warn'), f('provenance.quoted-in-verified')])).toBe('suspicious');
  expect(verdictOf([f('provenance.quoted-in-verified')])).toBe('corroborated');
});
