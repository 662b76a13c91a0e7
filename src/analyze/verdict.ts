// Findings -> verdict. Each rule has one effect; docs/verdicts.md lists them
// and the order below, rule by rule. The engine never claims more than the
// strongest evidence: an unsigned or unverifiable email stays `consistent`.
import type { Finding, Verdict } from '../core/types.ts';

export type Effect = 'proves' | 'corroborates' | 'contradicts' | 'undermines' | 'anomaly' | 'note';

/** Rules whose effect is not simply read from their severity. */
export const RULE_EFFECTS: Record<string, Effect> = {
  'dkim.pass': 'proves',
  'provenance.attachment-of-verified': 'proves',
  'provenance.quoted-in-verified': 'corroborates',
  'dup.same-text-as-verified': 'corroborates',
  'arc.attests-author': 'corroborates',
  // Only a b= that verifies with an archived key (or, RSA, was made with it) can contradict.
  'dkim.body-hash-mismatch': 'contradicts',
  'dkim.signature-mismatch': 'contradicts',
  // These make a valid signature prove less than it seems to.
  'dkim.unsigned-appended': 'undermines',
  'dkim.body-appended': 'undermines',
  'dkim.subject-tagged': 'undermines',
  'dkim.changed-in-transit': 'undermines',
  'dkim.duplicate-from': 'undermines',
};

export function effectOf(f: Pick<Finding, 'rule' | 'severity'>): Effect {
  const known = RULE_EFFECTS[f.rule];
  if (known) return known;
  if (f.severity === 'critical') return 'contradicts';
  if (f.severity === 'warn') return 'anomaly';
  return 'note';
}

export function verdictOf(findings: readonly Pick<Finding, 'rule' | 'severity'>[]): Verdict {
  const effects = new Set(findings.map(effectOf));
  const proves = effects.has('proves');
  if (effects.has('contradicts') && !proves) return 'tampered';
  if (effects.has('undermines') || effects.has('contradicts')) return 'suspicious';
  if (proves) return 'verified';
  if (effects.has('anomaly')) return 'suspicious';
  if (effects.has('corroborates')) return 'corroborated';
  return 'consistent';
}
