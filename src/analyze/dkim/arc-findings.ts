// What an ARC chain adds to the verdict (docs/verdicts.md, "ARC"). A chain
// that validates proves that each sealer (its d=) added its set, and that
// nothing changed after the newest sealed it. What a sealer recorded on
// arrival (its ARC-Authentication-Results) is that sealer's word: it can
// explain a change made in transit (a list footer), or corroborate an author
// signature tamis cannot check itself, never prove one. A chain that fails is
// treated as no chain at all (RFC 8617 §5.2).
import type { Finding } from '../../core/types.ts';
import { alignedWith } from './alignment.ts';
import type { AuthResult } from './auth-results.ts';
import type { ArcSet } from './arc-chain.ts';
import type { DkimReport, SignatureReport } from './dkim-report.ts';

export interface Attestation { sentence: string; evidence: Record<string, unknown> }

const sealerOf = (s: ArcSet) => (s.sealParsed.ok ? s.sealParsed.sig.domain : '?');

/** The sealers, in order, with what each recorded. */
function chainEvidence(report: DkimReport): Record<string, unknown> {
  const arc = report.arc;
  return {
    result: arc.cv, detail: arc.detail, oldestPass: arc.oldestPass,
    sets: arc.sets.map((s) => ({
      instance: s.instance, sealer: sealerOf(s), selector: s.sealParsed.ok ? s.sealParsed.sig.selector : null, authservId: s.authservId,
      results: s.results.map((r) => ({ method: r.method, result: r.result, ...r.props })),
    })),
  };
}

/** A recorded DKIM pass whose signing domain satisfies `fits` (and names this very signature, when header.b= is given). */
function recordedPass(results: readonly AuthResult[], fits: (d: string) => boolean, b: string | null): AuthResult | undefined {
  return results.find((r) => {
    if (r.method !== 'dkim' || r.result !== 'pass') return false;
    const rd = (r.props['header.d'] ?? r.props['header.i']?.split('@').pop() ?? '').toLowerCase();
    if (!rd || !fits(rd)) return false;
    const rb = r.props['header.b'];
    return !rb || !b || b.startsWith(rb);
  });
}

/**
 * A signature broken in transit that a validated chain accounts for: the
 * first sealer recorded it passing on arrival, and the seals show the
 * message changed only at or after that hop.
 */
export function arcAttestation(report: DkimReport, s: SignatureReport): Attestation | null {
  const arc = report.arc;
  if (arc.cv !== 'pass' || !s.check || (s.check.reason !== 'body-changed' && s.check.reason !== 'headers-changed') || !s.parsed?.ok) return null;
  const sig = s.parsed.sig;
  const first = arc.sets[0]!;
  const rec = recordedPass(first.results, (d) => d === sig.domain, sig.bTag.value.replace(/\s+/g, ''));
  if (!rec) return null;
  const last = arc.sets[arc.sets.length - 1]!;
  const byWhom = arc.oldestPass === 1 ? sealerOf(first) : arc.sets.map(sealerOf).join(', ');
  return {
    sentence: `${sealerOf(first)} (ARC set 1, which validates) recorded that this signature passed when the message reached it, and ${sealerOf(last)} sealed the message as it is now: the change was made in transit, by ${byWhom}. That rests on ${arc.sets.length === 1 ? 'that sealer\'s' : 'the sealers\''} word, not on ${sig.domain}'s signature.`,
    evidence: chainEvidence(report),
  };
}

export function arcFindings(report: DkimReport): Finding[] {
  const arc = report.arc;
  if (arc.cv === 'none') return [];
  const ev = chainEvidence(report);
  const failedCheck = arc.failed?.check;
  if (arc.cv === 'fail') {
    if (failedCheck?.class === 'nokey') {
      return [{ rule: 'arc.no-key', severity: 'info', related: [], evidence: ev, message: `The ARC chain cannot be checked: ${failedCheck.detail}.` }];
    }
    return [{ rule: 'arc.fail', severity: 'info', related: [], evidence: ev,
      message: `The ARC chain does not validate (${arc.detail}). RFC 8617 §5.2 treats a failed chain as no chain: it says nothing about the message.` }];
  }
  const sealers = arc.sets.map((s) => `${sealerOf(s)} (i=${s.instance})`).join(', ');
  const out: Finding[] = [{ rule: 'arc.pass', severity: 'info', related: [], evidence: ev,
    message: `The ARC chain validates: sealed by ${sealers}. The message is as ${sealerOf(arc.sets[arc.sets.length - 1]!)} last sealed it; what each sealer saw on arrival is in the evidence.` }];
  // The author's signature cannot be checked here, but the first sealer recorded it passing. (One that verifies
  // needs no word of a sealer; one proven changed is explained by the chain in its own finding.)
  const settled = new Set(['verified', 'body-changed', 'headers-changed']);
  const authorChecked = report.signatures.some((s) => s.check && settled.has(s.check.reason) && s.parsed?.ok && alignedWith(s.parsed.sig.domain, report.fromDomains));
  const first = arc.sets[0]!;
  const authorPass = recordedPass(first.results, (d) => alignedWith(d, report.fromDomains), null);
  if (!authorChecked && authorPass) {
    out.push({ rule: 'arc.attests-author', severity: 'info', related: [], evidence: { ...ev, attested: authorPass.props },
      message: `${sealerOf(first)} recorded, under a seal that validates, that a DKIM signature of the From domain (${authorPass.props['header.d'] ?? authorPass.props['header.i']}) passed when the message reached it. This is ${sealerOf(first)}'s word, not a check tamis made: it corroborates the message, it does not prove it.` });
  }
  return out;
}
