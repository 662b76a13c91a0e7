// Runs the public DKIM test messages of test/fixtures/dkim-suites (manifest.json)
// through tamis, and through python3-dkim (test/helpers/dkim-oracle.py) when
// it is installed; shared by the conformance test and bench-free reports.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { verifyDkim } from '../../src/analyze/dkim/verify-message.ts';
import { KeyIndex, type DkimKey } from '../../src/keys/key-index.ts';

export const SUITES = new URL('../fixtures/dkim-suites/', import.meta.url);
const ORACLE = new URL('../helpers/dkim-oracle.py', import.meta.url);
export const PYTHON = '/usr/bin/python3';

export interface SuiteCase {
  id: string;
  file: string;
  source: string;
  crlf: boolean;
  keys: Record<string, string | null | { error: string }>;
  expect: unknown;
  note?: string;
  /** The chain validation status the source states for a message with ARC sets (null: none stated). */
  arc?: { cv: string | null };
}

export const suiteCases = (): SuiteCase[] => JSON.parse(readFileSync(new URL('manifest.json', SUITES), 'utf8')) as SuiteCase[];

/** The message as the source's own test feeds it. */
export function messageOf(c: SuiteCase): Buffer {
  const raw = readFileSync(new URL(c.file, SUITES));
  return c.crlf ? Buffer.from(raw.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1') : raw;
}

export type Klass = 'pass' | 'fail' | 'permerror' | 'nokey' | 'temperror' | 'neutral';

/** tamis's result class of each DKIM-Signature, topmost first, and the ARC chain status. */
export async function tamisClasses(c: SuiteCase): Promise<{ cls: Klass; reason: string }[] & { arc?: string }> {
  const keys: DkimKey[] = [];
  for (const [name, value] of Object.entries(c.keys)) {
    if (typeof value === 'string') keys.push({ name, value, source: `file:${c.source}`, importedAt: '2026-12-01T00:00:00.000Z' });
  }
  const broken = new Set(Object.entries(c.keys).filter(([, v]) => v !== null && typeof v === 'object').map(([n]) => n.toLowerCase()));
  const liveLookup = async (name: string): Promise<DkimKey[]> => {
    if (broken.has(name.toLowerCase())) throw new Error('DNS server failure');
    return [];
  };
  const { findings } = await verifyDkim(messageOf(c), { keys: new KeyIndex(keys), liveLookup });
  const out: { cls: Klass; reason: string }[] & { arc?: string } = [];
  for (const f of findings) {
    const n = f.evidence.signature;
    if (typeof n === 'number' && !out[n - 1]) out[n - 1] = { cls: f.evidence.result as Klass, reason: String(f.evidence.reason) };
    if (f.rule.startsWith('arc.')) out.arc = String(f.evidence.result);
  }
  return out;
}

export const hasPyDkim = spawnSync(PYTHON, ['-c', 'import dkim'], { encoding: 'utf8' }).status === 0;

/** python3-dkim's class of each DKIM-Signature, checked at the signature's own t= + 1 s, as tamis does. */
export function pythonClasses(cases: SuiteCase[]): { cls: Klass; detail: string }[][] {
  const input = cases.map((c) => ({ message: messageOf(c).toString('base64'), keys: c.keys, now: 't+1', minkey: 1024 }));
  const r = spawnSync(PYTHON, [ORACLE.pathname], { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`dkim-oracle.py failed: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { class: Klass; detail: string }[][]).map((sigs) => sigs.map((s) => ({ cls: s.class, detail: s.detail })));
}
