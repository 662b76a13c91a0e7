// One signature (DKIM-Signature, ARC-Message-Signature or ARC-Seal) checked
// against the archived keys of its selector, RFC 6376 §6.1.2-6.1.3 in order,
// with RFC 8301 on top. The result separates what cryptography establishes:
//   headers: 'verified'        b= verifies: the signer vouches for the signed headers, bh= included;
//            'other-data'      (RSA) b= was made with this key, over other header bytes;
//            'not-made-by-key' (RSA) no archived key made b= (a rotated key, or a forgery);
//            'unattributed'    (Ed25519) b= does not verify, and Ed25519 cannot say why.
// Only a body hash vouched for by a verified b= says anything about the body.
import { createHash, verify } from 'node:crypto';
import type { DkimKey } from '../../keys/key-index.ts';
import type { BodyHashResult } from './canonical-body.ts';
import { parseKeyRecord, type KeyDefect, type UsableKey } from './key-record.ts';
import { recoverRsa } from './rsa-digest.ts';
import type { SignatureTags } from './signature-tags.ts';

export type ResultClass = 'pass' | 'fail' | 'permerror' | 'nokey' | 'temperror' | 'neutral';
export type HeaderOutcome = 'verified' | 'other-data' | 'not-made-by-key' | 'unattributed' | 'not-checked';
export type CheckReason =
  | 'verified' | 'body-changed' | 'headers-changed' | 'not-made-by-key' | 'unattributed'
  | KeyDefect | 'key-algorithm' | 'key-hash' | 'key-strict' | 'weak-key' | 'weak-algorithm' | 'no-key' | 'dns-error' | 'limit';

export interface KeyUsed { record: DkimKey; parsed: UsableKey }

export interface Check {
  class: ResultClass;
  reason: CheckReason;
  detail: string;
  headers: HeaderOutcome;
  /** The body hash now, against bh= (null for a seal). Without a verified b=, bh= is only a claim. */
  body: (BodyHashResult & { matches: boolean }) | null;
  /** The key that made (or verified) the signature; when none did, the archived key it was held against. */
  key: KeyUsed | null;
  keysTried: DkimKey[];
  /** RSA: the header digest the key's owner signed (hex), beside the present headers' digest. */
  digests?: { signed: string; present: string; hash: string };
}

/** A signature left unchecked (beyond a limit). */
export const notChecked = (detail: string): Check =>
  ({ class: 'neutral', reason: 'limit', detail, headers: 'not-checked', body: null, key: null, keysTried: [] });

/** The archived keys of a selector, or why there are none to be had. */
export type KeyLookup = { keys: DkimKey[] } | { error: string };

/** RFC 8301 §3.2: RSA keys under 1024 bits never count. */
export const MIN_RSA_BITS = 1024;
const MAX_KEYS_TRIED = 8;

