// Verdicts and finding effects in plain words (docs/verdicts.md says the same).
import type { Verdict } from '../api.ts';

export const VERDICTS: Verdict[] = ['tampered', 'suspicious', 'verified', 'corroborated', 'consistent'];

export const VERDICT_TEXT: Record<Verdict, string> = {
  verified: 'Verified: cryptographic or provenance evidence shows it is as its author sent it.',
  corroborated: 'Corroborated: independent evidence supports it, without proving it.',
  consistent: 'Consistent: nothing contradicts it, and nothing proves it.',
  suspicious: 'Suspicious: something about it is unusual or weakens its proof; look closer.',
  tampered: 'Tampered: evidence shows it was changed after it was sent or signed.',
};

export const EFFECT_TEXT: Record<string, string> = {
  proves: 'proves authenticity',
  corroborates: 'supports authenticity, without proving it',
  contradicts: 'shows it was changed',
  undermines: 'weakens what a valid signature proves',
  anomaly: 'unusual for this dump: worth a look, not proof of forgery',
  note: 'context: does not change the verdict',
};

export function VerdictBadge({ verdict }: { verdict: Verdict | null }) {
  if (!verdict) return null;
  return <span className={`badge v-${verdict}`} title={VERDICT_TEXT[verdict]} data-verdict={verdict}>{verdict}</span>;
}
