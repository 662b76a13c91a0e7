// RFC 8617 §5.2, the validation of an Authenticated Received Chain, step by
// step. A chain that validates shows who handled the message after it was
// sent (each sealer's d=), what each of them saw on arrival (their
// ARC-Authentication-Results), and that nothing changed since the last one
// sealed it. It proves nothing about the author on its own: what it attests
// is the sealers' word (docs/verdicts.md, "ARC").
import { parseArcAuthResults, type AuthResult } from './auth-results.ts';
import { blankB, canonField, headerHashInput } from './canonical-header.ts';
import { fieldValue, type HeaderField } from './header-fields.ts';
import type { Check } from './signature-check.ts';
import { parseSignature, type ParsedSignature, type SignatureTags } from './signature-tags.ts';

const MAX_SETS = 50;

export interface ArcSet {
  instance: number;
  aar: HeaderField;
  ams: HeaderField;
  seal: HeaderField;
  amsParsed: ParsedSignature;
  sealParsed: ParsedSignature;
  authservId: string;
  results: AuthResult[];
}

/** Steps 1-3: the sets, or why the chain fails before any signature is checked. */
export type ArcStructure =
  | { state: 'none' }
  | { state: 'fail'; detail: string }
  | { state: 'sets'; sets: ArcSet[] };

const ARC_KEYS = new Set(['arc-authentication-results', 'arc-message-signature', 'arc-seal']);

export function arcStructure(fields: readonly HeaderField[]): ArcStructure {
  const arc = fields.filter((f) => ARC_KEYS.has(f.key));
  if (arc.length === 0) return { state: 'none' };
  const byInstance = new Map<number, { aar: HeaderField[]; ams: HeaderField[]; seal: HeaderField[] }>();
  const aarOf = new Map<HeaderField, ReturnType<typeof parseArcAuthResults>>();
  const parsedOf = new Map<HeaderField, ParsedSignature>();
  for (const f of arc) {
    let instance: number | null;
    if (f.key === 'arc-authentication-results') {
      const aar = parseArcAuthResults(fieldValue(f));
      aarOf.set(f, aar);
      instance = aar?.instance ?? null;
    } else {
      const parsed = parseSignature(f, f.key === 'arc-seal' ? 'seal' : 'ams');
      parsedOf.set(f, parsed);
      instance = parsed.ok ? parsed.sig.instance : parsed.partial.instance ?? null;
    }
    if (instance === null || instance < 1 || instance > MAX_SETS) {
      return { state: 'fail', detail: `${name(f)} has no valid instance tag i= (1 to ${MAX_SETS})` };
    }
    const set = byInstance.get(instance) ?? { aar: [], ams: [], seal: [] };
    (f.key === 'arc-authentication-results' ? set.aar : f.key === 'arc-seal' ? set.seal : set.ams).push(f);
    byInstance.set(instance, set);
  }
  const n = Math.max(...byInstance.keys());
  // Step 2: the newest sealer already found the chain broken.
  const newestSeal = byInstance.get(n)?.seal[0];
  const newestParsed = newestSeal ? parsedOf.get(newestSeal) : undefined;
  if (newestParsed?.ok && newestParsed.sig.cv === 'fail') return { state: 'fail', detail: `the newest sealer (i=${n}) recorded the chain as already broken (cv=fail)` };
  // Step 3: one AAR, one AMS and one seal per instance, 1..N, cv=none at 1 and pass after.
  const sets: ArcSet[] = [];
  for (let i = 1; i <= n; i++) {
    const s = byInstance.get(i);
    if (!s) return { state: 'fail', detail: `the chain has no ARC set i=${i} (instances must run from 1 to ${n})` };
    for (const [what, list] of [['ARC-Authentication-Results', s.aar], ['ARC-Message-Signature', s.ams], ['ARC-Seal', s.seal]] as const) {
      if (list.length !== 1) return { state: 'fail', detail: `ARC set i=${i} has ${list.length} ${what} fields, not one` };
    }
    const sealParsed = parsedOf.get(s.seal[0]!)!;
    if (!sealParsed.ok) return { state: 'fail', detail: `the ARC-Seal i=${i} is malformed: ${sealParsed.detail}` };
    const want = i === 1 ? 'none' : 'pass';
    if (sealParsed.sig.cv !== want) return { state: 'fail', detail: `the ARC-Seal i=${i} has cv=${sealParsed.sig.cv}; it must be ${want}` };
    const aar = aarOf.get(s.aar[0]!)!;
    sets.push({ instance: i, aar: s.aar[0]!, ams: s.ams[0]!, seal: s.seal[0]!, amsParsed: parsedOf.get(s.ams[0]!)!, sealParsed, authservId: aar!.authservId, results: aar!.results });
  }
  return { state: 'sets', sets };
}

