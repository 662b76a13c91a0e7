// Offline DKIM and ARC verification of one email against the key archive.
// The clock is the signature's own time (t=, else the newest Received, else
// Date): a leak is examined years later, and an expired x= says nothing
// about whether the message was altered. DNS is never asked unless the
// caller passes a live resolver (investigators must not reveal what they
// examine).
import { dkimVerifyCached } from './dkim-verify-cached.ts';
import { arc } from 'mailauth/lib/arc/index.js';
import type { Finding } from '../core/types.ts';
import type { DkimKey, KeyIndex } from '../keys/key-index.ts';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { CrlfTransform, headerBlock, headerFields, scanFile, toCrlf } from './line-endings.ts';
import { signatureFindings, type SignatureResult } from './dkim-findings.ts';

export interface DkimOptions {
  keys: KeyIndex;
  /** Live DNS lookup, only with `--dns`; returns TXT values. */
  liveLookup?: (name: string) => Promise<DkimKey[]>;
}

export interface DkimOutcome { findings: Finding[]; fetchedKeys: DkimKey[] }

function parseDate(value: string | undefined): Date | null {
  if (!value) return null;
  const t = Date.parse(value.replace(/\s*\([^)]*\)\s*$/, ''));
  return Number.isFinite(t) ? new Date(t) : null;
}

/** The moment the signatures are checked at: see the file comment. */
function verificationTime(fields: [string, string][]): Date {
  const times: number[] = [];
  for (const [name, value] of fields) {
    if (name !== 'dkim-signature' && name !== 'arc-message-signature') continue;
    const m = /(?:^|;)\s*t\s*=\s*(\d{1,12})/.exec(value);
    if (m) times.push(Number(m[1]) * 1000);
  }
  if (times.length) return new Date(Math.max(...times) + 1000);
  const received = fields.find(([n]) => n === 'received');
  const fromReceived = parseDate(received?.[1].split(';').pop()?.trim());
  if (fromReceived) return fromReceived;
  return parseDate(fields.find(([n]) => n === 'date')?.[1]) ?? new Date();
}

const MAX_KEY_ATTEMPTS = 8;

/** The message: its bytes, or the file of one too large to hold (read as a stream, once per key attempt). */
export type DkimInput = Uint8Array | { path: string };

function prepare(input: DkimInput): { head: Uint8Array; bareLf: number; message: () => Buffer | Readable } {
  if (!('path' in input)) {
    const { bytes, bareLf } = toCrlf(input);
    return { head: bytes, bareLf, message: () => Buffer.from(bytes) };
  }
  const { head, bareLf } = scanFile(input.path, (1 << 20) + 16); // headerBlock reads at most 1 MiB
  return {
    head: toCrlf(head).bytes, bareLf,
    message: () => {
      const file = createReadStream(input.path, { highWaterMark: 1 << 20 });
      const crlf = new CrlfTransform();
      file.on('error', (err) => crlf.destroy(err));
      return file.pipe(crlf);
    },
  };
}

