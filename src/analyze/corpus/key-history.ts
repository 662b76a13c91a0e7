// A signature that fails while its body hash matches has two explanations:
// a signed header was edited, or the archive holds a later key than the one
// used then (keys rotate). The dump itself tells them apart: if the archived
// key verifies other messages signed around the same time, it was the key in
// use, and the failure is an edit. If it verifies nothing near that date,
// the failure says nothing about the message: `dkim.key-mismatch`, not forged.
import type { Finding } from '../../core/types.ts';

const WINDOW_MS = 180 * 24 * 3600_000;

type Evidence = {
  key?: { id?: string } | null; keysTried?: { id: string }[]; signTime?: string | null; bodyHashMatches?: boolean; domain?: string; selector?: string;
};

/** Returns the revised DKIM findings of the items that change. */
export function keyHistoryRevisions(dkimFindings: Map<string, Finding[]>): Map<string, Finding[]> {
  const passesByKey = new Map<string, number[]>();
  for (const findings of dkimFindings.values()) {
    for (const f of findings) {
      if (f.rule !== 'dkim.pass' && f.rule !== 'dkim.third-party-signer') continue;
      const ev = f.evidence as Evidence;
      if (!ev.key?.id) continue;
      const t = ev.signTime ? Date.parse(ev.signTime) : NaN;
      const list = passesByKey.get(ev.key.id);
      if (list) list.push(t);
      else passesByKey.set(ev.key.id, [t]);
    }
  }
  const revised = new Map<string, Finding[]>();
  for (const [sha, findings] of dkimFindings) {
    let changed = false;
    const next = findings.map((f) => {
      if (f.rule !== 'dkim.signature-mismatch') return f;
      const ev = f.evidence as Evidence;
      if (!ev.bodyHashMatches || !ev.key?.id) return f;
      // Any archived key of the selector that verifies mail of that time was the key in use.
      const ids = [ev.key.id, ...(ev.keysTried ?? []).map((k) => k.id)];
      const passes = ids.flatMap((id) => passesByKey.get(id) ?? []);
      const t = ev.signTime ? Date.parse(ev.signTime) : NaN;
      const inUse = passes.some((p) => Number.isNaN(t) || Number.isNaN(p) || Math.abs(p - t) <= WINDOW_MS);
      if (inUse) return f;
      changed = true;
      return {
        rule: 'dkim.key-mismatch', severity: 'info' as const, related: [],
        message: `The body is intact (its hash matches the signature), but the archived key for s=${ev.selector} d=${ev.domain} verifies no message signed within 180 days of this one: the key was probably rotated. This failure proves nothing either way; archive the key in use then to check it.`,
        evidence: { ...f.evidence, keyVerifiedMessages: passes.length },
      };
    });
    if (changed) revised.set(sha, next);
  }
  return revised;
}
