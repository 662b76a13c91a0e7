// RFC 6376 §6.1.1: a DKIM-Signature is checked tag by tag before anything
// is hashed, and any inconsistency makes it PERMFAIL: the signature says
// nothing, about the message or its sender. ARC-Message-Signature and
// ARC-Seal (RFC 8617 §4.1.2-4.1.3) share the syntax with their own rules.
import type { HeaderField } from './header-fields.ts';
import type { Canon } from './canonical-header.ts';
import { colonList, isBase64, parseTagList, stripWsp, type Tag } from './tag-list.ts';

export type SignatureKind = 'dkim' | 'ams' | 'seal';
export type Algorithm = 'rsa-sha256' | 'rsa-sha1' | 'ed25519-sha256';

export interface SignatureTags {
  kind: SignatureKind;
  field: HeaderField;
  domain: string;
  selector: string;
  algorithm: Algorithm;
  keyType: 'rsa' | 'ed25519';
  hash: 'sha1' | 'sha256';
  headerCanon: Canon;
  bodyCanon: Canon;
  /** h=, lower case (empty for a seal). */
  headers: string[];
  /** l=; Infinity when beyond what a body can hold. */
  bodyLength: number | null;
  /** t= and x=, in seconds. */
  signTime: number | null;
  expires: number | null;
  /** i=: the AUID of a DKIM signature, the instance of an ARC field. */
  auid: string | null;
  instance: number | null;
  /** The seal's cv=. */
  cv: 'none' | 'pass' | 'fail' | null;
  b: Buffer;
  /** bh=, base64 without whitespace ('' for a seal). */
  bh: string;
  bTag: Tag;
}

export type SignatureDefect =
  | 'tag-syntax' | 'duplicate-tag' | 'version' | 'missing-tag' | 'algorithm' | 'canonicalization' | 'query-method'
  | 'bad-value' | 'domain-mismatch' | 'from-not-signed' | 'expired' | 'seal-tags' | 'arc-headers-signed';

/** What a malformed signature still says of itself, for the report. */
export interface PartialTags { domain?: string; selector?: string; algorithm?: string; signTime?: number | null; instance?: number | null }

export type ParsedSignature =
  | { ok: true; sig: SignatureTags }
  | { ok: false; defect: SignatureDefect; detail: string; partial: PartialTags };

const REQUIRED: Record<SignatureKind, string[]> = {
  dkim: ['v', 'a', 'b', 'bh', 'd', 'h', 's'],
  ams: ['i', 'a', 'b', 'bh', 'd', 'h', 's'],
  seal: ['i', 'a', 'b', 'cv', 'd', 's'],
};
const ALGORITHMS: Record<SignatureKind, Algorithm[]> = {
  dkim: ['rsa-sha256', 'rsa-sha1', 'ed25519-sha256'],
  // RFC 8617 imports DKIM's algorithms minus the one RFC 8301 retired.
  ams: ['rsa-sha256', 'ed25519-sha256'],
  seal: ['rsa-sha256', 'ed25519-sha256'],
};
const LABEL = /^(?:[A-Za-z0-9\x80-\xff](?:[A-Za-z0-9\x80-\xff-]*[A-Za-z0-9\x80-\xff])?)$/;
// Selectors in the wild use "_" too; a lenient selector can only make a signature checkable, never count against a message.
const SEL_LABEL = /^(?:[A-Za-z0-9_\x80-\xff](?:[A-Za-z0-9_\x80-\xff-]*[A-Za-z0-9_\x80-\xff])?)$/;
const isDomain = (d: string) => d.length <= 253 && d.split('.').length >= 2 && d.split('.').every((l) => LABEL.test(l) && l.length <= 63);
const isSelector = (s: string) => s.split('.').every((l) => SEL_LABEL.test(l) && l.length <= 63);
const asciiLower = (s: string) => s.replace(/[A-Z]+/g, (m) => m.toLowerCase());

class Defect extends Error {
  readonly defect: SignatureDefect;
  constructor(defect: SignatureDefect, detail: string) { super(detail); this.defect = defect; }
}
const fail = (defect: SignatureDefect, detail: string): never => { throw new Defect(defect, detail); };

export function parseSignature(field: HeaderField, kind: SignatureKind): ParsedSignature {
  const list = parseTagList(field.raw, field.valueAt);
  if (!list.tags) return { ok: false, defect: list.defect.code, detail: list.defect.detail, partial: {} };
  const tags = list.tags;
  const get = (name: string) => tags.get(name)?.value;
  const partial: PartialTags = {
    domain: get('d') ? asciiLower(get('d')!) : undefined, selector: get('s'), algorithm: get('a'),
    signTime: /^\d{1,12}$/.test(get('t') ?? '') ? Number(get('t')) : null,
    instance: /^\d{1,2}$/.test(get('i') ?? '') ? Number(get('i')) : null,
  };
  try {
    return { ok: true, sig: validate(field, kind, tags, get) };
  } catch (err) {
    if (err instanceof Defect) return { ok: false, defect: err.defect, detail: err.message, partial };
    throw err;
  }
}

