// A verification report turned into findings: one per DKIM-Signature (two
// when a valid one leaves bytes unsigned), then the message-level ones and
// ARC's. Each rule id is stable and documented in docs/rules.md with its RFC
// condition; its sentence says what the evidence proves and no more. Only a
// b= that verifies with an archived key of at least 1024 bits can move a
// verdict: malformed signatures, missing keys, keys that never made the
// signature and body hashes nobody vouched for are reported as notes.
import type { Finding } from '../../core/types.ts';
import { keyId } from '../../keys/key-index.ts';
import { alignedWith } from './alignment.ts';
import { arcAttestation, arcFindings, type Attestation } from './arc-findings.ts';
import type { DkimReport, SignatureReport } from './dkim-report.ts';
import type { SignatureTags } from './signature-tags.ts';

const finding = (rule: string, severity: Finding['severity'], message: string, evidence: Record<string, unknown>): Finding =>
  ({ rule, severity, message, evidence, related: [] });

export function reportFindings(report: DkimReport): Finding[] {
  const out: Finding[] = [];
  if (report.bareLf > 0) {
    out.push(finding('dkim.repaired-line-endings', 'info', `The file stores ${report.bareLf} line endings as bare LF; they were read as CRLF, as sent, before verifying.`, { bareLf: report.bareLf }));
  }
  if (report.fromFields > 1) {
    out.push(finding('dkim.duplicate-from', 'warn', `The message has ${report.fromFields} From headers: mail programs show one, a signature may cover another.`, { fromFields: report.fromFields }));
  }
  if (report.signatures.length === 0 && report.arc.cv === 'none') {
    out.push(finding('dkim.none', 'info', 'The message carries no DKIM signature: nothing proves or contradicts it.', {}));
    return out;
  }
  for (const s of report.signatures) out.push(...signatureFindings(s, report));
  out.push(...arcFindings(report));
  return out;
}

function evidenceOf(s: SignatureReport): Record<string, unknown> {
  const p = s.parsed;
  const sig = p?.ok ? p.sig : null;
  const c = s.check;
  const iso = (t: number | null | undefined) => (typeof t === 'number' && Number.isFinite(t) ? new Date(t * 1000).toISOString() : null);
  const ev: Record<string, unknown> = {
    signature: s.index + 1,
    domain: sig?.domain ?? (p && !p.ok ? p.partial.domain ?? null : null),
    selector: sig?.selector ?? (p && !p.ok ? p.partial.selector ?? null : null),
    algorithm: sig?.algorithm ?? (p && !p.ok ? p.partial.algorithm ?? null : null),
    signTime: iso(sig ? sig.signTime : p && !p.ok ? p.partial.signTime : null),
    result: c?.class ?? (p && !p.ok ? 'permerror' : 'neutral'),
    reason: c?.reason ?? (p && !p.ok ? p.defect : s.limited ?? null),
  };
  if (!sig || !c) return ev;
  Object.assign(ev, {
    canonicalization: `${sig.headerCanon}/${sig.bodyCanon}`, expires: iso(sig.expires), signedHeaders: sig.headers,
    bodyLength: sig.bodyLength, b: sig.bTag.value.replace(/\s+/g, '').slice(0, 16), headerSignature: c.headers,
    bodyHashMatches: c.body ? c.body.matches : null, bodyHashSigned: sig.bh, bodyHashNow: c.body?.digest ?? null,
    key: c.key ? { id: keyId(c.key.record.value), source: c.key.record.source, importedAt: c.key.record.importedAt, type: c.key.parsed.type, bits: c.key.parsed.bits, testing: c.key.parsed.testing } : null,
  });
  if (c.keysTried.length > 1) ev.keysTried = c.keysTried.map((k) => ({ id: keyId(k.value), source: k.source, importedAt: k.importedAt }));
  if (c.digests) ev.headerDigests = c.digests;
  return ev;
}

/** The first other signature that verifies, of the same domain as `s` or of another: that domain signed the message as it is now. */
function otherPass(s: SignatureReport, report: DkimReport, sameDomain: boolean): SignatureReport | undefined {
  const d = s.parsed?.ok ? s.parsed.sig.domain : null;
  return report.signatures.find((o) => o !== s && o.check?.class === 'pass' && !o.check.key?.parsed.testing && o.parsed?.ok && (o.parsed.sig.domain === d) === sameDomain);
}

