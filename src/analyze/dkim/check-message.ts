// One message checked: every DKIM-Signature on its own (RFC 6376 §6.1), the
// ARC chain (RFC 8617 §5.2), and what an intermediary changed where that can
// be computed. The body is read once for every body hash. Keys come from
// the archive; DNS is asked only through the caller's live lookup (--dns).
import type { DkimKey, KeyIndex } from '../../keys/key-index.ts';
import { validateArc, arcStructure } from './arc-chain.ts';
import { BodyHasher, bodyHashKey, type BodyHashResult, type BodyHashSpec } from './canonical-body.ts';
import { headerHashInput } from './canonical-header.ts';
import type { DkimReport, SignatureReport } from './dkim-report.ts';
import { fieldValue, type HeaderField } from './header-fields.ts';
import { appendedAfterSigning, subjectTagAdded } from './intermediary-changes.ts';
import { prepareMessage, type DkimInput } from './message-input.ts';
import { checkSignature, notChecked, type Check, type KeyLookup } from './signature-check.ts';
import { parseSignature, type SignatureTags } from './signature-tags.ts';

export interface DkimOptions {
  keys: KeyIndex;
  /** Live DNS lookup, only with `--dns`; returns the TXT records found. */
  liveLookup?: (name: string) => Promise<DkimKey[]>;
}

/** RFC 6376 §6.1: a verifier MAY limit the signatures it tries (a message with thousands of them is an attack). */
export const MAX_SIGNATURES = 50;
/** Distinct body hashes (canonicalization, algorithm, l=) computed for one message: each is a pass over the body. */
export const MAX_BODY_HASHES = 8;

export async function checkMessage(input: DkimInput, options: DkimOptions): Promise<{ report: DkimReport; fetchedKeys: DkimKey[] }> {
  const msg = prepareMessage(input);
  const fields = msg.fields;
  const signatures: SignatureReport[] = fields.filter((f) => f.key === 'dkim-signature')
    .map((field, index) => ({ index, field, parsed: index < MAX_SIGNATURES ? parseSignature(field, 'dkim') : null, check: null }));
  const arc = arcStructure(fields);
  const arcSignatures = arc.state === 'sets' ? arc.sets.flatMap((s) => [s.amsParsed, s.sealParsed]).flatMap((p) => (p.ok ? [p.sig] : [])) : [];

  const hasher = new BodyHasher(planBodyHashes(signatures, arcSignatures));
  await msg.feedBody((chunk) => hasher.update(chunk));
  const hashes = hasher.end();
  const bodyOf = (sig: SignatureTags): BodyHashResult | undefined => hashes.get(bodyHashKey(specOf(sig)));
  const { lookups, fetchedKeys } = await lookupKeys([...signatures.flatMap((s) => (s.parsed?.ok && !s.limited ? [s.parsed.sig] : [])), ...arcSignatures], options);
  const lookupOf = (sig: SignatureTags) => lookups.get(keyName(sig))!;

  for (const s of signatures) {
    if (!s.parsed?.ok || s.limited) continue;
    const sig = s.parsed.sig;
    s.check = checkSignature(sig, headerHashInput(fields, sig), bodyOf(sig) ?? null, lookupOf(sig));
    Object.assign(s, changesSinceSigning(fields, sig, s.check, msg.body));
  }
  const arcResult = validateArc(arc, fields, (sig, headerBytes) => {
    const body = sig.kind === 'ams' ? bodyOf(sig) : null;
    return body === undefined ? notChecked('not checked: too many distinct body hashes') : checkSignature(sig, headerBytes, body, lookupOf(sig));
  });
  const froms = fields.filter((f) => f.key === 'from');
  return {
    report: { bareLf: msg.bareLf, fromDomains: [...new Set(froms.flatMap((f) => addressDomains(fieldValue(f))))], fromFields: froms.length, signatures, arc: arcResult },
    fetchedKeys,
  };
}

const specOf = (sig: SignatureTags): BodyHashSpec => ({ canon: sig.bodyCanon, algo: sig.hash, limit: sig.bodyLength });

/**
 * The body hashes to compute, newest ARC-Message-Signature first (the chain
 * needs it), at most MAX_BODY_HASHES; a DKIM signature needing another one,
 * or beyond MAX_SIGNATURES, is marked unchecked.
 */
function planBodyHashes(signatures: SignatureReport[], arcSignatures: SignatureTags[]): BodyHashSpec[] {
  const specs = new Map<string, BodyHashSpec>();
  const want = (sig: SignatureTags) => {
    const spec = specOf(sig);
    const key = bodyHashKey(spec);
    if (!specs.has(key) && specs.size < MAX_BODY_HASHES) specs.set(key, spec);
    return specs.has(key);
  };
  for (const sig of arcSignatures.filter((s) => s.kind === 'ams').reverse()) want(sig);
  for (const s of signatures) {
    if (!s.parsed) s.limited = 'signatures';
    else if (s.parsed.ok && !want(s.parsed.sig)) s.limited = 'body-hashes';
  }
  return [...specs.values()];
}

/** A Subject tag added, text appended: what can be shown to have changed since a signature was made. */
function changesSinceSigning(fields: HeaderField[], sig: SignatureTags, check: Check, body: Uint8Array | null): Pick<SignatureReport, 'subjectTag' | 'appended'> {
  const subjectTag = subjectTagAdded(fields, sig, check) ?? undefined;
  // The signer vouches for bh= when b= verifies, or verifies once the Subject tag is undone.
  const vouched = check.reason === 'body-changed' || (subjectTag && check.body && !check.body.matches);
  const appended = vouched ? appendedAfterSigning(sig, body) ?? undefined : undefined;
  return { ...(subjectTag ? { subjectTag } : {}), ...(appended ? { appended } : {}) };
}

const keyName = (sig: SignatureTags) => `${sig.selector}._domainkey.${sig.domain}`.toLowerCase();

/** The archived keys of every selector named; live DNS (`--dns`) for those the archive lacks. */
async function lookupKeys(sigs: SignatureTags[], options: DkimOptions): Promise<{ lookups: Map<string, KeyLookup>; fetchedKeys: DkimKey[] }> {
  const lookups = new Map<string, KeyLookup>();
  const fetchedKeys: DkimKey[] = [];
  for (const name of new Set(sigs.map(keyName))) {
    const archived = options.keys.get(name);
    if (archived.length || !options.liveLookup) { lookups.set(name, { keys: archived }); continue; }
    try {
      const live = await options.liveLookup(name);
      for (const k of live) { options.keys.add(k); fetchedKeys.push(k); }
      lookups.set(name, { keys: live });
    } catch (err) {
      lookups.set(name, { error: (err as Error).message });
    }
  }
  return { lookups, fetchedKeys };
}

/** The domains of the addresses in a From value (RFC 5322 mailboxes, groups included); linear in its length. */
function addressDomains(value: string): string[] {
  const out: string[] = [];
  const text = value.replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/\([^()]*\)/g, ' ');
  for (const token of text.split(/[\s,;:<>]+/)) {
    const at = token.lastIndexOf('@');
    if (at <= 0) continue;
    let d = token.slice(at + 1).toLowerCase();
    while (d.endsWith('.')) d = d.slice(0, -1);
    if (/^[a-z0-9\x80-\uffff](?:[a-z0-9.\-\x80-\uffff]*[a-z0-9\x80-\uffff])?$/.test(d)) out.push(d);
  }
  return out;
}
