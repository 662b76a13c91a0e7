// Within a cluster of near-duplicates, the copies that differ from a
// verified member: what changed, word by word, and whether the change
// touches figures, dates or names (tampered) or only wording (suspicious).
import type { Finding } from '../../core/types.ts';
import { wordDiff, type Change } from '../documents/text-diff.ts';

export interface Member { sha256: string; verified: boolean; text: string }

const MONTHS = /\b(janv|f[ée]vr|mars|avr|mai|juin|juil|ao[uû]t|sept|oct|nov|d[ée]c|jan|feb|mar|apr|may|jun|jul|aug|sep|dec)[a-z]*\.?\b/i;
const DATE = /\b\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\b|\b\d{1,2}(er)? [a-zéû]+ \d{4}\b/i;

const capitalised = (s: string) => new Set(s.match(/\p{Lu}[\p{Ll}\p{Lu}'-]+/gu) ?? []);

/**
 * Figures: a changed word holds a digit. Dates: a changed span reads as a
 * date. Names: a capitalised word was replaced by another one (a name
 * swapped), not merely added or dropped with the wording around it.
 */
export function classify(changes: Change[]): { figures: boolean; dates: boolean; names: boolean } {
  const sides = changes.flatMap((c) => [c.removed, c.added]);
  return {
    figures: sides.some((s) => /\d/.test(s)),
    dates: sides.some((s) => DATE.test(s) || MONTHS.test(s)),
    names: changes.some((c) => {
      const before = capitalised(c.removed);
      const after = capitalised(c.added);
      return before.size > 0 && after.size > 0 && [...after].some((w) => !before.has(w));
    }),
  };
}

const norm = (s: string) => s.normalize('NFC').replace(/\s+/g, ' ').trim();

export function alteredCopyFindings(cluster: Member[], similarity: (a: string, b: string) => number, reason: string): Map<string, Finding[]> {
  const out = new Map<string, Finding[]>();
  const verified = cluster.filter((m) => m.verified);
  const others = cluster.filter((m) => !m.verified);
  if (verified.length === 0) {
    for (const m of cluster) {
      out.set(m.sha256, [{ rule: 'dup.near-duplicate', severity: 'info', related: cluster.filter((x) => x !== m).map((x) => x.sha256),
        message: `${cluster.length - 1} other item${cluster.length > 2 ? 's' : ''} in the dump hold${cluster.length > 2 ? '' : 's'} nearly the same text (${reason}).`,
        evidence: { reason, members: cluster.length } }]);
    }
    return out;
  }
  for (const m of others) {
    // Compare with the closest verified member.
    const original = verified.reduce((best, v) => (similarity(v.sha256, m.sha256) > similarity(best.sha256, m.sha256) ? v : best));
    const sim = similarity(original.sha256, m.sha256);
    if (norm(original.text) === norm(m.text)) {
      out.set(m.sha256, [{ rule: 'dup.same-text-as-verified', severity: 'info', related: [original.sha256],
        message: 'Its text is word for word that of a verified item, though its bytes differ (another format or encoding of the same document).',
        evidence: { original: original.sha256, reason } }]);
      continue;
    }
    const diff = wordDiff(original.text, m.text);
    const changed = classify(diff.changes);
    const what = [changed.figures && 'figures', changed.dates && 'dates', changed.names && 'names'].filter(Boolean).join(', ');
    const shown = diff.changes.slice(0, 3).map((c) => `"${c.removed}" → "${c.added}"`).join('; ');
    out.set(m.sha256, [{
      rule: 'dup.altered-copy', severity: what ? 'critical' : 'warn', related: [original.sha256],
      message: `A near-copy (similarity ${sim}) of a verified item, with ${what || 'wording'} changed: ${shown}${diff.changes.length > 3 ? '…' : ''}.`,
      evidence: { original: original.sha256, similarity: sim, reason, changed, changes: diff.changes, truncated: diff.truncated },
    }]);
  }
  return out;
}
