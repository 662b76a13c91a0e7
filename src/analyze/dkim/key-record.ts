// A DKIM key record (RFC 6376 §3.6.1, RFC 8463 for Ed25519) read strictly:
// a record that breaks the syntax is ignored (§6.1.2 step 5), an empty p= is
// a revoked key. Parsed once per record text: a dump is signed with few keys,
// and building the key object is most of what a verification costs.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { colonList, isBase64, parseTagList, stripWsp } from './tag-list.ts';

export type KeyType = 'rsa' | 'ed25519';

export interface UsableKey {
  ok: true;
  type: KeyType;
  key: KeyObject;
  /** RSA modulus length; 256 for Ed25519. */
  bits: number;
  /** h=: the hash algorithms the key may be used with; null when any. */
  hashes: string[] | null;
  /** t=y: the domain is testing DKIM (§3.6.1: such mail is treated as unsigned). */
  testing: boolean;
  /** t=s: i= must be in d= itself, not a subdomain. */
  strict: boolean;
}

export type KeyDefect = 'key-syntax' | 'key-version' | 'key-type' | 'key-service' | 'key-revoked';
export interface KeyProblem { ok: false; code: KeyDefect; detail: string }
export type ParsedKey = UsableKey | KeyProblem;

// SubjectPublicKeyInfo of an Ed25519 key, up to the 32 raw bytes RFC 8463 publishes in p=.
const ED25519_SPKI = Buffer.from('302a300506032b6570032100', 'hex');
const MAX_CACHED = 2000;
const cache = new Map<string, ParsedKey>();

export function parseKeyRecord(record: string): ParsedKey {
  let parsed = cache.get(record);
  if (!parsed) {
    parsed = parse(record);
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(record, parsed);
  }
  return parsed;
}

const problem = (code: KeyDefect, detail: string): KeyProblem => ({ ok: false, code, detail });

function parse(record: string): ParsedKey {
  const list = parseTagList(record);
  if (!list.tags) return problem('key-syntax', `the key record is not a valid tag list: ${list.defect.detail}`);
  const tags = list.tags;
  const v = tags.get('v');
  if (v && (v.value !== 'DKIM1' || tags.keys().next().value !== 'v')) {
    return problem('key-version', v.value !== 'DKIM1' ? `the key record has version "${v.value}", not DKIM1` : 'v= is not the first tag of the key record');
  }
  const k = tags.get('k')?.value ?? 'rsa';
  if (k !== 'rsa' && k !== 'ed25519') return problem('key-type', `unknown key type k=${k}`);
  const services = tags.has('s') ? colonList(tags.get('s')!.value) : ['*'];
  if (!services) return problem('key-syntax', 'the s= list of the key record is malformed');
  if (!services.includes('*') && !services.includes('email')) return problem('key-service', `the key is for services "${tags.get('s')!.value}", not email`);
  const hashes = tags.has('h') ? colonList(tags.get('h')!.value) : null;
  if (tags.has('h') && !hashes) return problem('key-syntax', 'the h= list of the key record is malformed');
  const flags = tags.has('t') ? colonList(tags.get('t')!.value) : [];
  if (!flags) return problem('key-syntax', 'the t= flags of the key record are malformed');
  const p = tags.get('p');
  if (!p) return problem('key-syntax', 'the key record has no p= tag');
  const data = stripWsp(p.value);
  if (data === '') return problem('key-revoked', 'the key is revoked (empty p=)');
  if (!isBase64(data)) return problem('key-syntax', 'p= is not base64');
  const der = Buffer.from(data, 'base64');
  const key = k === 'rsa' ? rsaKey(der) : ed25519Key(der);
  if (!key) return problem('key-syntax', k === 'rsa' ? 'p= is not an RSA public key' : 'p= is not a 32-byte Ed25519 public key (RFC 8463)');
  const bits = k === 'rsa' ? key.asymmetricKeyDetails?.modulusLength ?? 0 : 256;
  return { ok: true, type: k, key, bits, hashes, testing: flags.includes('y'), strict: flags.includes('s') };
}

function rsaKey(der: Buffer): KeyObject | null {
  // SubjectPublicKeyInfo, as published in practice (RFC 6376 erratum 3017); a bare RSAPublicKey as §3.6.1 literally says.
  for (const type of ['spki', 'pkcs1'] as const) {
    try {
      const key = createPublicKey({ key: der, format: 'der', type });
      return key.asymmetricKeyType === 'rsa' ? key : null;
    } catch { /* try the other form */ }
  }
  return null;
}

function ed25519Key(raw: Buffer): KeyObject | null {
  if (raw.length !== 32) return null;
  try {
    return createPublicKey({ key: Buffer.concat([ED25519_SPKI, raw]), format: 'der', type: 'spki' });
  } catch {
    return null;
  }
}