const name = (f: HeaderField) => f.raw.slice(0, f.valueAt - 1);

/** What the validator needs from the message: a signature checked over given header bytes. */
export type CheckWith = (sig: SignatureTags, headerBytes: Buffer) => Check;

export interface ArcValidation {
  cv: 'none' | 'pass' | 'fail';
  detail: string;
  /** The check that failed, with the set it belongs to. */
  failed?: { instance: number; field: 'ams' | 'seal'; check?: Check };
  sets: ArcSet[];
  /** Each seal's and the newest AMS's checks, by instance. */
  seals: Map<number, Check>;
  ams: Map<number, Check>;
  /** Step 5: the oldest instance from which every AMS still verifies (the message is unchanged since that sealer signed it). */
  oldestPass: number | null;
}

export function validateArc(structure: ArcStructure, fields: readonly HeaderField[], check: CheckWith): ArcValidation {
  const empty = { sets: [] as ArcSet[], seals: new Map<number, Check>(), ams: new Map<number, Check>(), oldestPass: null };
  if (structure.state === 'none') return { ...empty, cv: 'none', detail: 'no ARC sets' };
  if (structure.state === 'fail') return { ...empty, cv: 'fail', detail: structure.detail };
  const sets = structure.sets;
  const out: ArcValidation = { ...empty, sets, cv: 'fail', detail: '' };
  const n = sets.length;
  // Step 4: the newest AMS; step 5, optional: how far back the AMSs still verify.
  for (let i = n; i >= 1; i--) {
    const set = sets[i - 1]!;
    if (!set.amsParsed.ok) {
      if (i === n) return { ...out, detail: `the ARC-Message-Signature i=${n} is malformed: ${set.amsParsed.detail}`, failed: { instance: n, field: 'ams' } };
      break;
    }
    const sig = set.amsParsed.sig;
    const c = check(sig, headerHashInput(fields, sig));
    out.ams.set(i, c);
    if (c.class !== 'pass') {
      if (i === n) return { ...out, detail: `the ARC-Message-Signature i=${n} does not verify: ${c.detail}`, failed: { instance: n, field: 'ams', check: c } };
      break;
    }
    out.oldestPass = i;
  }
  // Step 6: every seal, newest first.
  for (let i = n; i >= 1; i--) {
    const seal = sets[i - 1]!.sealParsed;
    if (!seal.ok) return { ...out, detail: `the ARC-Seal i=${i} is malformed`, failed: { instance: i, field: 'seal' } };
    const c = check(seal.sig, Buffer.from(sealedText(sets, i), 'latin1'));
    out.seals.set(i, c);
    if (c.class !== 'pass') return { ...out, detail: `the ARC-Seal i=${i} does not verify: ${c.detail}`, failed: { instance: i, field: 'seal', check: c } };
  }
  return { ...out, cv: 'pass', detail: n === 1 ? 'the ARC set validates' : `the ${n} ARC sets validate` };
}

/** §5.1.1: the sets 1..k, each AAR, AMS, seal, in relaxed form; the k-th seal with b= blank and no final CRLF. */
function sealedText(sets: readonly ArcSet[], k: number): string {
  let text = '';
  for (let i = 1; i <= k; i++) {
    const s = sets[i - 1]!;
    text += canonField(s.aar, 'relaxed') + canonField(s.ams, 'relaxed');
    if (i < k) text += canonField(s.seal, 'relaxed');
  }
  const last = sets[k - 1]!;
  const seal = (last.sealParsed as { ok: true; sig: SignatureTags }).sig;
  return text + canonField(last.seal, 'relaxed', blankB(last.seal, seal.bTag.valueStart, seal.bTag.specEnd)).slice(0, -2);
}
