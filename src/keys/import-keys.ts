// Reads a key archive file into DKIM keys tagged with their source: a BIND
// zone file, or a JSON object { "selector._domainkey.domain": "v=DKIM1; ..." }.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { TamisError } from '../core/errors.ts';
import type { DkimKey } from './key-index.ts';
import { parseZoneFile, type ZoneProblem } from './zone-file.ts';

export function readKeyFile(file: string, now: Date = new Date()): { keys: DkimKey[]; problems: ZoneProblem[] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new TamisError('E_KEYS_FILE', `${file}: ${(err as Error).message}`);
  }
  const source = `file:${basename(file)}`;
  const importedAt = now.toISOString();
  if (/^\s*\{/.test(text)) {
    let parsed: unknown;
    try { parsed = JSON.parse(text); } catch (err) { throw new TamisError('E_KEYS_FILE', `${file}: ${(err as Error).message}`); }
    const keys = Object.entries(parsed as Record<string, unknown>)
      .filter(([name, value]) => /\._domainkey\./i.test(name) && typeof value === 'string')
      .map(([name, value]) => ({ name: name.toLowerCase().replace(/\.$/, ''), value: value as string, source, importedAt }));
    return { keys, problems: [] };
  }
  const { keys, problems } = parseZoneFile(text);
  return { keys: keys.map((k) => ({ name: k.name, value: k.value, source, importedAt })), problems };
}