function validate(field: HeaderField, kind: SignatureKind, tags: Map<string, Tag>, get: (n: string) => string | undefined): SignatureTags {
  if (kind === 'dkim' && get('v') !== undefined && get('v') !== '1') fail('version', `v=${get('v')}: this is not a DKIM version 1 signature`);
  const missing = REQUIRED[kind].filter((t) => !tags.has(t));
  if (missing.length) fail('missing-tag', `the required tag${missing.length > 1 ? 's' : ''} ${missing.map((t) => `${t}=`).join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing`);
  if (kind === 'seal' && tags.has('h')) fail('seal-tags', 'an ARC-Seal must not have an h= tag (RFC 8617 §4.1.3)');

  const a = get('a')!;
  if (!(ALGORITHMS[kind] as string[]).includes(a)) fail('algorithm', `unknown or unsupported algorithm a=${a}`);
  const algorithm = a as Algorithm;
  const [headerCanon, bodyCanon] = canonicalization(kind, get('c'));
  if (kind === 'dkim' && tags.has('q')) {
    const q = colonList(get('q')!);
    if (!q || !q.includes('dns/txt')) fail('query-method', `q=${get('q')}: no key query method tamis knows (dns/txt)`);
  }

  const domain = asciiLower(get('d')!);
  if (!isDomain(domain)) fail('bad-value', `d=${get('d')} is not a domain name`);
  const selector = get('s')!;
  if (!isSelector(selector)) fail('bad-value', `s=${selector} is not a valid selector`);
  const headers = kind === 'seal' ? [] : colonList(get('h')!)?.map(asciiLower) ?? fail('bad-value', 'h= has an empty header name');
  const b = stripWsp(get('b')!);
  if (!isBase64(b)) fail('bad-value', 'b= is not base64');
  const bh = kind === 'seal' ? '' : stripWsp(get('bh')!);
  if (kind !== 'seal' && !isBase64(bh)) fail('bad-value', 'bh= is not base64');
  const signTime = numeric(get('t'), 't', 12);
  const expires = numeric(get('x'), 'x', 12);
  const bodyLength = numeric(get('l'), 'l', 76);

  let auid: string | null = null;
  let instance: number | null = null;
  let cv: SignatureTags['cv'] = null;
  if (kind === 'dkim') {
    auid = get('i') !== undefined ? decodeQp(get('i')!) : `@${domain}`;
    const at = auid.lastIndexOf('@');
    if (at < 0 || !isDomain(asciiLower(auid.slice(at + 1)))) fail('bad-value', `i=${get('i')} is not an identity (local-part@domain)`);
    const idDomain = asciiLower(auid.slice(at + 1));
    if (idDomain !== domain && !idDomain.endsWith(`.${domain}`)) fail('domain-mismatch', `i=${auid} is not in the signing domain d=${domain}`);
    if (!headers.includes('from')) fail('from-not-signed', 'h= does not include From: the signature does not say who sent the message');
  } else {
    const i = get('i')!;
    if (!/^\d{1,2}$/.test(i) || Number(i) < 1 || Number(i) > 50) fail('bad-value', `i=${i} is not an ARC instance (1 to 50)`);
    instance = Number(i);
    if (kind === 'ams' && headers.includes('arc-seal')) fail('arc-headers-signed', 'an ARC-Message-Signature must not sign ARC-Seal fields (RFC 8617 §4.1.2)');
    if (kind === 'seal') {
      const value = get('cv')!;
      if (value !== 'none' && value !== 'pass' && value !== 'fail') fail('bad-value', `cv=${value} is not none, pass or fail`);
      cv = value as SignatureTags['cv'];
    }
  }
  if (signTime !== null && expires !== null && expires < signTime) fail('expired', `x= (${iso(expires)}) is before t= (${iso(signTime)}): the signature expired before it was made`);
  return {
    kind, field, domain, selector, algorithm, keyType: algorithm.startsWith('rsa') ? 'rsa' : 'ed25519', hash: algorithm.endsWith('sha1') ? 'sha1' : 'sha256',
    headerCanon, bodyCanon, headers, bodyLength, signTime, expires, auid, instance, cv, b: Buffer.from(b, 'base64'), bh, bTag: tags.get('b')!,
  };
}

function canonicalization(kind: SignatureKind, c: string | undefined): [Canon, Canon] {
  if (kind === 'seal') return ['relaxed', 'relaxed'];
  if (c === undefined) return ['simple', 'simple'];
  const m = /^(simple|relaxed)(?:\/(simple|relaxed))?$/.exec(c);
  if (!m) return fail('canonicalization', `unknown canonicalization c=${c}`);
  return [m[1] as Canon, (m[2] ?? 'simple') as Canon];
}

function numeric(value: string | undefined, tag: string, digits: number): number | null {
  if (value === undefined) return null;
  if (!new RegExp(`^\\d{1,${digits}}$`).test(value)) fail('bad-value', `${tag}=${value} is not a number`);
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : Infinity;
}

/** dkim-quoted-printable (§2.11): =XX escapes, whitespace dropped. */
function decodeQp(v: string): string {
  const bytes = Buffer.from(stripWsp(v).replace(/=([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1');
  return bytes.toString('utf8');
}

const iso = (s: number) => new Date(s * 1000).toISOString();