export function checkSignature(sig: SignatureTags, headerBytes: Buffer, bodyHash: BodyHashResult | null, lookup: KeyLookup): Check {
  const body = bodyHash ? { ...bodyHash, matches: bodyHash.digest === sig.bh } : null;
  const base = { body, key: null, keysTried: [] as DkimKey[], headers: 'not-checked' as HeaderOutcome };
  if ('error' in lookup) return { ...base, class: 'temperror', reason: 'dns-error', detail: `the key could not be fetched: ${lookup.error}` };
  const records = lookup.keys.slice(0, MAX_KEYS_TRIED);
  if (records.length === 0) return { ...base, class: 'nokey', reason: 'no-key', detail: `no key is archived for ${sig.selector}._domainkey.${sig.domain}` };

  const usable: KeyUsed[] = [];
  let firstDefect: { reason: CheckReason; detail: string } | null = null;
  for (const record of records) {
    const parsed = parseKeyRecord(record.value);
    const defect = !parsed.ok ? { reason: parsed.code, detail: parsed.detail } : keyFitsSignature(parsed, sig);
    if (defect) firstDefect ??= defect;
    else usable.push({ record, parsed: parsed as UsableKey });
  }
  if (usable.length === 0) return { ...base, keysTried: records, class: 'permerror', ...firstDefect! };

  const outcome = headerOutcome(sig, headerBytes, usable);
  const key = outcome.key;
  // The key reported: the one that made the signature, else the archived one it was held against.
  const res = { ...base, keysTried: records.length > 1 ? records : [], headers: outcome.headers, key: key ?? usable[0]!, ...(outcome.digests ? { digests: outcome.digests } : {}) };
  // RFC 8301: neither a short RSA key nor rsa-sha1 verifies anything, whatever the arithmetic says.
  const weak = key ? key.parsed.type === 'rsa' && key.parsed.bits < MIN_RSA_BITS : usable.every((k) => k.parsed.type === 'rsa' && k.parsed.bits < MIN_RSA_BITS);
  if (weak) {
    const bits = (key ?? usable[0]!).parsed.bits;
    return { ...res, class: 'permerror', reason: 'weak-key', detail: `the key has ${bits} bits; RFC 8301 forbids counting RSA keys under ${MIN_RSA_BITS} bits (they can be factored)` };
  }
  if (sig.algorithm === 'rsa-sha1') return { ...res, class: 'permerror', reason: 'weak-algorithm', detail: 'rsa-sha1: RFC 8301 forbids verifying with SHA-1 (collisions can be made)' };
  switch (outcome.headers) {
    case 'verified':
      if (!body || body.matches) return { ...res, class: 'pass', reason: 'verified', detail: 'the signature verifies' };
      return { ...res, class: 'fail', reason: 'body-changed', detail: 'body hash did not verify: the body is not the one signed' };
    case 'other-data':
      return { ...res, class: 'fail', reason: 'headers-changed', detail: 'signature did not verify: the key made it over other header bytes' };
    case 'unattributed':
      return { ...res, class: 'fail', reason: 'unattributed', detail: 'signature did not verify with the archived key (Ed25519 cannot tell a changed header from another key)' };
    default:
      return { ...res, class: 'fail', reason: 'not-made-by-key', detail: 'signature did not verify: no archived key made it' };
  }
}

/** §6.1.2 steps 6 and 8, and the t=s flag: a key that exists but may not be used for this signature. */
function keyFitsSignature(key: UsableKey, sig: SignatureTags): { reason: CheckReason; detail: string } | null {
  if (key.type !== sig.keyType) return { reason: 'key-algorithm', detail: `the key is ${key.type}, the signature ${sig.algorithm}` };
  if (key.hashes && !key.hashes.includes(sig.hash)) return { reason: 'key-hash', detail: `the key allows only ${key.hashes.join(', ')}, the signature uses ${sig.hash}` };
  if (key.strict && sig.kind === 'dkim' && sig.auid && sig.auid.slice(sig.auid.lastIndexOf('@') + 1).toLowerCase() !== sig.domain) {
    return { reason: 'key-strict', detail: `the key is flagged t=s, so i= must be in ${sig.domain} itself, not a subdomain` };
  }
  return null;
}

/** Tries each usable key on b=; the first that verifies, else the first that made it, wins. */
function headerOutcome(sig: SignatureTags, headerBytes: Buffer, keys: KeyUsed[]): { headers: HeaderOutcome; key: KeyUsed | null; digests?: Check['digests'] } {
  let digest: Buffer | null = null;
  let unattributed: KeyUsed | null = null;
  for (const k of keys) {
    if (k.parsed.type === 'ed25519') {
      // RFC 8463: Ed25519 signs the SHA-256 hash of the canonical header.
      const hashed = createHash('sha256').update(headerBytes).digest();
      let ok = false;
      try { ok = verify(null, hashed, k.parsed.key, sig.b); } catch { ok = false; }
      if (ok) return { headers: 'verified', key: k };
      unattributed ??= k;
      continue;
    }
    // The common case first: a plain verify is cheaper than opening the block.
    let ok = false;
    try { ok = verify(sig.hash, headerBytes, k.parsed.key, sig.b); } catch { ok = false; }
    if (ok) return { headers: 'verified', key: k };
    const rec = recoverRsa(k.parsed.key, k.parsed.bits, sig.b);
    if (!rec.made) continue;
    digest ??= createHash(sig.hash).update(headerBytes).digest();
    const same = rec.hash === sig.hash && rec.digest.equals(digest);
    return { headers: same ? 'verified' : 'other-data', key: k, ...(same ? {} : { digests: { signed: rec.digest.toString('hex'), present: digest.toString('hex'), hash: rec.hash } }) };
  }
  return unattributed ? { headers: 'unattributed', key: unattributed } : { headers: 'not-made-by-key', key: null };
}
