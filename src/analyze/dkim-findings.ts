// Turns one mailauth signature result into findings. Each rule id is stable
// and documented in docs/verdicts.md; the evidence names the key and where
// the key came from, so a reader can check the claim.
import type { Finding } from '../core/types.ts';
import { keyId, type DkimKey } from '../keys/key-index.ts';

// The subset of mailauth's per-signature result that tamis reads.
export interface SignatureResult {
  signingDomain?: string;
  selector?: string;
  algo?: string;
  format?: string;
  bodyHash?: string;
  bodyHashExpecting?: string;
  signTime?: string | null;
  expiresAfter?: string | null;
  modulusLength?: number;
  canonBodyLength?: number;
  canonBodyLengthTotal?: number;
  canonBodyLengthLimited?: boolean;
  canonBodyLengthLimit?: number;
  signingHeaders?: { keys?: string[] };
  status: { result: string; comment?: string; aligned?: string | false; header?: { b?: string } };
  info?: string;
}

const WEAK_BITS = 1024;

const finding = (rule: string, severity: Finding['severity'], message: string, evidence: Record<string, unknown>): Finding =>
  ({ rule, severity, message, evidence, related: [] });

export function signatureFindings(sig: SignatureResult, key: DkimKey | undefined, tried: DkimKey[] = key ? [key] : []): Finding[] {
  const d = sig.signingDomain ?? '?';
  const s = sig.selector ?? '?';
  const evidence: Record<string, unknown> = {
    domain: d, selector: s, algorithm: sig.algo, canonicalization: sig.format, signTime: sig.signTime ?? null,
    expires: sig.expiresAfter ?? null, signedHeaders: sig.signingHeaders?.keys ?? [], result: sig.status.result,
    comment: sig.status.comment ?? null,
    key: key ? { id: keyId(key.value), source: key.source, importedAt: key.importedAt, bits: sig.modulusLength ?? null } : null,
  };
  // Every archived key tried for a signature that did not pass: key history reads them all.
  if (sig.status.result !== 'pass' && tried.length > 1) {
    evidence.keysTried = tried.map((k) => ({ id: keyId(k.value), source: k.source, importedAt: k.importedAt }));
  }
  const who = `d=${d} s=${s}`;
  const result = sig.status.result;
  const comment = (sig.status.comment ?? '').toLowerCase();
  const out: Finding[] = [];

  if (result === 'pass' || (result === 'policy' && /weak/.test(comment))) {
    const weakBits = sig.modulusLength !== undefined && sig.modulusLength < WEAK_BITS;
    if (weakBits) {
      out.push(finding('dkim.weak-key', 'info', `The signature (${who}) is valid, but its ${sig.modulusLength}-bit RSA key can be factored, so it proves nothing.`, evidence));
      return out;
    }
    if (sig.algo === 'rsa-sha1') {
      out.push(finding('dkim.weak-key', 'info', `The signature (${who}) is valid but uses rsa-sha1, which RFC 8301 retired.`, evidence));
    }
    if (sig.status.aligned) {
      out.push(finding('dkim.pass', 'info', `Valid DKIM signature from ${d} (the From domain): the signed headers and body are as ${d} sent them.`, evidence));
    } else {
      out.push(finding('dkim.third-party-signer', 'info', `Valid DKIM signature from ${d}, which is not the From domain: it shows the message passed through ${d} unchanged, not who wrote it.`, evidence));
    }
    if (sig.canonBodyLengthLimited && sig.canonBodyLengthTotal !== undefined && sig.canonBodyLengthLimit !== undefined &&
        sig.canonBodyLengthTotal > sig.canonBodyLengthLimit) {
      out.push(finding('dkim.unsigned-appended', 'warn',
        `The signature (${who}) covers only the first ${sig.canonBodyLengthLimit} bytes of the body (l=); ${sig.canonBodyLengthTotal - sig.canonBodyLengthLimit} bytes after them are unsigned and may have been added.`,
        { ...evidence, signedBytes: sig.canonBodyLengthLimit, bodyBytes: sig.canonBodyLengthTotal }));
    }
    return out;
  }
  if (comment.includes('body hash')) {
    out.push(finding('dkim.body-hash-mismatch', 'critical', `The body was changed after ${d} signed it: its hash no longer matches the signature's bh= value.`,
      { ...evidence, bodyHashSigned: sig.bodyHashExpecting, bodyHashNow: sig.bodyHash }));
  } else if (comment.includes('bad signature')) {
    out.push(finding('dkim.signature-mismatch', 'critical', `The signed headers do not match the signature from ${d} with the archived key: a signed header (Subject, To, Date…) was changed, or the archive lacks the key used then.`,
      { ...evidence, bodyHashMatches: sig.bodyHash !== undefined && sig.bodyHash === sig.bodyHashExpecting }));
  } else if (comment.includes('from field not signed')) {
    out.push(finding('dkim.from-not-covered', 'warn', `The signature from ${d} does not cover the From header, so the sender shown could be anything.`, evidence));
  } else if (key && /(^|;)\s*p=\s*(;|$)/.test(key.value.replace(/\s+/g, ' '))) {
    out.push(finding('dkim.revoked-key', 'info', `The archived key for ${who} is revoked (empty p=): the signature cannot be checked.`, evidence));
  } else if (!key || comment.includes('no key') || comment.includes('dns')) {
    out.push(finding('dkim.no-key', 'info', `No archived key for ${who}: the signature cannot be checked (add one with \`tamis keys add\`).`, evidence));
  } else {
    out.push(finding('dkim.unverifiable', 'info', `The signature from ${d} could not be checked: ${sig.status.comment ?? result}.`, evidence));
  }
  return out;
}