export async function verifyDkim(input: DkimInput, options: DkimOptions): Promise<DkimOutcome> {
  const findings: Finding[] = [];
  const fetchedKeys: DkimKey[] = [];
  const { head, bareLf, message } = prepare(input);
  const fields = headerFields(headerBlock(head));
  if (bareLf > 0) {
    findings.push({ rule: 'dkim.repaired-line-endings', severity: 'info', related: [],
      message: `The file stores ${bareLf} line endings as bare LF; they were read as CRLF, as sent, before verifying.`, evidence: { bareLf } });
  }
  const froms = fields.filter(([n]) => n === 'from');
  if (froms.length > 1) {
    findings.push({ rule: 'dkim.duplicate-from', severity: 'warn', related: [],
      message: `The message has ${froms.length} From headers: mail programs show one, a signature may cover another.`, evidence: { from: froms.map(([, v]) => v) } });
  }
  const signed = fields.some(([n]) => n === 'dkim-signature');
  const sealed = fields.some(([n]) => n === 'arc-seal');
  if (!signed && !sealed) {
    findings.push({ rule: 'dkim.none', severity: 'info', related: [], evidence: {},
      message: 'The message carries no DKIM signature: nothing proves or contradicts it.' });
    return { findings, fetchedKeys };
  }

  const curTime = verificationTime(fields);
  const candidates = async (name: string): Promise<DkimKey[]> => {
    const archived = options.keys.get(name);
    if (archived.length || !options.liveLookup) return archived;
    const live = await options.liveLookup(name);
    for (const k of live) { options.keys.add(k); fetchedKeys.push(k); }
    return live;
  };
  // One pass per archived key of each name; a signature keeps its best result.
  const best = new Map<string, { sig: SignatureResult; key: DkimKey | undefined; tried: DkimKey[] }>();
  let arcData: unknown;
  for (let attempt = 0; attempt < MAX_KEY_ATTEMPTS; attempt++) {
    const used = new Map<string, DkimKey | undefined>();
    let more = false;
    const resolver = async (name: string, type: string) => {
      if (type !== 'TXT') throw Object.assign(new Error(`no ${type} record`), { code: 'ENODATA' });
      const keys = await candidates(name);
      const key = keys[Math.min(attempt, keys.length - 1)];
      if (keys.length > attempt + 1) more = true;
      used.set(name.toLowerCase(), key);
      if (!key) throw Object.assign(new Error(`no key for ${name}`), { code: 'ENOTFOUND' });
      return [[key.value]];
    };
    const result = await dkimVerifyCached(message(), { resolver, curTime, minBitLength: 256 });
    if (attempt === 0) arcData = (result as { arc?: unknown }).arc;
    for (const sig of result.results as SignatureResult[]) {
      const id = `${sig.signingDomain}|${sig.selector}|${sig.status.header?.b ?? ''}`;
      const key = used.get(`${sig.selector}._domainkey.${sig.signingDomain}`.toLowerCase());
      const prev = best.get(id);
      const tried = [...(prev?.tried ?? []), ...(key && !prev?.tried.includes(key) ? [key] : [])];
      if (!prev || (prev.sig.status.result !== 'pass' && sig.status.result === 'pass')) best.set(id, { sig, key, tried });
      else prev.tried = tried;
    }
    const unresolved = [...best.values()].some((b) => b.sig.status.result !== 'pass');
    if (!more || !unresolved) break;
  }
  for (const { sig, key, tried } of best.values()) findings.push(...signatureFindings(sig, key, tried));
  if (sealed && arcData) findings.push(...(await arcFindings(arcData, options, candidates)));
  return { findings, fetchedKeys };
}

async function arcFindings(data: unknown, options: DkimOptions, candidates: (name: string) => Promise<DkimKey[]>): Promise<Finding[]> {
  const resolver = async (name: string) => {
    const key = (await candidates(name))[0];
    if (!key) throw Object.assign(new Error(`no key for ${name}`), { code: 'ENOTFOUND' });
    return [[key.value]];
  };
  const res = (await arc(data as never, { resolver, minBitLength: 256 })) as { status: { result: string; comment?: string }; i?: number };
  void options;
  const evidence = { instance: res.i ?? null, result: res.status.result, comment: res.status.comment ?? null };
  if (res.status.result === 'pass') {
    return [{ rule: 'arc.pass', severity: 'info', related: [], evidence,
      message: `The ARC chain (${res.i} hop${res.i === 1 ? '' : 's'}) is intact: intermediaries recorded their authentication results and nothing changed since the last seal.` }];
  }
  if (/no key|enotfound|dns/i.test(res.status.comment ?? '')) {
    return [{ rule: 'arc.no-key', severity: 'info', related: [], evidence, message: 'The ARC chain cannot be checked: a sealing key is not in the archive.' }];
  }
  return [{ rule: 'arc.fail', severity: 'warn', related: [], evidence,
    message: `The ARC chain is broken (${res.status.comment ?? res.status.result}): the message was changed after an intermediary sealed it, or a seal is forged.` }];
}