function signatureFindings(s: SignatureReport, report: DkimReport): Finding[] {
  const ev = evidenceOf(s);
  const who = `d=${ev.domain ?? '?'} s=${ev.selector ?? '?'}`;
  if (s.limited) {
    const why = s.limited === 'signatures' ? 'the message carries more DKIM signatures than tamis checks (50)' : 'the message needs more distinct body hashes than tamis computes (8)';
    return [finding('dkim.not-checked', 'info', `Signature ${s.index + 1} (${who}) was not checked: ${why}.`, ev)];
  }
  if (!s.parsed!.ok) {
    return [finding('dkim.malformed', 'info', `Signature ${s.index + 1} (${who}) is malformed: ${s.parsed!.detail}. RFC 6376 §6.1.1 makes it unverifiable: it says nothing about the message.`, { ...ev, detail: s.parsed!.detail })];
  }
  const sig = s.parsed!.sig;
  const c = s.check!;
  const d = sig.domain;
  const keyWord = c.key ? `the archived key (${c.key.record.source})` : 'the archived key';
  if (c.key?.parsed.testing && (c.class === 'pass' || c.class === 'fail')) {
    return [finding('dkim.testing-key', 'info', `The key for ${who} is flagged as testing (t=y): RFC 6376 §3.6.1 says to treat such mail as unsigned, so this signature ${c.class === 'pass' ? 'verifies but ' : 'fails and '}counts for nothing.`, ev)];
  }
  switch (c.reason) {
    case 'verified': return passFindings(s, report, ev, who);
    case 'body-changed':
    case 'headers-changed': {
      const same = otherPass(s, report, true);
      if (same) {
        return [finding('dkim.superseded', 'info', `Signature ${s.index + 1} from ${d} no longer matches the message (${c.detail}), but ${d}'s signature ${same.index + 1} verifies over the message as it is: ${d} itself signed it after the change.`, { ...ev, ...changesOf(s), supersededBy: same.index + 1 })];
      }
      const relay = otherPass(s, report, false);
      const relayed = relay?.parsed?.ok ? ` ${relay.parsed.sig.domain} signed the message as it is now (signature ${relay.index + 1} verifies): the change was made before it signed, or by it.` : '';
      return changedFindings(s, ev, arcAttestation(report, s), relayed);
    }
    case 'not-made-by-key':
      return [finding('dkim.key-mismatch', 'info', `${capital(keyWord)} for ${who} did not make this signature: opened with it, b= holds no signature block. Either the key was changed since (keys rotate), or the signature was never made by ${d}. It proves nothing either way; archive the key in use at the time to check it.`, ev)];
    case 'unattributed':
      return [finding('dkim.signature-unattributed', 'info', `The Ed25519 signature (${who}) does not verify with ${keyWord}. Ed25519 cannot tell a changed header from another key, so this proves nothing either way.`, ev)];
    case 'weak-key':
      return [finding('dkim.weak-key', 'info', `The signature (${who}) ${crypto(c.headers)} a ${c.key?.parsed.bits ?? '?'}-bit RSA key. Keys under 1024 bits can be factored, so RFC 8301 forbids counting them: it proves nothing.`, ev)];
    case 'weak-algorithm':
      return [finding('dkim.weak-algorithm', 'info', `The signature (${who}) uses rsa-sha1 and ${crypto(c.headers)} ${keyWord}. SHA-1 collisions can be made, so RFC 8301 forbids verifying rsa-sha1: it proves nothing.`, ev)];
    case 'key-revoked':
      return [finding('dkim.revoked-key', 'info', `${capital(keyWord)} for ${who} is revoked (empty p=): the signature cannot be checked.`, ev)];
    case 'no-key':
      return [finding('dkim.no-key', 'info', `No archived key for ${who}: the signature cannot be checked (add one with \`tamis keys add\`).`, ev)];
    case 'dns-error':
      return [finding('dkim.unverifiable', 'info', `The signature (${who}) could not be checked: ${c.detail}.`, ev)];
    default:
      return [finding('dkim.bad-key', 'info', `The key record for ${who} cannot be used for this signature: ${c.detail}. RFC 6376 §6.1.2 makes the signature unverifiable; it proves nothing.`, { ...ev, detail: c.detail })];
  }
}

/** What is known to have changed since the signature was made (intermediary-changes.ts). */
function changesOf(s: SignatureReport): Record<string, unknown> {
  const a = s.appended;
  return { ...(s.subjectTag ? { subjectTagAdded: s.subjectTag } : {}), ...(a ? { signedBodyBytes: a.rawEnd, appendedBytes: a.appendedBytes, appendedText: a.appended } : {}) };
}

const capital = (s: string) => s[0]!.toUpperCase() + s.slice(1);
const crypto = (h: string) => (h === 'verified' ? 'verifies with' : h === 'other-data' ? 'was made, over other header bytes, with' : 'does not verify with');

function passFindings(s: SignatureReport, report: DkimReport, ev: Record<string, unknown>, who: string): Finding[] {
  const sig = (s.parsed as { ok: true; sig: SignatureTags }).sig;
  const d = sig.domain;
  const out: Finding[] = [];
  if (alignedWith(d, report.fromDomains)) {
    out.push(finding('dkim.pass', 'info', `Valid DKIM signature from ${d} (the From domain): the signed headers and body are as ${d} sent them.`, ev));
  } else {
    out.push(finding('dkim.third-party-signer', 'info', `Valid DKIM signature from ${d}, which is not the From domain: it shows the message passed through ${d} unchanged, not who wrote it.`, ev));
  }
  const body = s.check!.body;
  if (sig.bodyLength !== null && body && body.canonicalLength > body.hashed) {
    out.push(finding('dkim.unsigned-appended', 'warn',
      `The signature (${who}) covers only the first ${body.hashed} bytes of the body (l=); ${body.canonicalLength - body.hashed} bytes after them are unsigned and may have been added.`,
      { ...ev, signedBytes: body.hashed, bodyBytes: body.canonicalLength }));
  }
  return out;
}

/** A verified b= with a changed body, or a key that signed other header bytes: what changed, and who may have changed it. */
function changedFindings(s: SignatureReport, ev: Record<string, unknown>, attested: Attestation | null, relayed: string): Finding[] {
  const d = ev.domain as string;
  const c = s.check!;
  const tag = s.subjectTag ? ` The Subject gained "${s.subjectTag}" after signing (the signature verifies once it is taken off).` : '';
  const appended = s.appended;
  const changes = changesOf(s);
  if (attested) {
    const parts = [
      ...(s.subjectTag ? [`the Subject gained "${s.subjectTag}"`] : c.reason === 'headers-changed' ? ['a signed header is not as signed'] : []),
      ...(appended ? [`${appended.appendedBytes} bytes were added after the signed text`] : c.body && !c.body.matches ? ['the body is not the one signed'] : []),
    ];
    return [finding('dkim.changed-in-transit', 'warn',
      `The message changed after ${d} signed it: ${parts.join(', and ')}. ${attested.sentence}`,
      { ...ev, ...changes, arc: attested.evidence })];
  }
  if (s.subjectTag && !appended && c.body?.matches) {
    return [finding('dkim.subject-tagged', 'warn', `The signature from ${d} verifies once the Subject tag "${s.subjectTag}" is taken off: the headers and body are as ${d} signed them, except that tag, added after signing (a mailing list does this).${relayed}`, { ...ev, ...changes })];
  }
  if (appended) {
    return [finding('dkim.body-appended', 'warn',
      `The body ${d} signed is intact, but ${appended.appendedBytes} bytes were added after it (${relayed ? 'a mailing list footer, or someone else' : 'who added them is not known: a mailing list footer, or someone else'}).${tag}${relayed}`, { ...ev, ...changes })];
  }
  if (c.reason === 'body-changed' || s.subjectTag) {
    return [finding('dkim.body-hash-mismatch', 'critical',
      `The body was changed after ${d} signed it: ${d}'s valid signature vouches for a body hash (bh=) the body no longer has.${tag}${relayed}`, { ...ev, ...changes })];
  }
  return [finding('dkim.signature-mismatch', 'critical',
    `A signed header (From, To, Subject, Date…) is not as ${d} signed it: opened with ${d}'s archived key, the signature holds the digest of other header bytes. Either a header was changed after signing, or this signature was copied from another message.${c.body?.matches ? ' The body still matches the body hash the signature header claims.' : ''}${relayed}`, ev)];
}
